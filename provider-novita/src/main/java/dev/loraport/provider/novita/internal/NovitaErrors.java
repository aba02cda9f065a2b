package dev.loraport.provider.novita.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loraport.AuthenticationException;
import dev.loraport.ProviderUnavailableException;
import dev.loraport.QuotaExceededException;
import dev.loraport.RateLimitedException;
import dev.loraport.TaskNotFoundException;
import dev.loraport.TrainingProviderException;
import dev.loraport.internal.HttpErrors;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Maps a Novita error response ({@code {code, reason, message, metadata}}, providers.md A.0) to a loraport
 * exception: the body's {@code reason} first, the HTTP status otherwise.
 */
public final class NovitaErrors {

    static final String ID = "novita";

    private NovitaErrors() {}

    /**
     * The exception for an error response.
     *
     * @param operation the operation
     * @param status the HTTP status
     * @param body the parsed body, or null when it was not JSON
     * @param retryAfter the parsed Retry-After header, or null
     * @return the exception to throw
     */
    public static TrainingProviderException map(
            String operation, int status, @Nullable JsonNode body, @Nullable Duration retryAfter) {
        String reason = text(body, "reason");
        String message = text(body, "message");
        String providerText = reason == null ? message : message == null ? reason : reason + ": " + message;
        if (body == null) {
            if (status >= 500) {
                return new ProviderUnavailableException(
                        ID, operation, "the service failed with a non-JSON body", status, null, null);
            }
            providerText = "non-JSON error body";
        }
        if (reason != null) {
            switch (reason) {
                case "INVALID_API_KEY", "MISSING_API_KEY", "BILLING_AUTH_FAILED" -> {
                    return new AuthenticationException(
                            ID, operation, "the service rejected the API key", status, providerText, null);
                }
                case "BILLING_BALANCE_NOT_ENOUGH", "ANONYMOUS_ACCESS_QUOTA_EXCEEDS" -> {
                    return new QuotaExceededException(
                            ID, operation, "insufficient balance", status, providerText, null);
                }
                case "TASK_NOT_FOUND" -> {
                    return new TaskNotFoundException(ID, operation, "unknown task", status, providerText, null);
                }
                case "RATE_LIMIT_EXCEEDED" -> {
                    return new RateLimitedException(
                            ID, operation, "rate limited", status, providerText, retryAfter, null);
                }
                default -> {
                    // Fall through to the status-based default.
                }
            }
        }
        return HttpErrors.fromStatus(ID, operation, status, providerText, retryAfter);
    }

    /**
     * A field as text.
     *
     * @param node the object, or null
     * @param field the field
     * @return the text, or null when absent, null or empty
     */
    public static @Nullable String text(@Nullable JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }
}
