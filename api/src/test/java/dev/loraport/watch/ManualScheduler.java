package dev.loraport.watch;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.PriorityQueue;

/** Virtual time for the watcher: {@link #advance} runs due tasks in time order on the calling thread. */
final class ManualScheduler implements Scheduler {

    private static final class Job {
        final Instant at;
        final long seq;
        final Runnable task;
        boolean cancelled;

        Job(Instant at, long seq, Runnable task) {
            this.at = at;
            this.seq = seq;
            this.task = task;
        }
    }

    private final PriorityQueue<Job> queue =
            new PriorityQueue<>(Comparator.comparing((Job j) -> j.at).thenComparingLong(j -> j.seq));
    private Instant now;
    private long seq;

    ManualScheduler(Instant start) {
        this.now = start;
    }

    ManualScheduler() {
        this(Instant.parse("2026-11-24T10:00:00Z"));
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public synchronized Scheduler.Cancellable schedule(Duration delay, Runnable task) {
        Job job = new Job(now.plus(delay.isNegative() ? Duration.ZERO : delay), seq++, task);
        queue.add(job);
        return () -> {
            synchronized (this) {
                job.cancelled = true;
                queue.remove(job);
            }
        };
    }

    /** Moves time forward, running every task that falls due on the way. */
    void advance(Duration d) {
        Instant target;
        synchronized (this) {
            target = now.plus(d);
        }
        while (true) {
            Job job;
            synchronized (this) {
                job = queue.peek();
                if (job == null || job.at.isAfter(target)) {
                    break;
                }
                queue.poll();
                if (job.at.isAfter(now)) {
                    now = job.at;
                }
            }
            if (!job.cancelled) {
                job.task.run();
            }
        }
        synchronized (this) {
            now = target;
        }
    }

    /** Runs whatever is due now. */
    void runDue() {
        advance(Duration.ZERO);
    }

    synchronized int pending() {
        return queue.size();
    }
}
