package dev.loraport;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The service refused the call because of a rate limit (HTTP 429 or its body equivalent). Retryable after
 * {@link #retryAfter()} when the service said how long to wait.
 *
 * @since 0.1
 */
public class RateLimitedException extends TrainingProviderException {

    private static final long serialVersionUID = 1L;

    /** The wait the service asked for, or null. */
    private final @Nullable Duration retryAfter;

    /**
     * Creates the exception.
     *
     * @param providerId the provider id
     * @param operation the operation that failed
     * @param description what went wrong
     * @param httpStatus the HTTP status, or null
     * @param providerMessage the service's own error text, or null
     * @param retryAfter how long the service asked to wait, or null when it did not say
     * @param cause the underlying error, or null
     */
    public RateLimitedException(
            String providerId,
            String operation,
            String description,
            @Nullable Integer httpStatus,
            @Nullable String providerMessage,
            @Nullable Duration retryAfter,
            @Nullable Throwable cause) {
        super(providerId, operation, description, httpStatus, providerMessage, cause);
        this.retryAfter = retryAfter;
    }

    /**
     * How long the service asked the caller to wait.
     *
     * @return the wait from {@code Retry-After} or the body, or empty when the service did not say
     */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * Always retryable, after {@link #retryAfter()} when present.
     *
     * @return {@code true}
     */
    @Override
    public boolean isRetryable() {
        return true;
    }
}
