package dev.loraport.provider.replicate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loraport.AuthenticationException;
import dev.loraport.InvalidRequestException;
import dev.loraport.MalformedResponseException;
import dev.loraport.ProviderUnavailableException;
import dev.loraport.QuotaExceededException;
import dev.loraport.RateLimitedException;
import dev.loraport.TaskNotFoundException;
import dev.loraport.TrainingProviderException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Replicate's HTTP conventions on the JDK client: Bearer auth sent only to the configured origin, RFC 7807
 * errors and 429 {@code Retry-After} mapped to loraport's exceptions. Nothing else leaves it, and no message
 * carries the token. Thread-safe.
 */
final class ReplicateHttp {

    static final ObjectMapper JSON = new ObjectMapper();

    private final String id;
    private final URI base;
    private final String token;
    private final HttpClient client;
    private final Duration readTimeout;
    private final long maxBody;

    ReplicateHttp(String id, URI base, String token, Duration connectTimeout, Duration readTimeout, long maxBody) {
        this.id = id;
        this.maxBody = maxBody;
        String b = base.toString();
        b = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        // A bare origin (https://api.replicate.com, or a simulator's http://127.0.0.1:PORT) means the API's /v1.
        String path = base.getRawPath();
        this.base = URI.create(path == null || path.isEmpty() || path.equals("/") ? b + "/v1" : b);
        this.token = token;
        this.readTimeout = readTimeout;
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    URI base() {
        return base;
    }

    /** The base URL with a path below it ({@code /trainings}). */
    URI at(String path) {
        return URI.create(base + path);
    }

    /** Whether a URL the service sent is on the configured origin (scheme, host and port), so the token may go there. */
    boolean sameOrigin(URI url) {
        return Objects.equals(lower(url.getScheme()), lower(base.getScheme()))
                && Objects.equals(lower(url.getHost()), lower(base.getHost()))
                && port(url) == port(base);
    }

    private static @Nullable String lower(@Nullable String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    private static int port(URI u) {
        if (u.getPort() >= 0) {
            return u.getPort();
        }
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    JsonNode get(String op, URI url) {
        return send(op, HttpRequest.newBuilder(url).GET());
    }

    JsonNode postJson(String op, URI url, JsonNode body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new TrainingProviderException(id, op, "could not write the request body", null, null, e);
        }
        return send(
                op,
                HttpRequest.newBuilder(url)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
    }

    /** The status and body of an answer whose status the caller reads itself (the 422 of an existing model). */
    record Answer(int status, @Nullable JsonNode body) {}

    Answer postJsonRaw(String op, URI url, JsonNode body) {
        try {
            byte[] bytes = JSON.writeValueAsBytes(body);
            HttpResponse<byte[]> r = exchange(
                    op,
                    HttpRequest.newBuilder(url)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
            if (r.statusCode() == 422) {
                return new Answer(422, tree(r.body()));
            }
            return new Answer(r.statusCode(), check(op, r));
        } catch (JsonProcessingException e) {
            throw new TrainingProviderException(id, op, "could not write the request body", null, null, e);
        }
    }

    /** {@code POST /files}: one multipart part {@code content}, plus {@code filename} and {@code type}. */
    JsonNode upload(String op, URI url, String fileName, String contentType, byte[] content) {
        String boundary = "loraport-" + UUID.randomUUID();
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 512);
        part(out, boundary, "content", fileName, contentType, content);
        part(out, boundary, "filename", null, null, fileName.getBytes(StandardCharsets.UTF_8));
        part(out, boundary, "type", null, null, contentType.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(
                op,
                HttpRequest.newBuilder(url)
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())));
    }

    private static void part(
            ByteArrayOutputStream out,
            String boundary,
            String name,
            @Nullable String fileName,
            @Nullable String type,
            byte[] value) {
        StringBuilder h = new StringBuilder("--").append(boundary).append("\r\n");
        h.append("Content-Disposition: form-data; name=\"").append(name).append('"');
        if (fileName != null) {
            h.append("; filename=\"").append(fileName.replace("\"", "")).append('"');
        }
        h.append("\r\n");
        if (type != null) {
            h.append("Content-Type: ").append(type).append("\r\n");
        }
        h.append("\r\n");
        out.writeBytes(h.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(value);
        out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }

    private JsonNode send(String op, HttpRequest.Builder request) {
        return check(op, exchange(op, request));
    }

    private HttpResponse<byte[]> exchange(String op, HttpRequest.Builder request) {
        HttpRequest r = request.timeout(readTimeout)
                .header("Accept", "application/json")
                .header("User-Agent", "loraport-replicate")
                .build();
        if (!sameOrigin(r.uri())) {
            // The token goes to the configured service only, never to a host a response named.
            throw new MalformedResponseException(
                    id, op, "refused to send the token to another origin than the configured one", null, null, null);
        }
        HttpRequest signed = HttpRequest.newBuilder(r, (k, v) -> true)
                .header("Authorization", "Bearer " + token)
                .build();
        try {
            HttpResponse<InputStream> answer = client.send(signed, HttpResponse.BodyHandlers.ofInputStream());
            return new Bounded(answer, read(op, answer));
        } catch (HttpTimeoutException e) {
            throw new ProviderUnavailableException(id, op, "timed out after " + readTimeout, null, null, e);
        } catch (IOException e) {
            throw new ProviderUnavailableException(
                    id, op, "could not reach the service (" + e.getClass().getSimpleName() + ")", null, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderUnavailableException(id, op, "interrupted", null, null, e);
        }
    }

    /**
     * The body, read no further than {@code max-response-size}: a hostile or broken answer of any length is refused
     * before it fills the heap, and a declared length over the limit is refused before a byte is read.
     */
    private byte[] read(String op, HttpResponse<InputStream> r) throws IOException {
        try (InputStream in = r.body()) {
            long declared = r.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > maxBody) {
                throw tooLarge(op, r.statusCode(), declared + " bytes declared");
            }
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBody + 1));
            if (body.length > maxBody) {
                throw tooLarge(op, r.statusCode(), "more than " + maxBody + " bytes");
            }
            return body;
        }
    }

    private MalformedResponseException tooLarge(String op, int status, String size) {
        return new MalformedResponseException(
                id,
                op,
                "the answer is too large (" + size + "); the limit is loraport." + id + ".max-response-size = "
                        + maxBody + " bytes",
                status,
                null,
                null);
    }

    /** A response whose body was read, bounded, into memory. */
    private record Bounded(HttpResponse<InputStream> response, byte[] body) implements HttpResponse<byte[]> {
        @Override
        public int statusCode() {
            return response.statusCode();
        }

        @Override
        public HttpRequest request() {
            return response.request();
        }

        @Override
        public Optional<HttpResponse<byte[]>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public java.net.http.HttpHeaders headers() {
            return response.headers();
        }

        @Override
        public URI uri() {
            return response.uri();
        }

        @Override
        public HttpClient.Version version() {
            return response.version();
        }

        @Override
        public Optional<javax.net.ssl.SSLSession> sslSession() {
            return response.sslSession();
        }
    }

    private @Nullable JsonNode tree(byte[] body) {
        try {
            JsonNode n = JSON.readTree(body);
            return n == null || n.isMissingNode() ? null : n;
        } catch (IOException e) {
            return null;
        }
    }

    private JsonNode check(String op, HttpResponse<byte[]> r) {
        int status = r.statusCode();
        String type = r.headers().firstValue("Content-Type").orElse("");
        JsonNode body = tree(r.body());
        if (status >= 200 && status < 300) {
            if (body == null || !body.isObject()) {
                throw new MalformedResponseException(
                        id, op, "the answer is not a JSON object (" + clip(type) + ")", status, null, null);
            }
            return body;
        }
        String detail = body == null ? null : problem(body);
        if (status == 429) {
            throw new RateLimitedException(
                    id,
                    op,
                    "rate limited",
                    status,
                    detail,
                    retryAfter(r.headers().firstValue("Retry-After").orElse(null)),
                    null);
        }
        if (status >= 500 || body == null) {
            throw new ProviderUnavailableException(
                    id,
                    op,
                    "the service answered " + status + (body == null ? " without a JSON body" : ""),
                    status,
                    detail,
                    null);
        }
        if (status == 401 || status == 403) {
            throw new AuthenticationException(id, op, "the token was refused", status, detail, null);
        }
        if (status == 402) {
            throw new QuotaExceededException(id, op, "payment required: not enough credit", status, detail, null);
        }
        if (status == 404 && (op.equals("status") || op.equals("cancel"))) {
            throw new TaskNotFoundException(id, op, "not found", status, detail, null);
        }
        // Elsewhere a 404 is about something the request named (a trainer, a version, a destination): the caller
        // must change the request, and no task is missing.
        if (status == 400 || status == 404 || status == 422) {
            throw new InvalidRequestException(id, op, "the service refused the request", status, detail, null);
        }
        throw new TrainingProviderException(id, op, "the service answered " + status, status, detail, null);
    }

    /** The RFC 7807 body's {@code detail}, else its {@code title}. */
    private static @Nullable String problem(JsonNode body) {
        String detail = text(body, "detail");
        return detail != null ? clip(detail) : text(body, "title");
    }

    static @Nullable Duration retryAfter(@Nullable String value) {
        if (value == null) {
            return null;
        }
        try {
            long s = Long.parseLong(value.trim());
            return s < 0 ? null : Duration.ofSeconds(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static @Nullable String text(@Nullable JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode v = node.get(field);
        return v == null || v.isNull() || !v.isValueNode() || v.asText().isBlank() ? null : v.asText();
    }

    private static String clip(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
