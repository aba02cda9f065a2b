package dev.loraport.provider.stablediffusionapi.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loraport.AuthenticationException;
import dev.loraport.InvalidRequestException;
import dev.loraport.ProviderUnavailableException;
import dev.loraport.QuotaExceededException;
import dev.loraport.RateLimitedException;
import dev.loraport.TaskNotFoundException;
import dev.loraport.TrainingProviderException;
import dev.loraport.adapter.internal.Answer;
import dev.loraport.adapter.internal.JsonFields;
import dev.loraport.adapter.internal.ServiceErrors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Maps a ModelsLab error body ({@code {status: "error", message}}, providers.md B.0) to a loraport exception, from
 * its message text first and its HTTP status otherwise. The service reports errors with 4xx/5xx and inside HTTP 200
 * alike, so a 2xx body whose {@code status} says {@code error} (or, on most endpoints, {@code failed}) is a failed
 * call.
 */
public final class StableDiffusionApiErrors implements ServiceErrors {

    /** The errors of every endpoint but {@code fine_tune_status}: {@code error} and {@code failed} are failed calls. */
    public static final StableDiffusionApiErrors CALLS = new StableDiffusionApiErrors(true);

    /** The errors of {@code fine_tune_status}, where {@code failed} describes the job and only {@code error} the call. */
    public static final StableDiffusionApiErrors STATUS = new StableDiffusionApiErrors(false);

    private static final String ID = StableDiffusionApiHttp.ID;

    // Only these name a task; elsewhere "not found" is about something the request named (a LoRA, a base model),
    // which the caller must change: a rejected request, not a missing task.
    private static final Set<String> TASK_OPERATIONS = Set.of("status", "cancel", "delete");

    private final boolean failedIsAnError;

    private StableDiffusionApiErrors(boolean failedIsAnError) {
        this.failedIsAnError = failedIsAnError;
    }

    @Override
    public TrainingProviderException fromErrorStatus(String operation, Answer answer) {
        return map(operation, answer);
    }

    @Override
    public @Nullable TrainingProviderException insideSuccess(String operation, Answer answer) {
        String s = bodyStatus(answer.json());
        return s.equals("error") || (failedIsAnError && s.equals("failed")) ? map(operation, answer) : null;
    }

    /**
     * The body's {@code status} field, lowercased.
     *
     * @param json the body, or null
     * @return {@code success}, {@code processing}, {@code error}, {@code failed}, or empty
     */
    public static String bodyStatus(@Nullable JsonNode json) {
        String s = JsonFields.nonBlank(json, "status");
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }

    private static TrainingProviderException map(String operation, Answer a) {
        JsonNode json = a.json();
        String message = message(json);
        String lower = message == null ? "" : message.toLowerCase(Locale.ROOT);
        int status = a.status();
        Duration retryAfter = a.retryAfter();
        if (json != null
                && json.hasNonNull("retry_after")
                && json.get("retry_after").isNumber()) {
            retryAfter = Duration.ofMillis(Math.round(json.get("retry_after").asDouble() * 1000));
        }
        if (lower.contains("api key") || lower.contains("apikey") || lower.contains("unauthori") || status == 401) {
            return new AuthenticationException(
                    ID, operation, "the service rejected the API key", status, message, null);
        }
        if (lower.contains("rate limit") || lower.contains("too many") || status == 429) {
            return new RateLimitedException(ID, operation, "rate limited", status, message, retryAfter, null);
        }
        if (lower.contains("balance")
                || lower.contains("credit")
                || lower.contains("insufficient")
                || lower.contains("wallet")
                || status == 402) {
            return new QuotaExceededException(ID, operation, "insufficient balance", status, message, null);
        }
        if ((lower.contains("not found") || status == 404) && TASK_OPERATIONS.contains(operation)) {
            return new TaskNotFoundException(ID, operation, "not found", status, message, null);
        }
        if (status >= 500) {
            return new ProviderUnavailableException(ID, operation, "the service failed", status, message, null);
        }
        return new InvalidRequestException(ID, operation, "the service rejected the request", status, message, null);
    }

    /**
     * The error text: {@code message} or {@code messege}; a validation object of field → messages is flattened.
     *
     * @param json the body, or null
     * @return the text, or null
     */
    static @Nullable String message(@Nullable JsonNode json) {
        if (json == null) {
            return null;
        }
        for (String field : new String[] {"message", "messege", "error"}) {
            JsonNode m = json.get(field);
            if (m == null || m.isNull()) {
                continue;
            }
            if (m.isObject()) {
                List<String> parts = new ArrayList<>();
                for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) m::fields) {
                    List<String> texts = new ArrayList<>();
                    e.getValue().forEach(v -> texts.add(v.asText()));
                    parts.add(
                            e.getKey() + ": " + (texts.isEmpty() ? e.getValue().asText() : String.join(" ", texts)));
                }
                return String.join("; ", parts);
            }
            if (!m.asText().isBlank()) {
                return m.asText();
            }
        }
        return null;
    }
}
