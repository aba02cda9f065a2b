package dev.loraport.cli;

import dev.loraport.PollPolicy;
import dev.loraport.ProviderConfig;
import dev.loraport.TaskId;
import dev.loraport.TaskTimeoutException;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingTask;
import dev.loraport.decorators.WatcherMetrics;
import dev.loraport.simulators.VirtualClock;
import dev.loraport.watch.TaskListener;
import dev.loraport.watch.TaskRef;
import dev.loraport.watch.TaskWatcher;
import dev.loraport.watch.WatchHandle;
import dev.loraport.watch.WatchOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * How the command follows tasks: through the library's {@link TaskWatcher} and its {@link PollPolicy}, the same
 * code users run, never a poll loop of its own. On a simulator the watcher runs on the simulator's time, so the
 * policy's floor scales with the simulator's speed.
 */
final class TaskFollower implements AutoCloseable {

    /** How long past its deadline a wait gives a watcher whose scheduler is stuck, in real time. */
    private static final Duration GUARD = Duration.ofSeconds(5);

    private final TaskWatcher watcher;
    private final @Nullable SimulatedTimeScheduler scheduler;
    // The watcher's time per real time: a real-time --timeout is this many times longer on the watcher's clock.
    private final double speed;

    private TaskFollower(TaskWatcher watcher, @Nullable SimulatedTimeScheduler scheduler, double speed) {
        this.watcher = watcher;
        this.scheduler = scheduler;
        this.speed = speed;
    }

    /**
     * A follower for an embedded simulator's clock, or for the configured service: on the wall clock, or on the
     * wall clock sped up by {@code loraport.simulator.speed} when that names a simulator in another process
     * ({@code loraport simulate} prints it). {@code --poll-min} is real time on every clock. {@code name} tags the
     * watcher's meters. The watcher keeps its refs in the command's store (memory for an embedded simulator), so a
     * job still running when the command stops stays listed for {@code wait}.
     */
    static TaskFollower forContext(CliContext ctx, String name, @Nullable VirtualClock embedded) {
        double speed = 1;
        SimulatedTimeScheduler s = null;
        if (embedded != null && embedded.speed() > 0) {
            speed = embedded.speed();
            s = new SimulatedTimeScheduler(embedded::now, speed);
        } else {
            // One read of the configuration for both keys.
            ProviderConfig config = ctx.config();
            double external = CliContext.externalSimulatorSpeed(config);
            if (external != 1) {
                speed = external;
                s = SimulatedTimeScheduler.scaledWallClock(speed, CliContext.externalSimulatorStart(config));
            }
        }
        TaskWatcher.Builder b = TaskWatcher.builder().store(embedded != null ? ctx.embeddedStore() : ctx.store());
        if (s != null) {
            b.scheduler(s);
        }
        if (ctx.pollFloor != null) {
            // --poll-min is real time; the watcher's clock runs `speed` times faster.
            Duration floor = Duration.ofNanos(Math.max(1, Math.round(ctx.pollFloor.toNanos() * speed)));
            b.minPollInterval(floor);
            if (floor.compareTo(PollPolicy.DEFAULT_MAX_INTERVAL) > 0) {
                b.maxPollInterval(floor);
            }
        }
        TaskWatcher watcher = b.build();
        WatcherMetrics.bind(watcher, ctx.meters, name);
        TaskFollower f = new TaskFollower(watcher, s, speed);
        ctx.register(f);
        return f;
    }

    /** Now on the watcher's clock: the service's time on a simulator, so a new ref's age is measured there. */
    Instant now() {
        return scheduler != null ? scheduler.now() : Instant.now();
    }

    /**
     * Follows one task the store may not know yet, submitted when {@code known} says (else now on the watcher's
     * clock).
     *
     * @throws WaitTimeoutException when the task is still running at the deadline
     */
    TrainingTask await(
            TrainingProvider provider,
            TaskId id,
            @Nullable TrainingTask known,
            Duration timeout,
            Consumer<TrainingTask> onUpdate)
            throws InterruptedException {
        Instant createdAt = known == null ? now() : known.createdAt().orElseGet(this::now);
        return await(provider, TaskRef.of(provider.info().id(), id, createdAt), known, timeout, onUpdate);
    }

    /**
     * Follows one task until it ends or {@code timeout} of real time passes, as {@link #awaitAll} does.
     *
     * @param ref the job, with its client reference and submission time (as stored, or new)
     * @param known the task as last seen (from create, say), reported when no poll succeeds before the deadline
     * @param onUpdate called with each new status or progress, on the watcher's thread
     * @throws WaitTimeoutException when the task is still running at the deadline
     */
    TrainingTask await(
            TrainingProvider provider,
            TaskRef ref,
            @Nullable TrainingTask known,
            Duration timeout,
            Consumer<TrainingTask> onUpdate)
            throws InterruptedException {
        Map<TaskId, TrainingTask> seen = known == null ? Map.of() : Map.of(known.id(), known);
        Outcome o = awaitAll(provider, List.of(ref), seen, timeout, onUpdate).get(0);
        RuntimeException error = o.error();
        if (error != null) {
            throw error;
        }
        return Objects.requireNonNull(o.task());
    }

    /** How the wait for one job ended: its terminal task, or why it did not end. */
    record Outcome(
            TaskRef ref,
            @Nullable TrainingTask task,
            @Nullable RuntimeException error) {}

    /**
     * Follows tasks of one provider until each ends or {@code timeout} of real time passes, in one watcher. Failures
     * that say nothing about a task (retryable errors, an open circuit breaker) are polled through by the watcher;
     * any other error ends that task's wait. Each ref is saved in the store before it is polled; the watcher removes
     * it when its task is terminal and keeps it, marked with why, when the deadline or an error ends the wait.
     *
     * @param onUpdate called with each new status or progress, on the watcher's thread
     * @return one outcome per ref, in order; a still-running task's error is a {@link WaitTimeoutException}
     */
    List<Outcome> awaitAll(
            TrainingProvider provider, List<TaskRef> refs, Duration timeout, Consumer<TrainingTask> onUpdate)
            throws InterruptedException {
        return awaitAll(provider, refs, Map.of(), timeout, onUpdate);
    }

    private List<Outcome> awaitAll(
            TrainingProvider provider,
            List<TaskRef> refs,
            Map<TaskId, TrainingTask> known,
            Duration timeout,
            Consumer<TrainingTask> onUpdate)
            throws InterruptedException {
        Map<TaskId, RuntimeException> lastErrors = new ConcurrentHashMap<>();
        TaskListener listener = new TaskListener() {
            @Override
            public void onProgress(TrainingTask task) {
                lastErrors.remove(task.id());
                onUpdate.accept(task);
            }

            @Override
            public void onStatus(TrainingTask task, dev.loraport.@Nullable TrainingStatus previous) {
                lastErrors.remove(task.id());
                onUpdate.accept(task);
            }

            @Override
            public void onError(TaskRef ref, RuntimeException error) {
                lastErrors.put(ref.taskId(), error);
            }
        };
        // The watcher's own deadline, on its clock: when it fires, it keeps the ref and marks why. Cancelling the
        // handle instead would drop the ref of a job that still runs.
        long millis = Math.max(1, timeout.toMillis());
        double scaled = millis * speed;
        Duration deadline = Duration.ofMillis(scaled >= Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(1, (long) scaled));
        // resume, not watch: a stored ref keeps its client reference and submission time, and loses its mark.
        List<WatchHandle> handles = watcher.resume(
                refs,
                id -> provider,
                WatchOptions.builder().listener(listener).timeout(deadline).build());
        // A guard for a stuck scheduler only; the watcher's deadline normally ends the wait first.
        long guardUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis) + GUARD.toNanos();
        List<Outcome> out = new ArrayList<>(handles.size());
        for (WatchHandle handle : handles) {
            TaskRef ref = handle.ref();
            RuntimeException error;
            try {
                long left = Math.max(1, guardUntil - System.nanoTime());
                TrainingTask done = handle.result().get(left, TimeUnit.NANOSECONDS);
                onUpdate.accept(done);
                out.add(new Outcome(ref, done, null));
                continue;
            } catch (TimeoutException e) {
                error = timedOut(handle, known, provider, timeout, lastErrors);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof TaskTimeoutException) {
                    error = timedOut(handle, known, provider, timeout, lastErrors);
                } else if (cause instanceof RuntimeException re) {
                    error = re;
                } else {
                    error = new IllegalStateException("following " + ref.taskId() + " failed", cause);
                }
            } catch (CancellationException e) {
                error = new IllegalStateException("the command stopped following " + ref.taskId(), e);
            }
            out.add(new Outcome(ref, handle.latest().orElse(known.get(ref.taskId())), error));
        }
        return out;
    }

    private static WaitTimeoutException timedOut(
            WatchHandle handle,
            Map<TaskId, TrainingTask> known,
            TrainingProvider provider,
            Duration timeout,
            Map<TaskId, RuntimeException> lastErrors) {
        TaskRef ref = handle.ref();
        RuntimeException error = lastErrors.get(ref.taskId());
        return new WaitTimeoutException(
                handle.latest().orElse(known.get(ref.taskId())),
                ref.taskId(),
                provider.info().id(),
                timeout,
                error == null ? null : TrainingWorkload.describe(error));
    }

    @Override
    public void close() {
        watcher.close();
        if (scheduler != null) {
            scheduler.close();
        }
    }

    /** The task did not end in time; it keeps running. */
    static final class WaitTimeoutException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WaitTimeoutException(
                @Nullable TrainingTask last,
                TaskId id,
                String providerId,
                Duration timeout,
                @Nullable String lastError) {
            super("still " + (last == null ? "unseen" : last.status()) + " after " + Render.duration(timeout)
                    + "; the job keeps running: " + providerId + ":" + id
                    + (lastError == null ? "" : "; last call: " + lastError));
        }
    }
}
