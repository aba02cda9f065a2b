package dev.loraport.watch;

import dev.loraport.Page;
import dev.loraport.PageRequest;
import dev.loraport.PollPolicy;
import dev.loraport.ProviderInfo;
import dev.loraport.RateLimitedException;
import dev.loraport.TaskId;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingProviderException;
import dev.loraport.TrainingTask;
import dev.loraport.UnsupportedCapabilityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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
final class ProviderPoller {

    private static final Comparator<WatchedTask> BY_NEXT_POLL =
            Comparator.comparingLong((WatchedTask w) -> w.nextPollAt).thenComparingLong(w -> w.seq);

    final TaskWatcher watcher;
    final TrainingProvider provider;
    final String providerId;
    private final boolean listable;

    // Guarded by this.
    private final TreeSet<WatchedTask> queue = new TreeSet<>(BY_NEXT_POLL);
    private final Map<TaskId, List<WatchedTask>> byId = new HashMap<>();
    private int size;
    private long seq;
    private Scheduler.@Nullable Cancellable timer;
    private long timerAt;
    private boolean running;
    private boolean closed;
    private boolean listUnsupported;
    private long notBefore;
    private long lastListAt = Long.MIN_VALUE / 2;

    // Touched only by the polling thread.
    private int listErrors;

    ProviderPoller(TaskWatcher watcher, TrainingProvider provider) {
        this.watcher = watcher;
        this.provider = provider;
        ProviderInfo info = provider.info();
        this.providerId = info.id();
        this.listable = info.capabilities().listIncludesStatus();
    }

    synchronized void add(WatchedTask w, long now) {
        w.seq = seq++;
        w.nextPollAt = now;
        w.queued = queue.add(w);
        byId.merge(w.ref.taskId(), List.of(w), ProviderPoller::concat);
        size++;
        ensureScheduled(now);
        // Counted once its first poll is scheduled: a caller that waits for the count may then move a virtual clock.
        watcher.watched.incrementAndGet();
    }

    /** Removes a job; returns false when it was already gone. */
    synchronized boolean detach(WatchedTask w) {
        if (!w.attached) {
            return false;
        }
        w.attached = false;
        if (w.queued) {
            queue.remove(w);
            w.queued = false;
        }
        List<WatchedTask> same = byId.get(w.ref.taskId());
        if (same != null) {
            List<WatchedTask> rest = new ArrayList<>(same);
            rest.remove(w);
            if (rest.isEmpty()) {
                byId.remove(w.ref.taskId());
            } else {
                byId.put(w.ref.taskId(), List.copyOf(rest));
            }
        }
        size--;
        watcher.watched.decrementAndGet();
        w.cancelDeadlineTimer();
        return true;
    }

    /**
     * Runs on the watch's own deadline timer, so that a deadline fires on time whatever holds the group: a
     * rate-limit pause, a long back-off or poll delay, or a slow status call of another job. When nothing holds
     * it, the job gets one last poll first, so that one that just finished is not reported late; during a pause
     * it times out without a call.
     */
    void deadlineReached(WatchedTask w) {
        boolean lastPoll;
        synchronized (this) {
            if (!w.attached || closed) {
                return;
            }
            long now = watcher.nowMillis();
            lastPoll = !running && now >= notBefore;
            if (lastPoll && w.queued) {
                queue.remove(w);
                w.nextPollAt = Math.min(w.nextPollAt, now);
                queue.add(w);
            }
        }
        if (lastPoll) {
            // Polls every job due now, this one included, and times this one out unless it turned terminal.
            tick();
        }
        w.timeOut();
    }

    synchronized void reschedule(WatchedTask w, long at) {
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

    /**
     * A hint that a job changed (a webhook said so): its watches are due now, still behind any pause the service
     * asked for. Returns whether this group watches the job.
     */
    synchronized boolean pollNow(TaskId id, long now) {
        List<WatchedTask> ws = byId.get(id);
        if (ws == null || closed) {
            return false;
        }
        for (WatchedTask w : ws) {
            if (w.queued) {
                queue.remove(w);
                w.nextPollAt = Math.min(w.nextPollAt, now);
                queue.add(w);
            } else {
                w.nextPollAt = Math.min(w.nextPollAt, now);
            }
        }
        ensureScheduled(now);
        return true;
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
        List<WatchedTask> open = new ArrayList<>();
        synchronized (this) {
            closed = true;
            cancelTimer();
            for (List<WatchedTask> ws : byId.values()) {
                open.addAll(ws);
            }
        }
        for (WatchedTask w : open) {
            detach(w);
        }
        for (WatchedTask w : open) {
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
        if (batchable()) {
            // However many tasks aim at their ends, the provider is read at most once per list floor; a task due
            // in between is refreshed by the next read.
            at = Math.max(at, lastListAt + watcher.listFloorMillis);
        }
        if (timer != null && timerAt <= at) {
            return;
        }
        cancelTimer();
        timerAt = at;
        timer = watcher.scheduler.schedule(Duration.ofMillis(Math.max(0, at - now)), this::tick);
    }

    void tick() {
        List<WatchedTask> due = new ArrayList<>();
        List<WatchedTask> soon = new ArrayList<>();
        long now;
        synchronized (this) {
            // A stale timer may fire after a newer one was armed; ticks are idempotent, so that only costs a look.
            timer = null;
            if (closed || running) {
                return;
            }
            running = true;
            now = watcher.nowMillis();
            boolean listPaused = batchable() && now < lastListAt + watcher.listFloorMillis;
            if (now >= notBefore && !listPaused) {
                while (!queue.isEmpty() && queue.first().nextPollAt <= now) {
                    WatchedTask w = queue.pollFirst();
                    w.queued = false;
                    due.add(w);
                }
                if (!due.isEmpty() && batchable()) {
                    // Jobs due before the next read may come ride along on the same list pages instead of costing
                    // a listing of their own a moment later; they are not polled by status now. Those due later are
                    // not counted: with reads a list floor apart, refreshing them now would not save their read.
                    long horizon = TaskWatcher.saturatedAdd(now, watcher.listFloorMillis);
                    for (WatchedTask w : queue) {
                        if (w.nextPollAt > horizon) {
                            break;
                        }
                        soon.add(w);
                    }
                }
            }
        }
        try {
            refresh(due, soon, now);
        } catch (RuntimeException | Error e) {
            TaskWatcher.log().error("loraport: refreshing {} jobs failed unexpectedly; retrying later", providerId, e);
            for (WatchedTask w : due) {
                reschedule(w, now + watcher.floorMillis);
            }
            if (e instanceof Error err) {
                throw err;
            }
        } finally {
            synchronized (this) {
                running = false;
                for (WatchedTask w : due) {
                    if (w.attached && !w.queued) {
                        w.queued = queue.add(w);
                    }
                }
                ensureScheduled(watcher.nowMillis());
            }
            watcher.pruneIfEmpty(this);
        }
    }

    private void refresh(List<WatchedTask> due, List<WatchedTask> soon, long now) {
        List<WatchedTask> live = new ArrayList<>(due.size());
        for (WatchedTask w : due) {
            if (!w.future.isDone()) {
                live.add(w);
            }
        }
        if (live.isEmpty()) {
            return;
        }
        List<WatchedTask> rest = batchable() ? refreshByList(live, soon) : live;
        for (WatchedTask w : rest) {
            if (w.future.isDone()) {
                continue;
            }
            if (!pollStatus(w)) {
                // Rate-limited: the others stay due and wait for the pause to end.
                break;
            }
        }
        // A job at its deadline gets one last poll above, so one that just finished is not reported late.
        for (WatchedTask w : live) {
            if (now >= w.deadline) {
                w.timeOut();
            }
        }
    }

    private synchronized boolean batchable() {
        return listable && !listUnsupported && watcher.maxListPages > 0 && size >= 2;
    }

    /**
     * What the poll policy needs to know about the group: how many tasks share the list reads (none when the
     * group does not refresh by list, or for a task no page shows) and the tail learned from its finished tasks.
     */
    synchronized PollPolicy.Shared shared(boolean unlisted) {
        Duration tail = watcher.tails.get(providerId);
        if (unlisted || !batchable()) {
            return tail == null ? PollPolicy.Shared.alone() : new PollPolicy.Shared(0, 0, tail);
        }
        int pages = Math.min(watcher.maxListPages, (size + watcher.listPageSize - 1) / watcher.listPageSize);
        return new PollPolicy.Shared(size, Math.max(1, pages), tail);
    }

    /** Learns from a task that just ended, so that the next ones of this provider are aimed better. */
    void learn(PollPolicy.Memory memory, long lastRunning, long seenEnded) {
        // Kept by the watcher, not the group: a group is dropped whenever it has no job left, and a provider's
        // jobs often come one after another.
        watcher.tails.compute(
                providerId,
                (id, tail) -> watcher.policy.learnTail(
                        tail, memory, Instant.ofEpochMilli(lastRunning), Instant.ofEpochMilli(seenEnded)));
    }

    private boolean pollStatus(WatchedTask w) {
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
     * How many list pages are worth reading for these jobs: the largest page index {@code p} such that at least
     * {@code p + 1} of the jobs were last seen on pages {@code 0..p}, so that every page read replaces at least
     * one status call on average.
     *
     * @return the last page index to read, or -1 when status calls are cheaper
     */
    static int pagesWorthReading(int[] hints, int maxPages, int pageSize) {
        int[] sorted = hints.clone();
        // Jobs never listed yet are assumed to fill the first pages, newest first, as services list them.
        int unknown = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (sorted[i] == WatchedTask.UNKNOWN_PAGE) {
                sorted[i] = unknown++ / pageSize;
            }
        }
        Arrays.sort(sorted);
        int last = -1;
        for (int i = 0; i < sorted.length && sorted[i] < maxPages; i++) {
            if (i >= sorted[i]) {
                last = Math.max(last, sorted[i]);
            }
        }
        return last;
    }

    /**
     * Refreshes jobs from list pages, reading from the first page on as far as {@link #pagesWorthReading} allows.
     * Every watched job a page shows is refreshed, due or not.
     *
     * @param due jobs that must be refreshed now
     * @param soon jobs due shortly, refreshed if the pages read show them
     * @return the due jobs the listing did not show, to be polled one by one
     */
    private List<WatchedTask> refreshByList(List<WatchedTask> due, List<WatchedTask> soon) {
        int[] hints = new int[due.size() + soon.size()];
        for (int i = 0; i < due.size(); i++) {
            hints[i] = due.get(i).listHint;
        }
        for (int i = 0; i < soon.size(); i++) {
            hints[due.size() + i] = soon.get(i).listHint;
        }
        int lastPage = pagesWorthReading(hints, watcher.maxListPages, watcher.listPageSize);
        if (lastPage < 0) {
            return due;
        }
        Set<TaskId> wanted = new HashSet<>();
        for (WatchedTask w : due) {
            if (w.listHint <= lastPage) {
                wanted.add(w.ref.taskId());
            }
        }
        Set<TaskId> seenIds = new HashSet<>();
        Set<String> cursors = new HashSet<>();
        String cursor = null;
        int pages = 0;
        boolean exhausted = false;
        try {
            do {
                watcher.listCalls.increment();
                synchronized (this) {
                    lastListAt = watcher.nowMillis();
                }
                Page<TrainingTask> page = provider.list(
                        cursor == null
                                ? PageRequest.first(watcher.listPageSize)
                                : PageRequest.after(cursor, watcher.listPageSize));
                long seen = watcher.nowMillis();
                for (TrainingTask task : page.items()) {
                    List<WatchedTask> ws;
                    synchronized (this) {
                        ws = byId.get(task.id());
                    }
                    if (ws != null) {
                        wanted.remove(task.id());
                        seenIds.add(task.id());
                        for (WatchedTask w : ws) {
                            w.listHint = pages;
                            w.observe(task, seen);
                        }
                    }
                }
                pages++;
                cursor = page.nextCursor();
                if (cursor != null && !cursors.add(cursor)) {
                    // A cursor seen twice would loop forever; the rest is polled by status.
                    cursor = null;
                }
                exhausted = cursor == null;
            } while (!exhausted && !wanted.isEmpty() && pages <= lastPage);
            listErrors = 0;
        } catch (UnsupportedCapabilityException e) {
            synchronized (this) {
                listUnsupported = true;
            }
            TaskWatcher.log().info("loraport: {} cannot list jobs; polling them one by one", providerId);
        } catch (TrainingProviderException e) {
            if (e.isRetryable()) {
                return listFailed(e, due, seenIds);
            }
            // The status calls that follow report this error per job, with the job's own operation.
            TaskWatcher.log().debug("loraport: listing {} jobs failed; polling them one by one", providerId, e);
        }
        // Where the listing did not show a job, remember how far it looked, so the next refresh weighs it right.
        int notFound = exhausted ? WatchedTask.NOT_LISTED : pages;
        List<WatchedTask> rest = new ArrayList<>();
        for (WatchedTask w : due) {
            if (!seenIds.contains(w.ref.taskId())) {
                if (pages > 0 && (w.listHint == WatchedTask.UNKNOWN_PAGE || w.listHint < notFound)) {
                    w.listHint = notFound;
                }
                if (!w.future.isDone()) {
                    rest.add(w);
                }
            }
        }
        for (WatchedTask w : soon) {
            if (!seenIds.contains(w.ref.taskId())
                    && pages > 0
                    && (w.listHint == WatchedTask.UNKNOWN_PAGE || w.listHint < notFound)) {
                w.listHint = notFound;
            }
        }
        return rest;
    }

    private List<WatchedTask> listFailed(TrainingProviderException e, List<WatchedTask> due, Set<TaskId> seen) {
        long now = watcher.nowMillis();
        watcher.retries.increment();
        listErrors++;
        long wait = watcher.backoff(listErrors);
        if (e instanceof RateLimitedException rl) {
            long asked = watcher.serviceWait(rl.retryAfter(), wait);
            wait = Math.max(wait, asked);
            pauseUntil(TaskWatcher.saturatedAdd(now, asked));
        }
        TaskWatcher.log()
                .debug("loraport: listing {} jobs failed ({}); retrying in {} ms", providerId, e.toString(), wait);
        for (WatchedTask w : due) {
            if (!seen.contains(w.ref.taskId())) {
                reschedule(w, Math.min(TaskWatcher.saturatedAdd(now, wait), w.deadline));
            }
        }
        return List.of();
    }

    private static List<WatchedTask> concat(List<WatchedTask> a, List<WatchedTask> b) {
        List<WatchedTask> out = new ArrayList<>(a);
        out.addAll(b);
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return "ProviderPoller{" + providerId + "}";
    }
}
