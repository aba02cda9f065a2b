package dev.loraport.cli;

import dev.loraport.ProviderUnavailableException;
import dev.loraport.TaskId;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingProviderException;
import dev.loraport.TrainingTask;
import java.time.Duration;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Polls one job until it ends, spacing polls by its ETA: dense near the end, sparse while it is far (on the
 * embedded simulators, time runs faster, so polls are spaced in real time accordingly).
 */
final class JobWaiter {

    private final Duration floor;
    private final Duration ceiling;

    JobWaiter(Duration floor, Duration ceiling) {
        this.floor = floor;
        this.ceiling = ceiling;
    }

    static JobWaiter forContext(CliContext ctx) {
        if (ctx.pollFloor != null) {
            return new JobWaiter(ctx.pollFloor, ctx.pollFloor.multipliedBy(4));
        }
        return ctx.simulated
                ? new JobWaiter(Duration.ofMillis(200), Duration.ofMillis(500))
                : new JobWaiter(Duration.ofSeconds(5), Duration.ofMinutes(2));
    }

    Duration nextPoll(TrainingTask t) {
        Duration d = t.eta().map(e -> e.dividedBy(2)).orElse(ceiling);
        if (d.compareTo(floor) < 0) {
            return floor;
        }
        return d.compareTo(ceiling) > 0 ? ceiling : d;
    }

    TrainingTask await(TrainingProvider provider, TaskId id, Duration timeout, Consumer<TrainingTask> onUpdate)
            throws InterruptedException {
        return await(provider, id, null, System.nanoTime() + timeout.toNanos(), timeout, onUpdate);
    }

    /**
     * Polls one job until it ends or {@code deadline} (a {@link System#nanoTime()} value) passes. A failure that
     * says nothing about the job ({@link #isPassing}) is polled through until the deadline, then rethrown.
     *
     * @param known the job as last seen (from create, say), which spaces a retry after a failed first poll
     * @param timeout what the deadline stands for, for the timeout's message
     * @throws WaitTimeoutException when the job is still running at the deadline
     */
    TrainingTask await(
            TrainingProvider provider,
            TaskId id,
            @Nullable TrainingTask known,
            long deadline,
            Duration timeout,
            Consumer<TrainingTask> onUpdate)
            throws InterruptedException {
        @Nullable TrainingTask last = known;
        while (true) {
            TrainingTask t;
            try {
                t = provider.status(id);
            } catch (TrainingProviderException e) {
                // A retryable failure that outlasted the retry decorator ends this call, not the wait.
                if (!isPassing(e) || System.nanoTime() > deadline) {
                    throw e;
                }
                sleepUntil(last == null ? floor : nextPoll(last), deadline);
                continue;
            }
            last = t;
            onUpdate.accept(t);
            if (t.status().isTerminal()) {
                return t;
            }
            if (System.nanoTime() > deadline) {
                throw new WaitTimeoutException(t, timeout);
            }
            sleepUntil(nextPoll(t), deadline);
        }
    }

    /** Sleeps for {@code wait}, but never past the deadline, so a long poll interval cannot overrun it. */
    private static void sleepUntil(Duration wait, long deadline) throws InterruptedException {
        long left = Math.max(0, (deadline - System.nanoTime()) / 1_000_000) + 1;
        Thread.sleep(Math.min(wait.toMillis(), left));
    }

    /**
     * Whether a failed status call says nothing about the job, only about the service right now: a retryable
     * error, or an open circuit breaker (not retryable at once, but it closes again after its wait).
     */
    static boolean isPassing(TrainingProviderException e) {
        return e.isRetryable() || e instanceof ProviderUnavailableException;
    }

    /** The job did not end in time; it keeps running. */
    static final class WaitTimeoutException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WaitTimeoutException(TrainingTask last, Duration timeout) {
            super(message(last, timeout));
        }

        static String message(TrainingTask last, Duration timeout) {
            return "still " + last.status() + " after " + Render.duration(timeout) + "; the job keeps running: "
                    + last.providerId() + ":" + last.id();
        }
    }
}
