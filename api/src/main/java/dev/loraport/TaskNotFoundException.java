package dev.loraport;

import org.jspecify.annotations.Nullable;

/**
 * The service does not know the task id (HTTP 404 or its "not found" body). Not retryable.
 *
 * @since 0.1
 */
public class TaskNotFoundException extends TrainingProviderException {

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
    public TaskNotFoundException(
            String providerId,
            String operation,
            String description,
            @Nullable Integer httpStatus,
            @Nullable String providerMessage,
            @Nullable Throwable cause) {
        super(providerId, operation, description, httpStatus, providerMessage, cause);
    }
}
