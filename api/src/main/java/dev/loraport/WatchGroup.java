package dev.loraport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import org.jspecify.annotations.Nullable;

/**
 * The watched jobs of one provider instance. One timer per group, never per job: each tick polls the jobs
 * that are due, one call at a time, then re-arms the timer for the earliest next poll.
 */
final class WatchGroup {

    private static final Comparator<Watch> BY_NEXT_POLL =
            Comparator.comparingLong((Watch w) -> w.nextPollAt).thenComparingLong(w -> w.seq);

    final TaskWatcher watcher;
    final TrainingProvider provider;
    private final String providerId;
    private final boolean listable;

    // Guarded by this.
    private final TreeSet<Watch> queue = new TreeSet<>(BY_NEXT_POLL);
    private final Map<TaskId, List<Watch>> byId = new HashMap<>();
    private int size;
    private long seq;
    private TaskWatcher.@Nullable Cancellable timer;
    private long timerAt;
    private boolean running;
    private boolean closed;
    private boolean listUnsupported;
    private long notBefore;

    // Touched only by the polling thread.
    private int listErrors;

    WatchGroup(TaskWatcher watcher, TrainingProvider provider) {
        this.watcher = watcher;
        this.provider = provider;
        ProviderInfo info = provider.info();
        this.providerId = info.id();
        this.listable = info.capabilities().listIncludesStatus();
    }

    synchronized void add(Watch w, long now) {
        w.seq = seq++;
        w.nextPollAt = now;
        w.queued = queue.add(w);
        byId.merge(w.ref.taskId(), List.of(w), WatchGroup::concat);
        size++;
        watcher.watched.incrementAndGet();
        ensureScheduled(now);
    }

    /** Removes a job; returns false when it was already gone. */
    synchronized boolean detach(Watch w) {
        if (!w.attached) {
            return false;
        }
        w.attached = false;
        if (w.queued) {
            queue.remove(w);
            w.queued = false;
        }
        List<Watch> same = byId.get(w.ref.taskId());
        if (same != null) {
            List<Watch> rest = new ArrayList<>(same);
            rest.remove(w);
            if (rest.isEmpty()) {
                byId.remove(w.ref.taskId());
            } else {
                byId.put(w.ref.taskId(), List.copyOf(rest));
            }
        }
        size--;
        watcher.watched.decrementAndGet();
        return true;
    }

    synchronized void reschedule(Watch w, long at) {
        if (!w.attached) {
            return;
        }
        if (w.queued) {
            queue.remove(w);
            w.nextPollAt = at;
            queue.add(w);
            ensureScheduled(watcher.nowMillis());
        } else {
            // Taken out by the running tick, which puts it back when done.
            w.nextPollAt = at;
        }
    }

    synchronized void pauseUntil(long at) {
        notBefore = Math.max(notBefore, at);
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** Marks the group retired when it has no job and no running tick; the watcher then drops it. */
    synchronized boolean retireIfIdle() {
        if (size > 0 || running) {
            return false;
        }
        closed = true;
        cancelTimer();
        return true;
    }

    void close() {
        List<Watch> open = new ArrayList<>();
        synchronized (this) {
            closed = true;
            cancelTimer();
            for (List<Watch> ws : byId.values()) {
                open.addAll(ws);
            }
        }
        for (Watch w : open) {
            detach(w);
        }
        for (Watch w : open) {
            w.future.completeExceptionally(new CancellationException("TaskWatcher closed"));
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void ensureScheduled(long now) {
        if (closed || running || queue.isEmpty()) {
            return;
        }
        long at = Math.max(queue.first().nextPollAt, notBefore);
        if (timer != null && timerAt <= at) {
            return;
        }
        cancelTimer();
        timerAt = at;
        timer = watcher.scheduler.schedule(Duration.ofMillis(Math.max(0, at - now)), this::tick);
    }

    void tick() {
        List<Watch> due = new ArrayList<>();
        long now;
        synchronized (this) {
            // A stale timer may fire after a newer one was armed; ticks are idempotent, so that only costs a look.
            timer = null;
            if (closed || running) {
                return;
            }
            running = true;
            now = watcher.nowMillis();
            if (now >= notBefore) {
                while (!queue.isEmpty() && queue.first().nextPollAt <= now) {
                    Watch w = queue.pollFirst();
                    w.queued = false;
                    due.add(w);
                }
            }
        }
        try {
            refresh(due, now);
        } catch (RuntimeException | Error e) {
            TaskWatcher.log().error("loraport: refreshing {} jobs failed unexpectedly; retrying later", providerId, e);
            for (Watch w : due) {
                reschedule(w, now + watcher.floorMillis);
            }
            if (e instanceof Error err) {
                throw err;
            }
        } finally {
            synchronized (this) {
                running = false;
                for (Watch w : due) {
                    if (w.attached && !w.queued) {
                        w.queued = queue.add(w);
                    }
                }
                ensureScheduled(watcher.nowMillis());
            }
            watcher.pruneIfEmpty(this);
        }
    }

    private void refresh(List<Watch> due, long now) {
        List<Watch> live = new ArrayList<>(due.size());
        for (Watch w : due) {
            if (w.future.isDone()) {
                continue;
            }
            if (now >= w.deadline) {
                w.timeOut();
            } else {
                live.add(w);
            }
        }
        if (live.isEmpty()) {
            return;
        }
        List<Watch> rest = batchable() ? refreshByList(live, now) : live;
        for (Watch w : rest) {
            if (w.future.isDone()) {
                continue;
            }
            if (!pollStatus(w)) {
                // Rate-limited: the others stay due and wait for the pause to end.
                break;
            }
        }
    }

    private synchronized boolean batchable() {
        return listable && !listUnsupported && watcher.maxListPages > 0 && size >= 2;
    }

    private boolean pollStatus(Watch w) {
        watcher.statusCalls.increment();
        TrainingTask task;
        try {
            task = provider.status(w.ref.taskId());
        } catch (RuntimeException e) {
            return w.pollFailed(e, watcher.nowMillis());
        }
        w.observe(task, watcher.nowMillis());
        return true;
    }

    /**
     * Refreshes jobs from list pages.
     *
     * @return the due jobs the listing did not show, to be polled one by one
     */
    private List<Watch> refreshByList(List<Watch> due, long now) {
        Set<TaskId> missing = new HashSet<>();
        for (Watch w : due) {
            missing.add(w.ref.taskId());
        }
        Set<String> cursors = new HashSet<>();
        String cursor = null;
        int pages = 0;
        try {
            do {
                watcher.listCalls.increment();
                Page<TrainingTask> page = provider.list(
                        cursor == null
                                ? PageRequest.first(watcher.listPageSize)
                                : PageRequest.after(cursor, watcher.listPageSize));
                pages++;
                long seen = watcher.nowMillis();
                for (TrainingTask task : page.items()) {
                    List<Watch> ws;
                    synchronized (this) {
                        ws = byId.get(task.id());
                    }
                    if (ws != null) {
                        missing.remove(task.id());
                        for (Watch w : ws) {
                            w.observe(task, seen);
                        }
                    }
                }
                cursor = page.nextCursor();
                if (cursor != null && !cursors.add(cursor)) {
                    // A cursor seen twice would loop forever; the rest is polled by status.
                    cursor = null;
                }
            } while (cursor != null && !missing.isEmpty() && pages < watcher.maxListPages);
            listErrors = 0;
        } catch (UnsupportedCapabilityException e) {
            synchronized (this) {
                listUnsupported = true;
            }
            TaskWatcher.log().info("loraport: {} cannot list jobs; polling them one by one", providerId);
        } catch (TrainingProviderException e) {
            if (!e.isRetryable()) {
                // The status calls that follow report this error per job, with the job's own operation.
                TaskWatcher.log().debug("loraport: listing {} jobs failed; polling them one by one", providerId, e);
            } else {
                return listFailed(e, due, missing);
            }
        }
        List<Watch> rest = new ArrayList<>();
        for (Watch w : due) {
            if (missing.contains(w.ref.taskId()) && !w.future.isDone()) {
                rest.add(w);
            }
        }
        return rest;
    }

    private List<Watch> listFailed(TrainingProviderException e, List<Watch> due, Set<TaskId> missing) {
        long now = watcher.nowMillis();
        watcher.retries.increment();
        listErrors++;
        long wait = watcher.backoff(listErrors);
        if (e instanceof RateLimitedException rl) {
            long asked = rl.retryAfter().map(Duration::toMillis).orElse(wait);
            wait = Math.max(wait, asked);
            pauseUntil(TaskWatcher.saturatedAdd(now, asked));
        }
        TaskWatcher.log()
                .debug("loraport: listing {} jobs failed ({}); retrying in {} ms", providerId, e.toString(), wait);
        for (Watch w : due) {
            if (missing.contains(w.ref.taskId())) {
                reschedule(w, Math.min(TaskWatcher.saturatedAdd(now, wait), w.deadline));
            }
        }
        return List.of();
    }

    private static List<Watch> concat(List<Watch> a, List<Watch> b) {
        List<Watch> out = new ArrayList<>(a);
        out.addAll(b);
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return "WatchGroup{" + providerId + "}";
    }
}
