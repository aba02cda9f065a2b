package dev.loraport.provider.stablediffusionapi.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loraport.AuthenticationException;
import dev.loraport.InvalidRequestException;
import dev.loraport.MalformedResponseException;
import dev.loraport.ProviderUnavailableException;
import dev.loraport.QuotaExceededException;
import dev.loraport.RateLimitedException;
import dev.loraport.TaskNotFoundException;
import dev.loraport.TrainingProviderException;
import dev.loraport.internal.HttpErrors;
import dev.loraport.internal.config.ConfigValues;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import retrofit2.Call;
import retrofit2.Response;

/**
 * Runs ModelsLab calls: adds the key to every JSON body, reads the body whatever the HTTP status (the service
 * reports errors both with 4xx/5xx and inside HTTP 200), and maps failures to loraport exceptions.
 */
public final class StableDiffusionApiHttp {

    /** The provider id. */
    public static final String ID = "stablediffusionapi";

    private static final Logger log = LoggerFactory.getLogger(StableDiffusionApiHttp.class);
    private static final MediaType JSON = MediaType.get("application/json");

    private final ObjectMapper mapper;
    private final String key;
    private final Clock clock;

    /**
     * Creates the runner.
     *
     * @param mapper the JSON mapper
     * @param key the API key, added to bodies and scrubbed from anything echoed back
     * @param clock for Retry-After dates
     */
    public StableDiffusionApiHttp(ObjectMapper mapper, String key, Clock clock) {
        this.mapper = mapper;
        this.key = key;
        this.clock = clock;
    }

    /**
     * A JSON body carrying the key and the given fields.
     *
     * @param fields the fields, or null for a key-only body
     * @return the body
     */
    public RequestBody body(@Nullable ObjectNode fields) {
        ObjectNode node = mapper.createObjectNode();
        node.put("key", key);
        if (fields != null) {
            node.setAll(fields);
        }
        try {
            return RequestBody.create(mapper.writeValueAsBytes(node), JSON);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise request", e);
        }
    }

    /** A response read whatever its status. */
    public record Answer(
            int status, @Nullable JsonNode json, @Nullable Duration retryAfter) {

        /**
         * The body's {@code status} field, lowercased.
         *
         * @return {@code success}, {@code processing}, {@code error}, {@code failed}, or empty
         */
        public String bodyStatus() {
            String s = json == null ? null : text(json, "status");
            return s == null ? "" : s.toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Executes a call and returns its parsed body without judging it.
     *
     * @param operation the operation, for errors
     * @param call the call
     * @return the answer
     */
    public Answer send(String operation, Call<ResponseBody> call) {
        Response<ResponseBody> response;
        byte[] bytes;
        try {
            response = call.execute();
            ResponseBody body = response.isSuccessful() ? response.body() : response.errorBody();
            bytes = body == null ? new byte[0] : body.bytes();
        } catch (IOException e) {
            throw HttpErrors.fromIo(ID, operation, e);
        }
        log.debug(
                "stablediffusionapi {} {} -> HTTP {}",
                operation,
                call.request().url().encodedPath(),
                response.code());
        JsonNode json = null;
        if (bytes.length > 0) {
            try {
                json = mapper.readTree(bytes);
            } catch (IOException e) {
                json = null;
            }
        }
        return new Answer(
                response.code(),
                json == null || !json.isObject() ? null : json,
                HttpErrors.parseRetryAfter(response.headers().get("Retry-After"), clock));
    }

    /**
     * Executes a call and returns its body only when it is a success.
     *
     * @param operation the operation, for errors
     * @param call the call
     * @return the JSON body of a success
     */
    public JsonNode execute(String operation, Call<ResponseBody> call) {
        Answer a = send(operation, call);
        if (a.json() == null) {
            throw nonJson(operation, a.status());
        }
        if (a.status() / 100 != 2
                || a.bodyStatus().equals("error")
                || a.bodyStatus().equals("failed")) {
            throw error(operation, a);
        }
        return a.json();
    }

    /**
     * The exception for a body that is not a JSON object.
     *
     * @param operation the operation
     * @param status the HTTP status
     * @return the exception
     */
    public static TrainingProviderException nonJson(String operation, int status) {
        if (status >= 500) {
            return new ProviderUnavailableException(
                    ID, operation, "the service failed with a non-JSON body", status, null, null);
        }
        if (status / 100 == 2) {
            String hint = operation.equals("create") ? "; the job may have been created" : "";
            return new MalformedResponseException(
                    ID,
                    operation,
                    "the service answered with a body that is not a JSON object" + hint,
                    status,
                    null,
                    null);
        }
        return HttpErrors.fromStatus(ID, operation, status, "non-JSON error body", null);
    }

    /**
     * The exception for an error answer, from its message text first and its HTTP status otherwise.
     *
     * @param operation the operation
     * @param a the answer
     * @return the exception
     */
    public TrainingProviderException error(String operation, Answer a) {
        JsonNode json = a.json();
        String message = ConfigValues.redact(message(json), key);
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
        if (lower.contains("not found") || status == 404) {
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

    /**
     * A field as text.
     *
     * @param node the object, or null
     * @param field the field
     * @return the text, or null when absent, null or blank
     */
    public static @Nullable String text(@Nullable JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }
}
