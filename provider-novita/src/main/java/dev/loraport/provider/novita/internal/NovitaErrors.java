package dev.loraport.provider.novita.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loraport.AuthenticationException;
import dev.loraport.QuotaExceededException;
import dev.loraport.RateLimitedException;
import dev.loraport.TaskNotFoundException;
import dev.loraport.TrainingProviderException;
import dev.loraport.adapter.internal.Answer;
import dev.loraport.adapter.internal.JsonFields;
import dev.loraport.adapter.internal.ServiceErrors;
import dev.loraport.internal.HttpErrors;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Maps a Novita error body ({@code {code, reason, message, metadata}}, providers.md A.0) to a loraport exception:
 * the body's {@code reason} first, the HTTP status otherwise. The same shape inside an HTTP 2xx is a failed call
 * too.
 */
public final class NovitaErrors implements ServiceErrors {

    /** The errors of every Novita endpoint. */
    public static final NovitaErrors CALLS = new NovitaErrors();

    private static final String ID = NovitaHttp.ID;

    private NovitaErrors() {}

    @Override
    public TrainingProviderException fromErrorStatus(String operation, Answer answer) {
        return map(operation, answer.status(), answer.json(), answer.retryAfter());
    }

    @Override
    public @Nullable TrainingProviderException insideSuccess(String operation, Answer answer) {
        JsonNode node = answer.json();
        JsonNode code = node == null ? null : node.get("code");
        if (code != null && code.canConvertToInt() && code.asInt() >= 400 && node.hasNonNull("reason")) {
            // Novita's error shape inside a 2xx is still a failed call; read as data it would look empty.
            return map(operation, code.asInt(), node, null);
        }
        return null;
    }

    /**
     * The exception for an error body.
     *
     * @param operation the operation
     * @param status the HTTP status, or the body's {@code code} when it came with a 2xx
     * @param body the body, or null
     * @param retryAfter the parsed Retry-After header, or null
     * @return the exception to throw
     */
    static TrainingProviderException map(
            String operation, int status, @Nullable JsonNode body, @Nullable Duration retryAfter) {
        String reason = JsonFields.text(body, "reason");
        String message = JsonFields.text(body, "message");
        String providerText = reason == null ? message : message == null ? reason : reason + ": " + message;
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
}
