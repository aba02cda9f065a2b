package dev.loraport.watch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The default {@link Scheduler}: the system clock and a few daemon threads. */
final class ExecutorScheduler implements Scheduler {

    private static final AtomicInteger THREAD_IDS = new AtomicInteger(1);

    private final Clock clock = Clock.systemUTC();
    private final ScheduledThreadPoolExecutor executor;

    ExecutorScheduler(int threads) {
        executor = new ScheduledThreadPoolExecutor(threads, r -> {
            Thread t = new Thread(r, "loraport-watcher-" + THREAD_IDS.getAndIncrement());
            // Never keeps a JVM alive on its own: a process that ends abandons its watches.
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public Instant now() {
        return clock.instant();
    }

    @Override
    public Scheduler.Cancellable schedule(Duration delay, Runnable task) {
        ScheduledFuture<?> f;
        try {
            f = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // Shut down: the watcher is closing and nothing needs to run any more.
            return () -> {};
        }
        return () -> f.cancel(false);
    }

    void shutdown() {
        executor.shutdownNow();
        try {
            // Lets close() promise that the threads are gone, unless close runs on one of them.
            if (!Thread.currentThread().getName().startsWith("loraport-watcher-")) {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "ExecutorScheduler{threads=" + executor.getCorePoolSize() + "}";
    }
}
