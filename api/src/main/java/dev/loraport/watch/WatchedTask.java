package dev.loraport.watch;

import dev.loraport.PollPolicy;
import dev.loraport.RateLimitedException;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import dev.loraport.spi.LoraportMdc;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/** One watched job: its handle, and the state the watcher keeps to report changes exactly once. */
final class WatchedTask implements WatchHandle {

    final ProviderPoller poller;
    final TaskRef ref;
    private final TaskListener listener;
    final long deadline;
    final CompletableFuture<TrainingTask> future = new CompletableFuture<>();
    private volatile @Nullable TrainingTask latest;

    /** A {@link #listHint} for a job that a complete listing did not show. */
    static final int NOT_LISTED = Integer.MAX_VALUE;

    // Touched only by the poller's polling thread, which handles one job at a time.
    /** A {@link #listHint} for a job no listing has shown yet. */
    static final int UNKNOWN_PAGE = -1;

    /** The list page (from 0) where the job was last seen. */
    int listHint = UNKNOWN_PAGE;

    private @Nullable TrainingStatus reportedStatus;
    private int reportedProgress = -1;
    private long lastMovedAt;
    private long lastRunningAt;
    private boolean stallReported;
    private int errors;

    /** What the poll policy remembers about this task between two polls. */
    PollPolicy.Memory memory = PollPolicy.Memory.none();

    /** Fires the deadline on time; null when the watch has none or it ended. */
    private Scheduler.@Nullable Cancellable deadlineTimer;

    // Guarded by the poller's lock.
    long seq;
    long nextPollAt;
    boolean queued;
    boolean attached = true;

    WatchedTask(ProviderPoller poller, TaskRef ref, TaskListener listener, long now, long deadline) {
        this.poller = poller;
        this.ref = ref;
        this.listener = listener;
        this.deadline = deadline;
        this.lastMovedAt = now;
    }

    /** Arms the deadline timer; called once, after the watch joined its group. */
    void armDeadline(long now) {
        if (deadline == Long.MAX_VALUE) {
            return;
        }
        Scheduler.Cancellable t = poller.watcher.scheduler.schedule(
                Duration.ofMillis(Math.max(0, deadline - now)), () -> poller.deadlineReached(this));
        synchronized (poller) {
            if (attached) {
                deadlineTimer = t;
                return;
            }
        }
        // Ended before the timer was armed.
        t.cancel();
    }

    /** Called by the poller, under its lock, when the watch leaves the group. */
    void cancelDeadlineTimer() {
        Scheduler.Cancellable t = deadlineTimer;
        if (t != null) {
            deadlineTimer = null;
            t.cancel();
        }
    }

    @Override
    public TaskRef ref() {
        return ref;
    }

    @Override
    public CompletableFuture<TrainingTask> result() {
        return future;
    }

    @Override
    public Optional<TrainingTask> latest() {
        return Optional.ofNullable(latest);
    }

    @Override
    public void cancel() {
        future.cancel(false);
    }

    /** Reports what changed since the last observation, then schedules the next poll or ends the watch. */
    void observe(TrainingTask task, long now) {
        if (future.isDone()) {
            return;
        }
        latest = task;
        errors = 0;
        TaskWatcher watcher = poller.watcher;
        TrainingStatus status = task.status();
        boolean moved = false;
        if (status != reportedStatus) {
            if (status.isTerminal() || rank(status) > rank(reportedStatus)) {
                TrainingStatus previous = reportedStatus;
                reportedStatus = status;
                moved = true;
                deliverStatus(task, previous);
            } else {
                TaskWatcher.log()
                        .debug(
                                "loraport: {} task {} reported {} after {}; not reported as a change",
                                ref.providerId(),
                                ref.taskId(),
                                status,
                                reportedStatus);
            }
        }
        OptionalInt progress = task.progressPercent();
        if (progress.isPresent()) {
            int p = progress.getAsInt();
            if (p > reportedProgress) {
                reportedProgress = p;
                moved = true;
                deliver(() -> listener.onProgress(task), "onProgress");
            } else if (p < reportedProgress) {
                TaskWatcher.log()
                        .debug(
                                "loraport: {} task {} reported progress {} after {}; not reported",
                                ref.providerId(),
                                ref.taskId(),
                                p,
                                reportedProgress);
            }
        }
        if (status.isTerminal()) {
            poller.learn(memory, lastRunningAt, now);
            if (watcher.owner != null) {
                endLeased(task);
                return;
            }
            deliver(() -> listener.onTerminal(task), "onTerminal");
            watcher.completed.increment();
            end();
            future.complete(task);
            return;
        }
        lastRunningAt = now;
        if (moved) {
            lastMovedAt = now;
            stallReported = false;
        } else if (!stallReported) {
            long limit = (long) (watcher.expectedDuration(ref.providerId()).toMillis() * watcher.stallMultiple);
            if (now - lastMovedAt >= limit) {
                stallReported = true;
                watcher.stalls.increment();
                Instant since = Instant.ofEpochMilli(lastMovedAt);
                deliver(() -> listener.onStalled(task, since), "onStalled");
            }
        }
        poller.reschedule(this, Math.min(TaskWatcher.saturatedAdd(now, watcher.nextDelay(this, task, now)), deadline));
    }

    /**
     * Handles a failed poll.
     *
     * @return false when the provider rate-limited the call, so its other polls should wait too
     */
    boolean pollFailed(RuntimeException error, long now) {
        if (future.isDone()) {
            return true;
        }
        deliver(() -> listener.onError(ref, error), "onError");
        if (!PollPolicy.pollsAgainAfter(error)) {
            fail(error);
            return true;
        }
        TaskWatcher watcher = poller.watcher;
        watcher.retries.increment();
        errors++;
        long wait = watcher.backoff(errors);
        boolean limited = error instanceof RateLimitedException;
        if (limited) {
            long asked = watcher.serviceWait(((RateLimitedException) error).retryAfter(), wait);
            wait = Math.max(wait, asked);
            poller.pauseUntil(TaskWatcher.saturatedAdd(now, asked));
        }
        TaskWatcher.log()
                .debug(
                        "loraport: polling {} task {} failed ({}); retrying in {} ms",
                        ref.providerId(),
                        ref.taskId(),
                        error.toString(),
                        wait);
        poller.reschedule(this, Math.min(TaskWatcher.saturatedAdd(now, wait), deadline));
        return !limited;
    }

    void timeOut() {
        if (future.isDone()) {
            return;
        }
        poller.watcher.failed.increment();
        // The task runs on at the service: its ref stays in the store, marked, so resume() picks it up.
        if (poller.detach(this)) {
            mark("timed out at " + Instant.ofEpochMilli(deadline));
        }
        future.completeExceptionally(TaskWatcher.timeout(ref, Instant.ofEpochMilli(deadline), latest));
    }

    void fail(RuntimeException error) {
        poller.watcher.failed.increment();
        // One bad answer (a 401, an odd progress line) says nothing about the task itself, which may run on and
        // bill: the ref stays in the store, so resume() picks it up. Only a terminal status or cancel() forgets.
        if (poller.detach(this)) {
            mark(pollFailedReason(error));
        }
        future.completeExceptionally(error);
    }

    /**
     * What {@link TaskRef#endedBy()} records for a poll error: its type and message, with anything that looks like
     * a credential replaced by {@code ****}; {@link TaskRef} clips it.
     */
    static String pollFailedReason(RuntimeException error) {
        String message = error.getMessage();
        String text = "poll failed: " + error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        return SECRET.matcher(text).replaceAll("$1****");
    }

    private static final java.util.regex.Pattern SECRET = java.util.regex.Pattern.compile(
            "(?i)((?:bearer|basic)\\s+|(?:api[_-]?key|key|token|secret|password|authorization)\\s*[=:]\\s*"
                    + "(?:(?:bearer|basic)\\s+)?)"
                    + "[^\\s&,;\"']+");

    /** Keeps the ref stored, saying why its watch ended; the job may still run. */
    private void mark(String reason) {
        TaskStore store = poller.watcher.store;
        if (store != null) {
            try {
                store.save(ref.withEndedBy(reason));
            } catch (RuntimeException e) {
                TaskWatcher.log().warn("loraport: cannot mark {} in {}", ref, store, e);
            }
        }
    }

    /**
     * Ends a leased watch at a terminal status: only the worker whose {@link TaskStore#finish} removes the job
     * reports its end, so that a fleet's listeners see it once even when a lease passed on mid-poll.
     */
    private void endLeased(TrainingTask task) {
        if (!poller.detach(this)) {
            return;
        }
        TaskWatcher watcher = poller.watcher;
        boolean mine;
        try {
            mine = Objects.requireNonNull(watcher.store).finish(Objects.requireNonNull(watcher.owner), ref);
        } catch (RuntimeException e) {
            // Still stored under our lease: when it runs out another worker claims the job, sees its end and
            // reports it. Reporting it here as well could report it twice.
            TaskWatcher.log()
                    .warn(
                            "loraport: cannot remove {} from {}; another worker will report its end",
                            ref,
                            watcher.store,
                            e);
            future.completeExceptionally(e);
            return;
        }
        if (!mine) {
            leaseLostNow();
            return;
        }
        deliver(() -> listener.onTerminal(task), "onTerminal");
        watcher.completed.increment();
        future.complete(task);
    }

    /** Another worker holds this job now: stop polling it, and leave its ref to that worker. */
    void leaseLost() {
        if (poller.detach(this)) {
            leaseLostNow();
        }
    }

    private void leaseLostNow() {
        TaskWatcher.log().debug("loraport: {} passed to another worker of the fleet", ref);
        CancellationException e = new CancellationException(ref.providerId() + " task " + ref.taskId()
                + ": its lease passed to another worker of the fleet," + " which reports its end");
        future.completeExceptionally(e);
    }

    /** Stops polling and forgets the task in the store (it is terminal), before the future completes. */
    private void end() {
        if (poller.detach(this)) {
            forget();
        }
    }

    /** Called when someone else completed or cancelled the future. */
    void endedElsewhere() {
        if (poller.detach(this) && !poller.isClosed()) {
            forget();
        }
        poller.watcher.pruneIfEmpty(poller);
    }

    private void forget() {
        TaskStore store = poller.watcher.store;
        if (store != null) {
            try {
                store.remove(ref);
            } catch (RuntimeException e) {
                TaskWatcher.log().warn("loraport: cannot remove {} from {}", ref, store, e);
            }
        }
    }

    private void deliverStatus(TrainingTask task, @Nullable TrainingStatus previous) {
        deliver(() -> listener.onStatus(task, previous), "onStatus");
    }

    /** Calls a listener with the job's provider, task id and client reference in the MDC, put back afterwards. */
    private void deliver(Runnable call, String method) {
        String provider = MDC.get(LoraportMdc.PROVIDER);
        String task = MDC.get(LoraportMdc.TASK_ID);
        String reference = MDC.get(LoraportMdc.CLIENT_REFERENCE);
        MDC.put(LoraportMdc.PROVIDER, ref.providerId());
        MDC.put(LoraportMdc.TASK_ID, ref.taskId().value());
        if (ref.clientReference() != null) {
            MDC.put(LoraportMdc.CLIENT_REFERENCE, ref.clientReference());
        } else {
            MDC.remove(LoraportMdc.CLIENT_REFERENCE);
        }
        try {
            call.run();
        } catch (RuntimeException e) {
            TaskWatcher.log().warn("loraport: listener {} for {} threw; ignored", method, ref, e);
        } finally {
            restore(LoraportMdc.PROVIDER, provider);
            restore(LoraportMdc.TASK_ID, task);
            restore(LoraportMdc.CLIENT_REFERENCE, reference);
        }
    }

    private static void restore(String key, @Nullable String previous) {
        if (previous == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, previous);
        }
    }

    /** Non-terminal statuses in the order a job goes through them; UNKNOWN never counts as progress. */
    private static int rank(@Nullable TrainingStatus s) {
        if (s == null) {
            return -2;
        }
        return switch (s) {
            case UNKNOWN -> -1;
            case QUEUED -> 0;
            case TRAINING -> 1;
            case DEPLOYING -> 2;
            case READY, FAILED, CANCELED -> 3;
        };
    }

    @Override
    public String toString() {
        return "WatchHandle{" + ref + "}";
    }
}
