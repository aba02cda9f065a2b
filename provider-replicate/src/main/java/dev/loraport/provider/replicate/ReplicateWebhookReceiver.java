package dev.loraport.provider.replicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.loraport.TaskId;
import dev.loraport.watch.TaskWatcher;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Receives Replicate's signed webhooks on the JDK's {@link HttpServer} and turns each genuine one into a poll
 * hint, by default {@link TaskWatcher#pollNow(String, TaskId)}: polling stays the truth and the safety net, the
 * webhook only makes a change seen at once. A delivery is verified as Standard Webhooks prescribes: {@code
 * webhook-signature} must hold {@code v1,<base64 HMAC-SHA256 of id.timestamp.body>} keyed with the base64 part
 * of the {@code whsec_} secret, {@code webhook-timestamp} must be within the tolerance of now, and a {@code
 * webhook-id} seen before is acknowledged but not acted on. Forged deliveries get 401, stale or malformed ones
 * 400. Thread-safe.
 *
 * <pre>{@code
 * try (ReplicateWebhookReceiver receiver = ReplicateWebhookReceiver.builder()
 *         .secret(replicate.webhookSecret())
 *         .watcher(watcher)
 *         .build()
 *         .start()) {
 *     URI webhook = receiver.url(); // give it to the adapter as loraport.replicate.webhook
 * }
 * }</pre>
 *
 * @since 0.2
 */
public final class ReplicateWebhookReceiver implements AutoCloseable {

    /** The default path deliveries are posted to. */
    public static final String DEFAULT_PATH = "/replicate/webhook";

    private static final int MAX_BODY = 1 << 20;
    private static final int REMEMBERED_IDS = 10_000;
    private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "canceled");

    private final byte[] key;
    private final Consumer<TaskId> hint;
    private final Duration tolerance;
    private final Clock clock;
    private final InetSocketAddress bind;
    private final String path;
    private final @Nullable URI publicUrl;
    private final boolean terminalOnly;
    private final Map<String, Long> seen = new LinkedHashMap<>();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong forged = new AtomicLong();
    private final AtomicLong stale = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();
    private @Nullable HttpServer server;
    private @Nullable ExecutorService executor;

    private ReplicateWebhookReceiver(Builder b) {
        if (b.secret == null) {
            throw new NullPointerException("secret == null: give the whsec_ secret of GET /v1/webhooks/default/secret");
        }
        if (b.hint == null) {
            throw new NullPointerException("hint == null: give a watcher or a hint");
        }
        String s = b.secret.startsWith("whsec_") ? b.secret.substring("whsec_".length()) : b.secret;
        try {
            this.key = Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("secret: is not a whsec_ secret (base64 after the prefix)");
        }
        this.hint = b.hint;
        this.tolerance = b.tolerance;
        this.clock = b.clock;
        this.bind = b.bind;
        this.path = b.path;
        this.publicUrl = b.publicUrl;
        this.terminalOnly = b.terminalOnly;
    }

    /**
     * A builder: loopback, a free port, {@value #DEFAULT_PATH}, five minutes' tolerance.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts listening.
     *
     * @return this receiver
     * @throws IllegalStateException when the address cannot be bound
     */
    public synchronized ReplicateWebhookReceiver start() {
        if (server != null) {
            return this;
        }
        try {
            HttpServer s = HttpServer.create(bind, 0);
            ExecutorService ex = Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "replicate-webhooks");
                t.setDaemon(true);
                return t;
            });
            s.setExecutor(ex);
            s.createContext(path, this::handle);
            s.start();
            server = s;
            executor = ex;
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + bind + ": " + e.getMessage(), e);
        }
        return this;
    }

    /**
     * The URL to give Replicate as {@code webhook}: the public URL when one was set, else the bound address.
     *
     * @return the URL
     * @throws IllegalStateException before {@link #start()}
     */
    public synchronized URI url() {
        if (publicUrl != null) {
            return publicUrl;
        }
        if (server == null) {
            throw new IllegalStateException("the receiver is not started");
        }
        InetSocketAddress a = server.getAddress();
        return URI.create("http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + path);
    }

    /**
     * Deliveries verified and passed on as hints.
     *
     * @return the count
     */
    public long accepted() {
        return accepted.get();
    }

    /**
     * Deliveries refused for a missing or wrong signature.
     *
     * @return the count
     */
    public long forged() {
        return forged.get();
    }

    /**
     * Deliveries refused for a timestamp outside the tolerance, or a malformed header or body.
     *
     * @return the count
     */
    public long stale() {
        return stale.get();
    }

    /**
     * Deliveries whose {@code webhook-id} was seen before: acknowledged, not acted on.
     *
     * @return the count
     */
    public long replayed() {
        return replayed.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                reply(exchange, 405);
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_BODY + 1);
            }
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
            String signatures = exchange.getRequestHeaders().getFirst("webhook-signature");
            int status = verify(id, timestamp, signatures, body);
            reply(exchange, status);
        }
    }

    /** Verifies one delivery and passes it on; returns the HTTP status to answer. */
    int verify(@Nullable String id, @Nullable String timestamp, @Nullable String signatures, byte[] body) {
        if (id == null || timestamp == null || signatures == null || body.length > MAX_BODY) {
            forged.incrementAndGet();
            return 401;
        }
        long ts;
        try {
            ts = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            stale.incrementAndGet();
            return 400;
        }
        // The signature first: an unsigned request learns nothing, not even whether its timestamp is fresh.
        if (!signed(id, timestamp, body, signatures)) {
            forged.incrementAndGet();
            return 401;
        }
        long now = clock.instant().getEpochSecond();
        if (Math.abs(now - ts) > tolerance.toSeconds()) {
            stale.incrementAndGet();
            return 400;
        }
        synchronized (seen) {
            // Ids older than the tolerance cannot come back: their timestamp would be refused as stale.
            seen.values().removeIf(at -> at < now - tolerance.toSeconds() - 1);
            if (seen.containsKey(id)) {
                replayed.incrementAndGet();
                // 2xx, so that a sender retrying a delivery whose answer it lost stops; nothing is done twice.
                return 200;
            }
            if (seen.size() >= REMEMBERED_IDS) {
                seen.remove(seen.keySet().iterator().next());
            }
            seen.put(id, now);
        }
        JsonNode training;
        try {
            training = ReplicateHttp.JSON.readTree(body);
        } catch (IOException e) {
            stale.incrementAndGet();
            return 400;
        }
        String trainingId = ReplicateHttp.text(training, "id");
        String status = ReplicateHttp.text(training, "status");
        if (trainingId == null) {
            stale.incrementAndGet();
            return 400;
        }
        accepted.incrementAndGet();
        if (!terminalOnly || (status != null && TERMINAL.contains(status))) {
            hint.accept(TaskId.of(trainingId));
        }
        return 204;
    }

    private boolean signed(String id, String timestamp, byte[] body, String signatures) {
        byte[] expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            expected = mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            return false;
        }
        // The header may list several signatures (during a secret rotation), space-separated.
        for (String candidate : signatures.trim().split(" +")) {
            if (!candidate.startsWith("v1,")) {
                continue;
            }
            byte[] given;
            try {
                given = Base64.getDecoder().decode(candidate.substring(3));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (MessageDigest.isEqual(expected, given)) {
                return true;
            }
        }
        return false;
    }

    private static void reply(HttpExchange exchange, int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
    }

    /** Stops listening. Idempotent. */
    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    @Override
    public String toString() {
        // Never the secret.
        return "ReplicateWebhookReceiver{" + bind + path + "}";
    }

    /** Builds a {@link ReplicateWebhookReceiver}. Not thread-safe. */
    public static final class Builder {
        private @Nullable String secret;
        private @Nullable Consumer<TaskId> hint;
        private Duration tolerance = Duration.ofMinutes(5);
        private Clock clock = Clock.systemUTC();
        private InetSocketAddress bind = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        private String path = DEFAULT_PATH;
        private @Nullable URI publicUrl;
        private boolean terminalOnly = true;

        private Builder() {}

        /**
         * Sets the signing secret (required), the {@code whsec_} value of {@link
         * ReplicateTrainingProvider#webhookSecret()}.
         *
         * @param secret the secret
         * @return this builder
         */
        public Builder secret(String secret) {
            this.secret = Objects.requireNonNull(secret, "secret == null");
            return this;
        }

        /**
         * Hints {@code watcher}: each genuine delivery calls {@link TaskWatcher#pollNow(String, TaskId)} for
         * provider {@value ReplicateTrainingProvider#ID}.
         *
         * @param watcher the watcher
         * @return this builder
         */
        public Builder watcher(TaskWatcher watcher) {
            Objects.requireNonNull(watcher, "watcher == null");
            this.hint = id -> watcher.pollNow(ReplicateTrainingProvider.ID, id);
            return this;
        }

        /**
         * Sets what a genuine delivery calls instead of a watcher.
         *
         * @param hint called with the training's id
         * @return this builder
         */
        public Builder hint(Consumer<TaskId> hint) {
            this.hint = Objects.requireNonNull(hint, "hint == null");
            return this;
        }

        /**
         * Sets whether only deliveries of a finished training hint (default true: a {@code start} delivery
         * tells nothing the next poll would not).
         *
         * @param value the flag
         * @return this builder
         */
        public Builder terminalOnly(boolean value) {
            this.terminalOnly = value;
            return this;
        }

        /**
         * Sets how far a {@code webhook-timestamp} may be from now (default 5 min, as Standard Webhooks advises).
         *
         * @param tolerance a positive duration
         * @return this builder
         */
        public Builder tolerance(Duration tolerance) {
            if (tolerance.isNegative() || tolerance.isZero()) {
                throw new IllegalArgumentException("tolerance: " + tolerance + " is not allowed; allowed: positive");
            }
            this.tolerance = tolerance;
            return this;
        }

        /**
         * Sets the clock timestamps are checked against (default the system clock).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock == null");
            return this;
        }

        /**
         * Sets the address to listen on (default loopback, a free port). Behind a reverse proxy, listen on
         * loopback and set {@link #publicUrl(URI)}.
         *
         * @param bind the address
         * @return this builder
         */
        public Builder bind(InetSocketAddress bind) {
            this.bind = Objects.requireNonNull(bind, "bind == null");
            return this;
        }

        /**
         * Sets the path deliveries are posted to (default {@value #DEFAULT_PATH}).
         *
         * @param path a path starting with '/'
         * @return this builder
         */
        public Builder path(String path) {
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException(
                        "path: '" + path + "' is not allowed; allowed: a path starting with /");
            }
            this.path = path;
            return this;
        }

        /**
         * Sets the HTTPS URL Replicate reaches this receiver at, which {@link #url()} then returns.
         *
         * @param url the public URL
         * @return this builder
         */
        public Builder publicUrl(URI url) {
            this.publicUrl = Objects.requireNonNull(url, "url == null");
            return this;
        }

        /**
         * Builds the receiver (not started).
         *
         * @return the receiver
         */
        public ReplicateWebhookReceiver build() {
            return new ReplicateWebhookReceiver(this);
        }
    }
}
