package dev.loraport;

import org.jspecify.annotations.Nullable;

/**
 * The service answered with a body this library cannot read (bad JSON, an HTML error page, a missing field). Retryable for reads.
 *
 * @since 0.1
 */
public class MalformedResponseException extends TrainingProviderException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param providerId the provider id
     * @param operation the operation that failed
     * @param description what went wrong
     * @param httpStatus the HTTP status, or null
     * @param providerMessage the service's own error text, or null
     * @param cause the underlying error, or null
     */
    public MalformedResponseException(
            String providerId,
            String operation,
            String description,
            @Nullable Integer httpStatus,
            @Nullable String providerMessage,
            @Nullable Throwable cause) {
        super(providerId, operation, description, httpStatus, providerMessage, cause);
    }

    /**
     * Always retryable: the same call may succeed later.
     *
     * @return {@code true}
     */
    @Override
    public boolean isRetryable() {
        return true;
    }
}
