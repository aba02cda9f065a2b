package dev.loraport.internal;

import dev.loraport.AuthenticationException;
import dev.loraport.InvalidRequestException;
import dev.loraport.ProviderUnavailableException;
import dev.loraport.QuotaExceededException;
import dev.loraport.RateLimitedException;
import dev.loraport.TaskNotFoundException;
import dev.loraport.TrainingProviderException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/**
 * Default mapping of HTTP statuses and I/O failures to loraport exceptions, for adapters to refine with
 * their service's body codes. Not API.
 */
public final class HttpErrors {

    private HttpErrors() {}

    /**
     * The exception an HTTP error status means when the body says nothing more specific.
     *
     * @param providerId the provider id
     * @param operation the operation
     * @param status the HTTP status (not 2xx)
     * @param providerMessage the service's error text, or null
     * @param retryAfter the parsed {@code Retry-After}, or null
     * @return the exception to throw
     */
    public static TrainingProviderException fromStatus(
            String providerId,
            String operation,
            int status,
            @Nullable String providerMessage,
            @Nullable Duration retryAfter) {
        return switch (status) {
            case 401, 403 ->
                new AuthenticationException(
                        providerId, operation, "the service rejected the API key", status, providerMessage, null);
            case 402 ->
                new QuotaExceededException(
                        providerId, operation, "insufficient balance or credits", status, providerMessage, null);
            case 404 -> new TaskNotFoundException(providerId, operation, "not found", status, providerMessage, null);
            case 408 ->
                new ProviderUnavailableException(
                        providerId, operation, "the service timed out", status, providerMessage, null);
            case 429 ->
                new RateLimitedException(
                        providerId, operation, "rate limited", status, providerMessage, retryAfter, null);
            default -> {
                if (status >= 500) {
                    yield new ProviderUnavailableException(
                            providerId, operation, "the service failed", status, providerMessage, null);
                }
                if (status >= 400) {
                    yield new InvalidRequestException(
                            providerId, operation, "the service rejected the request", status, providerMessage, null);
                }
                yield new TrainingProviderException(
                        providerId, operation, "unexpected response", status, providerMessage, null);
            }
        };
    }

    /**
     * The exception a transport failure means: always {@link ProviderUnavailableException}.
     *
     * @param providerId the provider id
     * @param operation the operation
     * @param e the failure
     * @return the exception to throw
     */
    public static ProviderUnavailableException fromIo(String providerId, String operation, IOException e) {
        String what = e instanceof SocketTimeoutException || e instanceof InterruptedIOException
                ? "timed out"
                : "connection failed";
        // The exception's own text may hold a URL; the class name is enough and leaks nothing.
        return new ProviderUnavailableException(
                providerId, operation, what + " (" + e.getClass().getSimpleName() + ")", null, null, e);
    }

    /**
     * Parses a {@code Retry-After} value: delay seconds or an HTTP date.
     *
     * @param value the header value, or null
     * @param clock the clock for HTTP dates
     * @return the wait, or null when absent or unreadable
     */
    public static @Nullable Duration parseRetryAfter(@Nullable String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            double seconds = Double.parseDouble(v);
            return seconds < 0 ? null : Duration.ofMillis(Math.round(seconds * 1000));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                Duration d = Duration.between(clock.instant(), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }
}
