package dev.loraport;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The request was rejected: by local validation against {@link ProviderCapabilities} before any network
 * call, or by the service (HTTP 400/422). Each {@link Violation} names the field, the value and what is
 * allowed. Not retryable: fix the request.
 *
 * @since 0.1
 */
public class InvalidRequestException extends TrainingProviderException {

    private static final long serialVersionUID = 1L;

    /**
     * One problem with one field of a request.
     *
     * @param field the field, as the builder names it ({@code steps}, {@code images[2].caption})
     * @param problem what is wrong and what is allowed
     */
    public record Violation(String field, String problem) {

        /**
         * Rejects null parts.
         *
         * @param field the field
         * @param problem what is wrong
         */
        public Violation {
            Objects.requireNonNull(field, "field == null");
            Objects.requireNonNull(problem, "problem == null");
        }

        @Override
        public String toString() {
            return field + ": " + problem;
        }
    }

    /** The locally found violations. */
    private final List<Violation> violations;

    /**
     * Creates the exception for an error the service reported.
     *
     * @param providerId the provider id
     * @param operation the operation that failed
     * @param description what went wrong
     * @param httpStatus the HTTP status, or null
     * @param providerMessage the service's own error text, or null
     * @param cause the underlying error, or null
     */
    public InvalidRequestException(
            String providerId,
            String operation,
            String description,
            @Nullable Integer httpStatus,
            @Nullable String providerMessage,
            @Nullable Throwable cause) {
        super(providerId, operation, description, httpStatus, providerMessage, cause);
        this.violations = List.of();
    }

    /**
     * Creates the exception for violations found locally, before any network call.
     *
     * @param providerId the provider id
     * @param operation the operation that was refused
     * @param violations every problem found; not empty
     */
    public InvalidRequestException(String providerId, String operation, List<Violation> violations) {
        super(providerId, operation, describe(violations), null, null, null);
        this.violations = List.copyOf(violations);
    }

    private static String describe(List<Violation> violations) {
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("violations is empty");
        }
        String prefix =
                violations.size() == 1 ? "invalid request: " : "invalid request, " + violations.size() + " problems: ";
        return prefix + violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
    }

    /**
     * The problems found by local validation.
     *
     * @return every violation, or an empty list when the service rejected the request
     */
    public List<Violation> violations() {
        return violations;
    }
}
