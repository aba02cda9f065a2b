package dev.loraport.decorators;

import dev.loraport.ProviderConfig;
import java.time.Duration;

/** Retry and reconciliation settings read from {@code loraport.<id>.retry.*} and {@code reconcile.*}. */
record RetrySettings(
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff,
        double multiplier,
        double jitter,
        Duration maxRetryAfter,
        Duration reconcileDelay,
        int reconcileMaxPages) {

    static RetrySettings from(ProviderConfig config) {
        boolean enabled = config.booleanOption("retry.enabled", true);
        int attempts = enabled ? config.intOption("retry.max-attempts", 4) : 1;
        if (attempts < 1) {
            throw new IllegalArgumentException("loraport." + config.providerId().orElse("<id>")
                    + ".retry.max-attempts: " + attempts + " is out of range; allowed 1 or more");
        }
        return new RetrySettings(
                attempts,
                config.durationOption("retry.initial-backoff", Duration.ofSeconds(1)),
                config.durationOption("retry.max-backoff", Duration.ofSeconds(30)),
                config.doubleOption("retry.multiplier", 2.0),
                config.doubleOption("retry.jitter", 0.5),
                config.durationOption("retry.max-retry-after", Duration.ofSeconds(60)),
                config.durationOption("reconcile.delay", Duration.ofSeconds(2)),
                config.intOption("reconcile.max-pages", 50));
    }
}
