package dev.loraport;

import org.jspecify.annotations.Nullable;

/**
 * The account lacks balance or credits for the call. Not a rate limit and not retryable: top up the account.
 *
 * @since 0.1
 */
public class QuotaExceededException extends TrainingProviderException {

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
    public QuotaExceededException(
            String providerId,
            String operation,
            String description,
            @Nullable Integer httpStatus,
            @Nullable String providerMessage,
            @Nullable Throwable cause) {
        super(providerId, operation, description, httpStatus, providerMessage, cause);
    }
}
