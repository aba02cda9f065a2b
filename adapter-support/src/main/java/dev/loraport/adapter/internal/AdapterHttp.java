package dev.loraport.adapter.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.loraport.MalformedResponseException;
import dev.loraport.Operation;
import dev.loraport.ProviderUnavailableException;
import dev.loraport.TrainingProviderException;
import dev.loraport.internal.HttpErrors;
import dev.loraport.internal.config.ConfigValues;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import retrofit2.Call;
import retrofit2.Response;
import retrofit2.Retrofit;

/**
 * One adapter's HTTP plumbing: the OkHttp clients, Retrofit and Jackson set up from {@link AdapterSettings}, and
 * the run of one call: its body read whatever the status (at most {@link AdapterSettings#maxResponseSize()}, the
 * {@value AdapterSettings#MAX_RESPONSE_SIZE} setting), the API key scrubbed
 * from it, a debug line, and anything but a JSON success turned into a loraport exception, with the service's
 * {@link ServiceErrors} deciding what its bodies mean. Each adapter's {@code <Name>Http} extends it with the
 * service's choices (where the key goes, redirects) and its request bodies. Thread-safe; close it to release the
 * connections.
 */
public class AdapterHttp implements AutoCloseable {

    /**
     * The default largest response body read, {@link AdapterSettings#DEFAULT_MAX_RESPONSE_SIZE}: a bigger one is a
     * malformed answer, not a reason to run out of memory. The {@value AdapterSettings#MAX_RESPONSE_SIZE} setting
     * changes it.
     */
    public static final long MAX_BODY_BYTES = AdapterSettings.DEFAULT_MAX_RESPONSE_SIZE;

    private static final MediaType JSON = MediaType.get("application/json");

    private final String providerId;
    private final Logger log;
    private final ObjectMapper mapper;
    private final String secret;
    private final Clock clock;
    private final ServiceErrors errors;
    private final long maxBodyBytes;
    /** How long an idle pooled connection is kept: under the idle timeouts servers commonly use (Jetty: 30 s). */
    static final Duration POOL_KEEP_ALIVE = Duration.ofSeconds(20);

    /** The operations whose requests are safe to send twice. */
    private static final java.util.Set<String> READS = java.util.Set.of(Operation.STATUS.id(), Operation.LIST.id());

    /** Whether the call {@link #send} runs on this thread is a read; synchronous calls run interceptors here. */
    private static final ThreadLocal<Boolean> READ = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private final OkHttpClient client;
    private final OkHttpClient plainClient;
    private final Retrofit retrofit;

    /**
     * Sets up the clients.
     *
     * @param setup the settings and the service's choices
     */
    protected AdapterHttp(Setup setup) {
        AdapterSettings s = setup.settings;
        this.providerId = s.providerId();
        this.log = LoggerFactory.getLogger(setup.owner);
        this.mapper = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        this.secret = s.apiKey();
        this.clock = s.clock();
        this.errors = setup.errors;
        this.maxBodyBytes = setup.maxBodyBytes;
        String userAgent = "loraport/" + version(setup.owner);
        OkHttpClient base = new OkHttpClient.Builder()
                // Servers and load balancers drop idle keep-alive connections (Jetty after 30 s); never hand out one
                // that has idled longer than that.
                .connectionPool(new ConnectionPool(5, POOL_KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS))
                .addInterceptor(this::retryStaleRead)
                .connectTimeout(s.connectTimeout())
                .readTimeout(s.readTimeout())
                .writeTimeout(s.readTimeout())
                .callTimeout(s.callTimeout())
                // OkHttp's own retry would resend a create too; retryStaleRead replays reads only.
                .retryOnConnectionFailure(false)
                .followRedirects(setup.followRedirects)
                .followSslRedirects(setup.followRedirects)
                .build();
        this.plainClient = base.newBuilder()
                .addInterceptor(chain -> chain.proceed(chain.request()
                        .newBuilder()
                        .header("User-Agent", userAgent)
                        .build()))
                .build();
        Map<String, String> headers = new LinkedHashMap<>(setup.headers);
        headers.put("User-Agent", userAgent);
        headers.put("Accept", "application/json");
        this.client = base.newBuilder()
                .addInterceptor(chain -> {
                    Request.Builder rb = chain.request().newBuilder();
                    headers.forEach(rb::header);
                    return chain.proceed(rb.build());
                })
                .addInterceptor(this::capBody)
                .build();
        String url = s.baseUrl().toString();
        this.retrofit = new Retrofit.Builder()
                .baseUrl(url.endsWith("/") ? url : url + "/")
                .client(client)
                .build();
    }

    /**
     * Starts the setup of an adapter's plumbing.
     *
     * @param settings the adapter's settings
     * @param errors how the service reports failed calls
     * @param owner the adapter's {@code <Name>Http}: its logger category and its jar's version (the User-Agent)
     * @return the setup
     */
    public static Setup setup(AdapterSettings settings, ServiceErrors errors, Class<?> owner) {
        return new Setup(settings, errors, owner);
    }

    private static String version(Class<?> owner) {
        String v = owner.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /**
     * The provider id.
     *
     * @return the id
     */
    public String providerId() {
        return providerId;
    }

    /**
     * The JSON mapper, for building request trees.
     *
     * @return the mapper, which ignores unknown properties
     */
    public ObjectMapper mapper() {
        return mapper;
    }

    /**
     * A client that sends only the User-Agent: for URLs that carry their own signature, such as presigned uploads,
     * where the service's credentials must never go.
     *
     * @return the client, sharing connections with the service client
     */
    public OkHttpClient plainClient() {
        return plainClient;
    }

    /**
     * The Retrofit implementation of a service interface.
     *
     * @param service the interface
     * @param <T> its type
     * @return the implementation
     */
    protected <T> T create(Class<T> service) {
        return retrofit.create(service);
    }

    /**
     * Serialises a JSON request body.
     *
     * @param value a JSON tree or a map
     * @return the body
     */
    protected RequestBody json(Object value) {
        try {
            return RequestBody.create(mapper.writeValueAsBytes(value), JSON);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise request", e);
        }
    }

    /**
     * Executes a call and returns its body only when it is a success, as the service's errors judge it.
     *
     * @param operation the operation, for errors
     * @param call the call
     * @return the JSON object of a success
     */
    public JsonNode execute(String operation, Call<ResponseBody> call) {
        return judge(operation, send(operation, call), errors);
    }

    /**
     * Executes a call and returns its body only when it is a success, as the given errors judge it: for an
     * endpoint whose bodies mean something else than the service's others do.
     *
     * @param operation the operation, for errors
     * @param call the call
     * @param errors how this endpoint reports a failed call
     * @return the JSON object of a success
     */
    public JsonNode execute(String operation, Call<ResponseBody> call, ServiceErrors errors) {
        return judge(operation, send(operation, call), errors);
    }

    /**
     * Executes a call and reads its answer without judging it.
     *
     * @param operation the operation, for errors
     * @param call the call
     * @return the answer
     * @throws TrainingProviderException when the call failed on the way, or a 2xx body is too large
     */
    public Answer send(String operation, Call<ResponseBody> call) {
        Response<ResponseBody> response;
        byte[] bytes;
        READ.set(READS.contains(operation));
        try {
            response = call.execute();
            ResponseBody body = response.isSuccessful() ? response.body() : response.errorBody();
            bytes = body == null ? new byte[0] : body.bytes();
        } catch (BodyTooLargeException e) {
            log.debug(
                    "{} {} {} -> HTTP {}, body over {} bytes",
                    providerId,
                    operation,
                    path(call),
                    e.status,
                    maxBodyBytes);
            if (e.status / 100 == 2) {
                throw new MalformedResponseException(
                        providerId,
                        operation,
                        "the service answered with a body larger than " + maxBodyBytes + " bytes" + hint(operation),
                        e.status,
                        null,
                        e);
            }
            // An error page that large says nothing its status does not.
            return new Answer(e.status, null, null);
        } catch (IOException e) {
            throw HttpErrors.fromIo(providerId, operation, e);
        } finally {
            READ.remove();
        }
        int status = response.code();
        log.debug("{} {} {} -> HTTP {}", providerId, operation, path(call), status);
        if (status / 100 == 3) {
            throw redirected(operation, status, response.headers().get("Location"));
        }
        return new Answer(
                status,
                parseObject(bytes),
                HttpErrors.parseRetryAfter(response.headers().get("Retry-After"), clock));
    }

    /**
     * Judges an answer with the service's errors.
     *
     * @param operation the operation, for errors
     * @param answer the answer
     * @return the JSON object of a success
     */
    public JsonNode judge(String operation, Answer answer) {
        return judge(operation, answer, errors);
    }

    /**
     * Judges an answer: a body that is not a JSON object is mapped from the status, a JSON one by {@code errors}.
     *
     * @param operation the operation, for errors
     * @param answer the answer
     * @param errors how the endpoint reports a failed call
     * @return the JSON object of a success
     */
    public JsonNode judge(String operation, Answer answer, ServiceErrors errors) {
        JsonNode json = answer.json();
        if (json == null) {
            throw nonJson(operation, answer);
        }
        TrainingProviderException e = answer.isSuccessful()
                ? errors.insideSuccess(operation, answer)
                : errors.fromErrorStatus(operation, answer);
        if (e != null) {
            throw e;
        }
        return json;
    }

    private TrainingProviderException nonJson(String operation, Answer answer) {
        int status = answer.status();
        if (status >= 500) {
            return new ProviderUnavailableException(
                    providerId, operation, "the service failed with a non-JSON body", status, null, null);
        }
        if (answer.isSuccessful()) {
            return new MalformedResponseException(
                    providerId,
                    operation,
                    "the service answered with a body that is not a JSON object" + hint(operation),
                    status,
                    null,
                    null);
        }
        return HttpErrors.fromStatus(providerId, operation, status, "non-JSON error body", answer.retryAfter());
    }

    private static String hint(String operation) {
        return operation.equals("create") ? "; the job may have been created" : "";
    }

    private static String path(Call<ResponseBody> call) {
        return call.request().url().encodedPath();
    }

    private @Nullable JsonNode parseObject(byte[] bytes) {
        if (bytes.length == 0) {
            return null;
        }
        JsonNode node;
        try {
            node = mapper.readTree(bytes);
        } catch (IOException e) {
            return null;
        }
        if (node == null || !node.isObject()) {
            return null;
        }
        // Services echo what they were sent; the key must reach no message, log line or mapped field. Only values
        // are scrubbed, so a short key cannot break the names the adapter reads.
        if (new String(bytes, StandardCharsets.UTF_8).contains(secret)) {
            scrub(node);
        }
        return node;
    }

    private void scrub(JsonNode node) {
        if (node instanceof ObjectNode o) {
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                if (e.getValue().isTextual()) {
                    e.setValue(TextNode.valueOf(ConfigValues.redact(e.getValue().asText(), secret)));
                } else {
                    scrub(e.getValue());
                }
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).isTextual()) {
                    a.set(i, TextNode.valueOf(ConfigValues.redact(a.get(i).asText(), secret)));
                } else {
                    scrub(a.get(i));
                }
            }
        }
    }

    /**
     * Runs a read on a fresh connection once more when it failed on the way: OkHttp's own retry is off (it would
     * resend a create), so a pooled connection the server closed while idle, or closed after its last answer
     * without saying so, would otherwise fail a healthy call and count against the circuit breaker. Only reads
     * ({@link #send} marks them) are replayed; a create that fails this way goes to reconciliation as before.
     */
    private okhttp3.Response retryStaleRead(Interceptor.Chain chain) throws IOException {
        Request request = chain.request();
        try {
            return chain.proceed(request);
        } catch (IOException e) {
            if (!READ.get() || !staleConnection(e) || chain.call().isCanceled()) {
                throw e;
            }
            log.debug(
                    "{} {}: {} on a pooled connection; retrying on a fresh one",
                    providerId,
                    request.url().encodedPath(),
                    e.toString());
            // Every idle connection to the host is suspect now: the next call must open a new one.
            client.connectionPool().evictAll();
            return chain.proceed(request);
        }
    }

    /**
     * A 3xx: never followed, since the request (and the key in its header or body) would go to a host nobody
     * configured. Not retryable: the same request gets the same answer. Says where it pointed, without the query,
     * which may carry anything.
     */
    private TrainingProviderException redirected(String operation, int status, @Nullable String location) {
        String where = "no Location";
        if (location != null) {
            int cut = location.indexOf('?');
            where = ConfigValues.redact(cut < 0 ? location : location.substring(0, cut), secret);
        }
        return new TrainingProviderException(
                providerId,
                operation,
                "the service answered with a redirect to " + where
                        + "; loraport follows no redirects, so nothing was sent there (check the base URL)",
                status,
                null,
                null);
    }

    /** A failure a dead pooled connection causes, unlike a timeout (the server is slow) or a refused connect. */
    static boolean staleConnection(IOException e) {
        return !(e instanceof java.io.InterruptedIOException)
                && !(e instanceof java.net.ConnectException)
                && !(e instanceof java.net.UnknownHostException)
                && !(e instanceof javax.net.ssl.SSLException)
                && !(e instanceof BodyTooLargeException);
    }

    private okhttp3.Response capBody(Interceptor.Chain chain) throws IOException {
        okhttp3.Response response = chain.proceed(chain.request());
        ResponseBody body = response.body();
        if (body.contentLength() > maxBodyBytes) {
            response.close();
            throw new BodyTooLargeException(response.code());
        }
        byte[] bytes;
        try (InputStream in = body.byteStream()) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
        }
        if (bytes.length > maxBodyBytes) {
            throw new BodyTooLargeException(response.code());
        }
        return response.newBuilder()
                .body(ResponseBody.create(bytes, body.contentType()))
                .build();
    }

    @Override
    public void close() {
        // The plain client shares the dispatcher and the pool: releasing them once frees both clients.
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }

    /** The service's choices for {@link AdapterHttp}. Not thread-safe. */
    public static final class Setup {
        private final AdapterSettings settings;
        private final ServiceErrors errors;
        private final Class<?> owner;
        private final Map<String, String> headers = new LinkedHashMap<>();
        // A redirect would carry the request, and the key in its header or body, to a host nobody configured.
        private boolean followRedirects = false;
        private long maxBodyBytes;

        private Setup(AdapterSettings settings, ServiceErrors errors, Class<?> owner) {
            this.settings = Objects.requireNonNull(settings, "settings == null");
            this.maxBodyBytes = settings.maxResponseSize();
            this.errors = Objects.requireNonNull(errors, "errors == null");
            this.owner = Objects.requireNonNull(owner, "owner == null");
        }

        /**
         * Adds a header to every call of the service client (not the plain client), such as {@code Authorization}.
         *
         * @param name the header name
         * @param value the value
         * @return this setup
         */
        public Setup header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "name == null"), Objects.requireNonNull(value, "value == null"));
            return this;
        }

        /**
         * Sets whether redirects are followed (default false, and loraport's adapters keep it so: a 307 or 308
         * would send the body, key included, to whatever host the redirect names). When they are not followed, a
         * 3xx is a non-retryable {@link TrainingProviderException} naming where it pointed.
         *
         * @param follow the flag
         * @return this setup
         */
        public Setup followRedirects(boolean follow) {
            this.followRedirects = follow;
            return this;
        }

        /**
         * Sets the largest response body read, overriding the settings' {@link AdapterSettings#maxResponseSize()}
         * for one service's client; unlike the setting, any positive size is taken.
         *
         * @param max a positive number of bytes
         * @return this setup
         */
        public Setup maxBodyBytes(long max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxBodyBytes: " + max + " is out of range; allowed 1 or more");
            }
            this.maxBodyBytes = max;
            return this;
        }
    }

    /** A body over the cap; an IOException so it leaves OkHttp's interceptor chain as a transport failure does. */
    private static final class BodyTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        private final int status;

        BodyTooLargeException(int status) {
            super("response body over the size cap (HTTP " + status + ")");
            this.status = status;
        }
    }
}
