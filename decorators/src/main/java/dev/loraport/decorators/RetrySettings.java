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

    /** The most attempts of one logical call. */
    static final int MAX_ATTEMPTS = 100;

    /** The most list pages searched for a possibly accepted create, as many as a listing reads at most. */
    static final int MAX_RECONCILE_PAGES = dev.loraport.Page.DEFAULT_MAX_PAGES;

    /**
     * Reads the settings, naming keys with the configuration's own provider id.
     *
     * @throws IllegalArgumentException naming the key of a value that is unreadable or out of range
     */
    static RetrySettings from(ProviderConfig config) {
        return from(new DecoratorSettings(config, config.providerId().orElse("<id>")));
    }

    /**
     * Reads the settings. A wait of zero between attempts, or one that jitter or a multiplier below 1 can bring to
     * zero, would turn an outage into a retry storm; so would a zero cap on the service's retry-after.
     *
     * @throws IllegalArgumentException naming the key of a value that is unreadable or out of range
     */
    static RetrySettings from(DecoratorSettings s) {
        boolean enabled = s.flag("retry.enabled", true);
        // Checked even when retry is off, so the value is valid the day it is turned on.
        int attempts = s.wholeNumber("retry.max-attempts", 4, 1, MAX_ATTEMPTS);
        Duration millisecond = Duration.ofMillis(1);
        return new RetrySettings(
                enabled ? attempts : 1,
                s.duration("retry.initial-backoff", Duration.ofSeconds(1), millisecond, Duration.ofHours(1)),
                s.duration("retry.max-backoff", Duration.ofSeconds(30), millisecond, Duration.ofHours(24)),
                s.number("retry.multiplier", 2.0, 1.0, 100.0),
                // Above 1, a wait could be negative, and so none at all.
                s.number("retry.jitter", 0.5, 0.0, 1.0),
                s.duration("retry.max-retry-after", Duration.ofSeconds(60), millisecond, Duration.ofHours(24)),
                s.duration("reconcile.delay", Duration.ofSeconds(2), Duration.ZERO, Duration.ofHours(1)),
                // Below 1, no page is searched and every lost create is unknown.
                s.wholeNumber("reconcile.max-pages", 1000, 1, MAX_RECONCILE_PAGES));
    }
}
