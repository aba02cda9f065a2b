package dev.loraport.decorators;

import dev.loraport.Operation;
import dev.loraport.RateLimitedException;
import dev.loraport.TrainingProvider;
import io.github.resilience4j.ratelimiter.RateLimiter;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Spaces calls to one provider instance. Innermost, so every retried attempt and every watcher poll takes a
 * permit. Waiting is bounded by the limiter's timeout and counted.
 */
final class RateLimitingProvider extends InterceptingProvider {

    private final RateLimiter limiter;
    private final LoraportMetrics metrics;
    private final Sleeper sleeper;

    RateLimitingProvider(TrainingProvider delegate, RateLimiter limiter, LoraportMetrics metrics, Sleeper sleeper) {
        super(delegate);
        this.limiter = limiter;
        this.metrics = metrics;
        this.sleeper = sleeper;
    }

    @Override
    <T> T intercept(Operation operation, Supplier<T> call) {
        long waitNanos = limiter.reservePermission();
        if (waitNanos < 0) {
            Duration period = limiter.getRateLimiterConfig().getLimitRefreshPeriod();
            throw new RateLimitedException(
                    metrics.providerId(),
                    operation.id(),
                    "local rate limit: no permit within "
                            + limiter.getRateLimiterConfig().getTimeoutDuration()
                            + " (loraport." + metrics.providerId() + ".ratelimit.*)",
                    null,
                    null,
                    period,
                    null);
        }
        if (waitNanos > 0) {
            metrics.rateLimitWait();
            try {
                sleeper.sleep(Duration.ofNanos(waitNanos));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RateLimitedException(
                        metrics.providerId(),
                        operation.id(),
                        "interrupted while waiting for a permit",
                        null,
                        null,
                        null,
                        e);
            }
        }
        return call.get();
    }
}
