package dev.loraport.watch;

import java.time.Duration;
import java.time.Instant;

/**
 * Where a {@link TaskWatcher} gets its time and runs its polls. The default uses {@link java.time.Clock#systemUTC()}
 * and a {@link java.util.concurrent.ScheduledThreadPoolExecutor}; tests and benchmarks plug in a virtual clock.
 * Implementations are thread-safe; a scheduled task may run on any thread.
 *
 * @since 0.1
 */
public interface Scheduler {

    /**
     * The current time.
     *
     * @return now
     */
    Instant now();

    /**
     * Runs a task once after a delay.
     *
     * @param delay how long to wait; zero means as soon as possible
     * @param task what to run
     * @return a way to cancel the task before it runs
     */
    Cancellable schedule(Duration delay, Runnable task);

    /**
     * A task scheduled by a {@link Scheduler}.
     *
     * @since 0.1
     */
    @FunctionalInterface
    interface Cancellable {

        /** Prevents the task from running if it has not started; does nothing otherwise. */
        void cancel();
    }
}
