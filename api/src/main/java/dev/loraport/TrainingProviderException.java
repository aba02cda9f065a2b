package dev.loraport;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * The root of every error a {@link TrainingProvider} throws: a call that failed, not a job that failed
 * (a failed job is a {@link TrainingStatus#FAILED} task).
 *
 * <p>The message reads {@code "<provider> <operation>: [HTTP <status>: ]<description>[: <provider text>]"}.
 * It never carries the API key, prompts or image URLs.
 *
 * @since 0.1
 */
public class TrainingProviderException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The provider id. */
    private final String providerId;

    /** The operation that failed. */
    private final String operation;

    /** The HTTP status, or null. */
    private final @Nullable Integer httpStatus;

    /** The service's error text, or null. */
    private final @Nullable String providerMessage;

    /**
     * Creates the exception.
     *
     * @param providerId the provider id, such as {@code novita}
     * @param operation the operation that failed, such as {@code create}
     * @param description what went wrong, in this library's words
     * @param httpStatus the HTTP status, or null when no response was read
     * @param providerMessage the service's own error text, or null
     * @param cause the underlying error, or null
     */
    public TrainingProviderException(
            String providerId,
            String operation,
            String description,
            @Nullable Integer httpStatus,
            @Nullable String providerMessage,
            @Nullable Throwable cause) {
        super(format(providerId, operation, description, httpStatus, providerMessage), cause);
        this.providerId = Objects.requireNonNull(providerId, "providerId == null");
        this.operation = Objects.requireNonNull(operation, "operation == null");
        this.httpStatus = httpStatus;
        this.providerMessage = providerMessage;
    }

    private static String format(
            String providerId,
            String operation,
            String description,
            @Nullable Integer httpStatus,
            @Nullable String providerMessage) {
        StringBuilder sb = new StringBuilder()
                .append(providerId)
                .append(' ')
                .append(operation)
                .append(": ");
        if (httpStatus != null) {
            sb.append("HTTP ").append(httpStatus).append(": ");
        }
        sb.append(description);
        if (providerMessage != null && !providerMessage.isBlank()) {
            sb.append(": ").append(providerMessage);
        }
        return sb.toString();
    }

    /**
     * The id of the provider that failed.
     *
     * @return the provider id, such as {@code novita}
     */
    public String providerId() {
        return providerId;
    }

    /**
     * The operation that failed.
     *
     * @return {@code create}, {@code status}, {@code list}, {@code cancel}, {@code generate}, {@code upload}...
     */
    public String operation() {
        return operation;
    }

    /**
     * The HTTP status of the response, if one was read.
     *
     * @return the status, or empty for connection errors and local validation
     */
    public OptionalInt httpStatus() {
        return httpStatus == null ? OptionalInt.empty() : OptionalInt.of(httpStatus);
    }

    /**
     * The service's own error text, if it sent one.
     *
     * @return the text, or empty
     */
    public Optional<String> providerMessage() {
        return Optional.ofNullable(providerMessage);
    }

    /**
     * Whether the same call may succeed if made again later. Decorators retry only such errors, and only
     * for operations that are safe to repeat.
     *
     * @return {@code false} unless a subtype says otherwise
     */
    public boolean isRetryable() {
        return false;
    }
}
