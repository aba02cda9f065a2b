package dev.loraport;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@link TrainingProvider#await} on the calling thread: polls with {@link PollPolicy#defaults()} and sleeps in
 * between, so waiting for one task needs no thread, scheduler or shared state of its own.
 */
final class Await {

    private Await() {}

    static TrainingTask await(TrainingProvider provider, TaskId id, Duration timeout, PollPolicy policy) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout: " + timeout + " is negative");
        }
        String providerId = provider.info().id();
        Instant since = Instant.now();
        Instant deadline = saturatedPlus(since, timeout);
        PollPolicy.Memory memory = PollPolicy.Memory.none();
        TrainingTask latest = null;
        int failures = 0;
        while (true) {
            long waitMillis;
            try {
                TrainingTask task = provider.status(id);
                latest = task;
                failures = 0;
                if (task.status().isTerminal()) {
                    return task;
                }
                PollPolicy.Next next = policy.next(
                        task,
                        Instant.now(),
                        since,
                        memory,
                        PollPolicy.Shared.alone(),
                        ThreadLocalRandom.current().nextDouble());
                memory = next.memory();
                waitMillis = next.delay().toMillis();
            } catch (TrainingProviderException e) {
                if (!PollPolicy.pollsAgainAfter(e)) {
                    throw e;
                }
                failures++;
                waitMillis = policy.backoff(
                                failures, ThreadLocalRandom.current().nextDouble())
                        .toMillis();
                if (e instanceof RateLimitedException rl && rl.retryAfter().isPresent()) {
                    waitMillis = Math.max(waitMillis, rl.retryAfter().get().toMillis());
                }
            }
            Instant now = Instant.now();
            if (!now.isBefore(deadline)) {
                throw new TaskTimeoutException(providerId, id, null, deadline, latest);
            }
            // Never sleep past the deadline: the last poll comes at it, so a task that just ended is not reported
            // as timed out.
            long left = Duration.between(now, deadline).toMillis();
            sleep(providerId, id, Math.max(1, Math.min(waitMillis, left)));
        }
    }

    private static void sleep(String providerId, TaskId id, long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            CancellationException ce =
                    new CancellationException("interrupted while awaiting " + providerId + " task " + id);
            ce.initCause(e);
            throw ce;
        }
    }

    private static Instant saturatedPlus(Instant start, Duration d) {
        try {
            return start.plus(d);
        } catch (ArithmeticException | java.time.DateTimeException e) {
            return Instant.MAX;
        }
    }
}
