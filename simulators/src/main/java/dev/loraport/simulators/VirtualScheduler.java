package dev.loraport.simulators;

import dev.loraport.watch.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} on a {@link VirtualClock}: scheduled polls run, in time order, on the thread
 * that calls {@link #runFor(Duration)}, which moves the shared clock from one due poll to the next. Lets a test
 * follow hours of jobs against a simulator in milliseconds. Thread-safe.
 *
 * <pre>{@code
 * VirtualScheduler scheduler = new VirtualScheduler(novita.clock());
 * TaskWatcher watcher = TaskWatcher.builder().scheduler(scheduler).build();
 * WatchHandle handle = watcher.watch(provider, id);
 * scheduler.runFor(Duration.ofMinutes(30));
 * }</pre>
 *
 * @since 0.1
 */
public final class VirtualScheduler implements Scheduler {

    private record Scheduled(Instant at, long seq, Runnable task) {}

    private final VirtualClock clock;
    private final PriorityQueue<Scheduled> queue =
            new PriorityQueue<>(Comparator.comparing(Scheduled::at).thenComparingLong(Scheduled::seq));
    private long seq;

    /**
     * A scheduler on a manual clock shared with the simulators or fakes under test.
     *
     * @param clock the clock; it should be manual, so only this scheduler and the test move it
     */
    public VirtualScheduler(VirtualClock clock) {
        this.clock = clock;
    }

    @Override
    public Instant now() {
        return clock.now();
    }

    @Override
    public synchronized Scheduler.Cancellable schedule(Duration delay, Runnable task) {
        Scheduled job = new Scheduled(clock.now().plus(delay.isNegative() ? Duration.ZERO : delay), seq++, task);
        queue.add(job);
        return () -> {
            synchronized (this) {
                queue.remove(job);
            }
        };
    }

    /**
     * Runs every task that falls due within a duration, moving the clock to each one, then to the end.
     *
     * @param duration how much virtual time to run
     */
    public void runFor(Duration duration) {
        Instant end = clock.now().plus(duration);
        while (true) {
            Scheduled job;
            synchronized (this) {
                job = queue.peek();
                if (job == null || job.at().isAfter(end)) {
                    break;
                }
                queue.poll();
            }
            Duration step = Duration.between(clock.now(), job.at());
            if (!step.isNegative() && !step.isZero()) {
                clock.advance(step);
            }
            job.task().run();
        }
        Duration rest = Duration.between(clock.now(), end);
        if (!rest.isNegative() && !rest.isZero()) {
            clock.advance(rest);
        }
    }

    /**
     * How many tasks wait to run.
     *
     * @return the count
     */
    public synchronized int pending() {
        return queue.size();
    }
}
