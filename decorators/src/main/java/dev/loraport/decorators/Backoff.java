package dev.loraport.decorators;

import dev.loraport.Operation;
import dev.loraport.RateLimitedException;
import dev.loraport.TrainingProviderException;
import java.time.Duration;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The waits between attempts, shared by the read retry and create reconciliation so both back off alike. */
final class Backoff {

    private static final Logger log = LoggerFactory.getLogger(Backoff.class);

    private final RetrySettings settings;
    private final LoraportMetrics metrics;
    private final Sleeper sleeper;
    private final Random random;

    Backoff(RetrySettings settings, LoraportMetrics metrics, Sleeper sleeper, Random random) {
        this.settings = settings;
        this.metrics = metrics;
        this.sleeper = sleeper;
        this.random = random;
    }

    RetrySettings settings() {
        return settings;
    }

    /** Counts a retry and waits before attempt {@code attempt + 1}; an interrupt rethrows {@code e}. */
    void pause(Operation operation, int attempt, TrainingProviderException e) {
        metrics.retry(operation);
        Duration wait = wait(attempt, e);
        log.debug(
                "loraport {} {}: retrying in {} after {}",
                metrics.providerId(),
                operation,
                wait,
                e.getClass().getSimpleName());
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    /** The service's retry-after (capped) when it sent a usable one, else exponential backoff with jitter. */
    Duration wait(int attempt, TrainingProviderException e) {
        // A negative retry-after (seen in ModelsLab bodies) means nothing usable: back off as if none was sent.
        if (e instanceof RateLimitedException r
                && r.retryAfter().isPresent()
                && !r.retryAfter().get().isNegative()) {
            Duration after = r.retryAfter().get();
            return after.compareTo(settings.maxRetryAfter()) > 0 ? settings.maxRetryAfter() : after;
        }
        double base = settings.initialBackoff().toNanos() * Math.pow(settings.multiplier(), attempt - 1);
        double capped = Math.min(base, settings.maxBackoff().toNanos());
        // Full jitter within ±jitter spreads retries of many clients apart.
        double factor;
        synchronized (random) {
            factor = 1 + settings.jitter() * (2 * random.nextDouble() - 1);
        }
        return Duration.ofNanos(Math.max(0, Math.round(capped * factor)));
    }

    /** Whether the reconciler may sleep before looking for a possibly accepted task; false when interrupted. */
    boolean sleepBeforeReconciling() {
        try {
            sleeper.sleep(settings.reconcileDelay());
            return true;
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
