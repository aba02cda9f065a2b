package dev.loraport.provider.novita.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loraport.MalformedResponseException;
import dev.loraport.internal.HttpErrors;
import dev.loraport.internal.config.ConfigValues;
import java.io.IOException;
import java.time.Clock;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import retrofit2.Call;
import retrofit2.Response;

/** Runs one Retrofit call and turns anything but a readable 2xx JSON body into a typed exception. */
public final class NovitaHttp {

    private static final Logger log = LoggerFactory.getLogger(NovitaHttp.class);
    private static final MediaType JSON = MediaType.get("application/json");

    private final ObjectMapper mapper;
    private final @Nullable String secret;
    private final Clock clock;

    /**
     * Creates the runner.
     *
     * @param mapper the JSON mapper
     * @param secret the API key, scrubbed from any text the service echoes back
     * @param clock for Retry-After dates
     */
    public NovitaHttp(ObjectMapper mapper, @Nullable String secret, Clock clock) {
        this.mapper = mapper;
        this.secret = secret;
        this.clock = clock;
    }

    /**
     * Serialises a request body.
     *
     * @param value a JSON tree or map
     * @return the body
     */
    public RequestBody body(Object value) {
        try {
            return RequestBody.create(mapper.writeValueAsBytes(value), JSON);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise request", e);
        }
    }

    /**
     * Executes a call.
     *
     * @param operation the operation, for errors
     * @param call the call
     * @return the parsed 2xx body
     */
    public JsonNode execute(String operation, Call<ResponseBody> call) {
        Response<ResponseBody> response;
        byte[] bytes;
        try {
            response = call.execute();
            ResponseBody body = response.isSuccessful() ? response.body() : response.errorBody();
            bytes = body == null ? new byte[0] : body.bytes();
        } catch (IOException e) {
            throw HttpErrors.fromIo(NovitaErrors.ID, operation, e);
        }
        int status = response.code();
        log.debug("novita {} {} -> HTTP {}", operation, call.request().url().encodedPath(), status);
        JsonNode node = parse(bytes);
        if (response.isSuccessful()) {
            if (node == null || !node.isObject()) {
                throw new MalformedResponseException(
                        NovitaErrors.ID,
                        operation,
                        "the service answered with a body that is not a JSON object" + hint(operation),
                        status,
                        null,
                        null);
            }
            JsonNode code = node.get("code");
            if (code != null && code.canConvertToInt() && code.asInt() >= 400 && node.hasNonNull("reason")) {
                // Novita's error shape inside a 2xx is still a failed call; read as data it would look empty.
                throw NovitaErrors.map(operation, code.asInt(), node, null);
            }
            return node;
        }
        JsonNode scrubbed = node;
        if (node != null && secret != null && node.toString().contains(secret)) {
            scrubbed = parse(
                    ConfigValues.redact(node.toString(), secret).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        throw NovitaErrors.map(
                operation,
                status,
                scrubbed,
                HttpErrors.parseRetryAfter(response.headers().get("Retry-After"), clock));
    }

    private static String hint(String operation) {
        return operation.equals("create") ? "; the job may have been created" : "";
    }

    private @Nullable JsonNode parse(byte[] bytes) {
        if (bytes.length == 0) {
            return null;
        }
        try {
            return mapper.readTree(bytes);
        } catch (IOException e) {
            return null;
        }
    }
}
