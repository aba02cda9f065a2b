/**
 * The neutral API of loraport: {@link dev.loraport.TrainingProvider}, its value types, errors, the
 * {@link dev.loraport.PollPolicy} every poll follows, and {@link dev.loraport.Operation}. Discovery is in
 * {@link dev.loraport.spi}, following tasks in {@link dev.loraport.watch}.
 *
 * <p>A <em>task</em> is one training job on a service: what {@code create} submits and {@code status} reports.
 * Every identifier in loraport says task; the word job appears only in prose.
 *
 * <p>Every type here is null-hostile unless a member says otherwise.
 */
@NullMarked
package dev.loraport;

import org.jspecify.annotations.NullMarked;
