package dev.loraport.decorators;

import dev.loraport.Operation;
import dev.loraport.RateLimitedException;
import dev.loraport.TrainingProvider;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Spaces calls to one provider account. Innermost, so every retried attempt and every watcher poll takes a
 * permit. Permits come from a {@link SharedRateLimit.Budget}: this stack's own Resilience4j limiter by default,
 * or a budget shared by every worker of the account. Waiting is bounded by {@code ratelimit.max-wait}, goes
 * through the stack's {@link Sleeper} and is counted.
 */
final class RateLimitingProvider extends InterceptingProvider {

    private final SharedRateLimit.Budget budget;
    private final Duration maxWait;
    private final String kind;
    private final Duration retryAfter;
    private final LoraportMetrics metrics;
    private final Sleeper sleeper;

    private RateLimitingProvider(
            TrainingProvider delegate,
            SharedRateLimit.Budget budget,
            Duration maxWait,
            String kind,
            Duration retryAfter,
            LoraportMetrics metrics,
            Sleeper sleeper) {
        super(delegate);
        this.budget = budget;
        this.maxWait = maxWait;
        this.kind = kind;
        this.retryAfter = retryAfter;
        this.metrics = metrics;
        this.sleeper = sleeper;
    }

    /** This stack's own limiter, which counts this stack's calls only. */
    static RateLimitingProvider local(
            TrainingProvider delegate, RateLimiter limiter, LoraportMetrics metrics, Sleeper sleeper) {
        RateLimiterConfig c = limiter.getRateLimiterConfig();
        // Resilience4j applies its own timeout (the same max-wait) and answers -1 past it.
        SharedRateLimit.Budget own = maxWait -> {
            long nanos = limiter.reservePermission();
            return nanos < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(nanos));
        };
        return new RateLimitingProvider(
                delegate, own, c.getTimeoutDuration(), "local", c.getLimitRefreshPeriod(), metrics, sleeper);
    }

    /** A budget shared with the account's other stacks; one permit refills in {@code 1 / permitsPerSecond}. */
    static RateLimitingProvider shared(
            TrainingProvider delegate,
            SharedRateLimit.Budget budget,
            double permitsPerSecond,
            Duration maxWait,
            LoraportMetrics metrics,
            Sleeper sleeper) {
        Duration onePermit = Duration.ofNanos(Math.max(1, Math.round(1e9 / permitsPerSecond)));
        return new RateLimitingProvider(delegate, budget, maxWait, "shared", onePermit, metrics, sleeper);
    }

    @Override
    <T> T intercept(Operation operation, Supplier<T> call) {
        Optional<Duration> wait = Objects.requireNonNull(budget.reserve(maxWait), "rate budget answered null");
        if (wait.isEmpty()) {
            throw new RateLimitedException(
                    metrics.providerId(),
                    operation.id(),
                    kind + " rate limit: no permit within " + maxWait + " (loraport." + metrics.providerId()
                            + ".ratelimit.*)",
                    null,
                    null,
                    retryAfter,
                    null);
        }
        Duration d = wait.get();
        if (!d.isZero() && !d.isNegative()) {
            metrics.rateLimitWait();
            try {
                sleeper.sleep(d);
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
