package dev.loraport.cli;

import dev.loraport.watch.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A watcher's scheduler on a simulator's sped-up time: {@link #now()} is the service's clock, and a delay of
 * {@code d} service time waits {@code d / speed} real time. So the poll policy's floor, ETAs and expected
 * durations mean the same on a simulator at ×120 as on the real service, and a task that is READY is seen within
 * seconds of service time, which is milliseconds of real time.
 */
final class SimulatedTimeScheduler implements Scheduler, AutoCloseable {

    private final Supplier<Instant> now;
    private final double speed;
    private final ScheduledThreadPoolExecutor executor;

    SimulatedTimeScheduler(Supplier<Instant> now, double speed) {
        if (!(speed > 0)) {
            throw new IllegalArgumentException("speed: " + speed + " is out of range; allowed > 0");
        }
        this.now = now;
        this.speed = speed;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "loraport-cli-watcher");
            // A command that ends abandons its watches; the jobs go on at the service.
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    /**
     * A scheduler on the time of a simulator in another process whose sped-up clock started at {@code started}
     * (wall time): that clock reads {@code started + (now - started) × speed}, and so does this one. Without the
     * start the two would differ by the gap between the processes' starts times the speed, and a task's creation
     * time would lie in this clock's future.
     */
    static SimulatedTimeScheduler scaledWallClock(double speed, Instant started) {
        return new SimulatedTimeScheduler(
                () -> {
                    long elapsedNanos = Duration.between(started, Instant.now()).toNanos();
                    return started.plusNanos((long) (elapsedNanos * speed));
                },
                speed);
    }

    @Override
    public Instant now() {
        return now.get();
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        long realNanos = (long) (delay.toNanos() / speed);
        try {
            ScheduledFuture<?> f = executor.schedule(task, Math.max(0, realNanos), TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        } catch (RejectedExecutionException e) {
            // Closed: the command is ending and nothing needs to run any more.
            return () -> {};
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
