package dev.loraport.decorators;

import dev.loraport.AuthenticationException;
import dev.loraport.InvalidRequestException;
import dev.loraport.MalformedResponseException;
import dev.loraport.Operation;
import dev.loraport.ProviderUnavailableException;
import dev.loraport.QuotaExceededException;
import dev.loraport.RateLimitedException;
import dev.loraport.TaskNotFoundException;
import dev.loraport.UnsupportedCapabilityException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Names and tag keys of the meters loraport publishes, and the counting the decorators share. Tags never
 * carry an API key, prompt, URL or task id. Thread-safe.
 *
 * @since 0.1
 */
public final class LoraportMetrics {

    /** Timer of logical calls, tagged provider, operation, outcome, exception. */
    public static final String REQUESTS = "loraport.requests";
    /** Counter of calls sent to the adapter (each retry is one more), tagged provider, operation. */
    public static final String ATTEMPTS = "loraport.attempts";
    /** Counter of retries, tagged provider, operation. */
    public static final String RETRIES = "loraport.retries";
    /** Counter of calls that waited for the rate limiter, tagged provider. */
    public static final String RATE_LIMIT_WAITS = "loraport.rate.limit.waits";
    /** Counter of create reconciliations, tagged provider, result ({@code found}, {@code absent}, {@code unknown}). */
    public static final String RECONCILIATIONS = "loraport.reconciliations";
    /** Counter of creates whose job was found by reconciliation instead of being submitted again. */
    public static final String DUPLICATES_AVOIDED = "loraport.creates.duplicates.avoided";
    /** Gauge of jobs a watcher follows. */
    public static final String TASKS_WATCHED = "loraport.tasks.watched";

    /** Tag key: the provider id. */
    public static final String TAG_PROVIDER = "provider";
    /** Tag key: the operation ({@code create}, {@code status}...). */
    public static final String TAG_OPERATION = "operation";
    /** Tag key: the outcome, see {@link Outcome}. */
    public static final String TAG_OUTCOME = "outcome";
    /** Tag key: the exception's simple class name, or {@code none}. */
    public static final String TAG_EXCEPTION = "exception";
    /** Tag key: the reconciliation result. */
    public static final String TAG_RESULT = "result";

    /** The outcome of a logical call, as a tag value. */
    public enum Outcome {
        /** The call succeeded. */
        SUCCESS,
        /** The caller's request or credentials were refused (4xx). */
        CLIENT_ERROR,
        /** The service failed or could not be reached (5xx, I/O, unreadable body). */
        SERVER_ERROR,
        /** A rate limit refused the call. */
        RATE_LIMITED,
        /** Anything else. */
        UNKNOWN;

        /**
         * The tag value.
         *
         * @return the lowercase name
         */
        public String asTag() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * Classifies a failure.
         *
         * @param error the exception a call threw, or null for success
         * @return the outcome
         */
        public static Outcome of(@Nullable Throwable error) {
            if (error == null) {
                return SUCCESS;
            }
            if (error instanceof RateLimitedException) {
                return RATE_LIMITED;
            }
            if (error instanceof ProviderUnavailableException || error instanceof MalformedResponseException) {
                return SERVER_ERROR;
            }
            if (error instanceof InvalidRequestException
                    || error instanceof AuthenticationException
                    || error instanceof TaskNotFoundException
                    || error instanceof QuotaExceededException
                    || error instanceof UnsupportedCapabilityException) {
                return CLIENT_ERROR;
            }
            return UNKNOWN;
        }
    }

    private final MeterRegistry registry;
    private final String providerId;

    LoraportMetrics(MeterRegistry registry, String providerId) {
        this.registry = registry;
        this.providerId = providerId;
    }

    MeterRegistry registry() {
        return registry;
    }

    String providerId() {
        return providerId;
    }

    void attempt(Operation operation) {
        counter(ATTEMPTS, TAG_OPERATION, operation.id()).increment();
    }

    void retry(Operation operation) {
        counter(RETRIES, TAG_OPERATION, operation.id()).increment();
    }

    void rateLimitWait() {
        Counter.builder(RATE_LIMIT_WAITS)
                .tag(TAG_PROVIDER, providerId)
                .register(registry)
                .increment();
    }

    void reconciliation(String result) {
        counter(RECONCILIATIONS, TAG_RESULT, result).increment();
    }

    void duplicateAvoided() {
        Counter.builder(DUPLICATES_AVOIDED)
                .tag(TAG_PROVIDER, providerId)
                .register(registry)
                .increment();
    }

    private Counter counter(String name, String key, String value) {
        return Counter.builder(name)
                .tag(TAG_PROVIDER, providerId)
                .tag(key, value)
                .register(registry);
    }
}
