package dev.loraport.cli;

import dev.loraport.PollPolicy;
import dev.loraport.ProviderConfig;
import dev.loraport.TaskId;
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
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * How the command follows tasks: through the library's {@link TaskWatcher} and its {@link PollPolicy}, the same
 * code users run, never a poll loop of its own. On a simulator the watcher runs on the simulator's time, so the
 * policy's floor scales with the simulator's speed.
 */
final class TaskFollower implements AutoCloseable {

    private final TaskWatcher watcher;
    private final @Nullable SimulatedTimeScheduler scheduler;

    private TaskFollower(TaskWatcher watcher, @Nullable SimulatedTimeScheduler scheduler) {
        this.watcher = watcher;
        this.scheduler = scheduler;
    }

    /**
     * A follower for an embedded simulator's clock, or for the configured service: on the wall clock, or on the
     * wall clock sped up by {@code loraport.simulator.speed} when that names a simulator in another process
     * ({@code loraport simulate} prints it). {@code --poll-min} is real time on every clock. {@code name} tags the
     * watcher's meters.
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
        TaskWatcher.Builder b = TaskWatcher.builder();
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
        TaskFollower f = new TaskFollower(watcher, s);
        ctx.register(f);
        return f;
    }

    /**
     * Follows one task until it ends or {@code timeout} of real time passes. Failures that say nothing about the
     * task (retryable errors, an open circuit breaker) are polled through by the watcher; any other error ends the
     * wait.
     *
     * @param known the task as last seen (from create, say), reported when no poll succeeds before the deadline
     * @param onUpdate called with each new status or progress, on the watcher's thread
     * @throws WaitTimeoutException when the task is still running at the deadline
     */
    TrainingTask await(
            TrainingProvider provider,
            TaskId id,
            @Nullable TrainingTask known,
            Duration timeout,
            Consumer<TrainingTask> onUpdate)
            throws InterruptedException {
        AtomicReference<@Nullable RuntimeException> lastError = new AtomicReference<>();
        TaskListener listener = new TaskListener() {
            @Override
            public void onProgress(TrainingTask task) {
                lastError.set(null);
                onUpdate.accept(task);
            }

            @Override
            public void onStatus(TrainingTask task, dev.loraport.@Nullable TrainingStatus previous) {
                lastError.set(null);
                onUpdate.accept(task);
            }

            @Override
            public void onError(TaskRef ref, RuntimeException error) {
                lastError.set(error);
            }
        };
        WatchHandle handle = watcher.watch(
                provider, id, WatchOptions.builder().listener(listener).build());
        try {
            TrainingTask done = handle.result().get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
            onUpdate.accept(done);
            return done;
        } catch (TimeoutException e) {
            handle.cancel();
            TrainingTask last = handle.latest().orElse(known);
            RuntimeException error = lastError.get();
            throw new WaitTimeoutException(
                    last, id, provider.info().id(), timeout, error == null ? null : TrainingWorkload.describe(error));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("following " + id + " failed", cause);
        } catch (InterruptedException e) {
            handle.cancel();
            throw e;
        } catch (CancellationException e) {
            throw new IllegalStateException("the command stopped following " + id, e);
        }
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
