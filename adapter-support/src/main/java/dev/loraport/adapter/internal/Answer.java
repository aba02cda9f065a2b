package dev.loraport.adapter.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP response as {@link AdapterHttp#send} read it, whatever its status: the body is a JSON object with the
 * API key already scrubbed out, or null when it was empty, too large or not a JSON object.
 *
 * @param status the HTTP status
 * @param json the body, or null
 * @param retryAfter the parsed {@code Retry-After} header, or null
 */
public record Answer(
        int status, @Nullable JsonNode json, @Nullable Duration retryAfter) {

    /**
     * Whether the HTTP status is 2xx; the body may still report an error (see {@link ServiceErrors}).
     *
     * @return true for 200 to 299
     */
    public boolean isSuccessful() {
        return status / 100 == 2;
    }
}
