/**
 * Following tasks until they end: {@link dev.loraport.watch.TaskWatcher} polls many tasks from one small
 * scheduler as {@link dev.loraport.PollPolicy} decides, reports to {@link dev.loraport.watch.TaskListener}s, and
 * records each task in a {@link dev.loraport.watch.TaskStore} so that a restart can resume it. Depends on
 * {@code dev.loraport} only; nothing there depends on this package.
 *
 * <p>Every type here is null-hostile unless a member says otherwise.
 */
@NullMarked
package dev.loraport.watch;

import org.jspecify.annotations.NullMarked;
