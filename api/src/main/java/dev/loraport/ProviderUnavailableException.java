package dev.loraport;

import org.jspecify.annotations.Nullable;

/**
 * The service could not be reached or failed on its side (HTTP 5xx, connection error, timeout). Retryable for operations that are safe to repeat; for {@code create}, the job may exist: decorators reconcile before submitting again.
 *
 * @since 0.1
 */
public class ProviderUnavailableException extends TrainingProviderException {

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
    public ProviderUnavailableException(
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
