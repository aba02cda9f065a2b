package dev.loraport.simulators;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One simulated HTTP answer. Not API.
 *
 * @param status the HTTP status
 * @param contentType the content type
 * @param body the body
 * @param headers extra headers
 */
record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {

    /**
     * A JSON answer.
     *
     * @param status the status
     * @param json the body
     * @return the reply
     */
    public static Reply json(int status, String json) {
        return new Reply(status, "application/json", json.getBytes(StandardCharsets.UTF_8), new LinkedHashMap<>());
    }

    /**
     * A binary answer.
     *
     * @param status the status
     * @param contentType the content type
     * @param body the bytes
     * @return the reply
     */
    public static Reply bytes(int status, String contentType, byte[] body) {
        return new Reply(status, contentType, body, new LinkedHashMap<>());
    }

    /**
     * A copy with one more header.
     *
     * @param name the header
     * @param value the value
     * @return the reply
     */
    public Reply header(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new Reply(status, contentType, body, h);
    }
}
