package dev.loraport.simulators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.common.Slf4jNotifier;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.loraport.ProviderConfig;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * A simulated service on a loopback port, and what both simulators share: the WireMock server whose single
 * catch-all stub hands every request to {@link #route}, API-key checks, fault scheduling and request counts.
 * Thread-safe. Start it, point an adapter at {@link #config()}, stop it (or close it); in JUnit 5 tests,
 * {@code loraport-testkit}'s {@code SimulatorExtension} does that around each test. Extended only by loraport's own
 * simulators: its protected members may change in any release.
 *
 * @since 0.1
 */
public abstract class SimulatorServer implements ProviderSimulator, AutoCloseable {

    /** JSON for request parsing and response writing. */
    protected static final ObjectMapper JSON = new ObjectMapper();

    private record Rule(
            Endpoint endpoint,
            Fault fault,
            int every,
            double probability,
            @Nullable Random random) {}

    private final String providerId;
    private final VirtualClock clock;
    private final String apiKey;
    private final int port;
    private final Deque<Rule> once = new ArrayDeque<>();
    private final List<Rule> standing = new ArrayList<>();
    private final Map<Endpoint, Integer> counts = new EnumMap<>(Endpoint.class);
    private final Map<Endpoint, Integer> faulted = new EnumMap<>(Endpoint.class);
    private final Deque<String> trainingFailures = new ArrayDeque<>();
    private @Nullable WireMockServer server;
    /** How long jobs created from now on take. */
    protected TaskDurations durations;

    /**
     * Creates the simulator from its builder's settings. Package-private: only this package's simulators can
     * implement the package-private routing methods anyway.
     *
     * @param providerId the simulated provider's id
     * @param settings clock, accepted key, port (0 for a free one) and default job durations
     */
    SimulatorServer(String providerId, SimulatorBuilder<?> settings) {
        this.providerId = providerId;
        this.clock = settings.clock;
        this.apiKey = settings.apiKey;
        this.port = settings.port;
        this.durations = settings.durations;
    }

    /**
     * Which neutral endpoint a request is.
     *
     * @param method the HTTP method
     * @param path the path without query
     * @return the endpoint, or null for paths the service does not have
     */
    abstract @Nullable Endpoint classify(String method, String path);

    /**
     * Answers a request normally. Called under this object's lock.
     *
     * @param request the request
     * @param path its path without the query, as {@link #classify} saw it
     * @param endpoint its endpoint, or null
     * @return the answer
     */
    abstract Reply route(Request request, String path, @Nullable Endpoint endpoint);

    /**
     * The service's own answer for a scripted error, without the {@code Retry-After} header, which the caller adds.
     *
     * @param kind the fault kind (rate limit, server error, balance, invalid key, error body with 200)
     * @param status the HTTP status to use
     * @param retryAfter the retry-after, or null
     * @return the answer
     */
    abstract Reply errorReply(Fault.Kind kind, int status, @Nullable Duration retryAfter);

    @Override
    public String providerId() {
        return providerId;
    }

    /**
     * Where the simulator listens.
     *
     * @return {@code http://127.0.0.1:<port>}, no trailing slash
     * @throws IllegalStateException when not started
     */
    public synchronized String baseUrl() {
        if (server == null) {
            throw new IllegalStateException(providerId + " simulator is not started");
        }
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public String apiKey() {
        return apiKey;
    }

    @Override
    public ProviderConfig config() {
        return ProviderConfig.builder()
                .providerId(providerId)
                .apiKey(apiKey)
                .baseUrl(baseUrl())
                .connectTimeout(Duration.ofSeconds(1))
                .readTimeout(Duration.ofSeconds(2))
                .callTimeout(Duration.ofSeconds(5))
                // Generation results are polled; a simulator answers at once, so look often.
                .option("generate.poll-interval", "100ms")
                .build();
    }

    @Override
    public VirtualClock clock() {
        return clock;
    }

    /** Starts listening; does nothing when already started. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        String name = "loraport-sim-" + providerId;
        ResponseDefinitionTransformerV2 transformer = new ResponseDefinitionTransformerV2() {
            @Override
            public ResponseDefinition transform(ServeEvent serveEvent) {
                return answer(serveEvent.getRequest());
            }

            @Override
            public String getName() {
                return name;
            }
        };
        WireMockServer s = new WireMockServer(WireMockConfiguration.options()
                .bindAddress("127.0.0.1")
                .port(port)
                .containerThreads(12)
                .notifier(new Slf4jNotifier(false))
                .disableRequestJournal()
                .extensions(transformer));
        s.start();
        s.stubFor(
                WireMock.any(WireMock.anyUrl()).willReturn(WireMock.aResponse().withTransformers(name)));
        server = s;
    }

    /** Stops listening. */
    public synchronized void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    /** Stops listening. */
    @Override
    public void close() {
        stop();
    }

    /**
     * The simulator's tasks, which the task-steering methods here read and change. Called under this object's
     * lock.
     *
     * @return the book, the same one every time
     */
    abstract TaskBook<?> tasks();

    @Override
    public final synchronized int tasksCreated() {
        return tasks().size();
    }

    /**
     * The ids of the tasks that exist, oldest first.
     *
     * @return the ids, a copy
     */
    public final synchronized List<String> taskIds() {
        return tasks().ids();
    }

    /**
     * Adds a task as if it had been submitted {@code age} ago, for tests that start from an account with history.
     * It takes the current {@link #durations(TaskDurations) durations} and succeeds.
     *
     * @param name the task's name
     * @param age how long ago it was submitted (a task older than its durations is finished)
     * @return the new task's id
     */
    public final synchronized String seedTask(String name, Duration age) {
        return tasks().seed(name, clock.now().minus(age), durations).id;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when there is no task {@code taskId}
     */
    @Override
    public final synchronized void forceRawStatus(String taskId, String rawStatus) {
        tasks().forceRawStatus(taskId, rawStatus);
    }

    @Override
    public synchronized void failNext(Endpoint endpoint, Fault fault) {
        once.add(new Rule(endpoint, fault, 0, 0, null));
    }

    /**
     * Fails every n-th call to an endpoint from now on.
     *
     * @param n 1 or more
     * @param endpoint which calls
     * @param fault the failure
     */
    public synchronized void failEvery(int n, Endpoint endpoint, Fault fault) {
        if (n < 1) {
            throw new IllegalArgumentException("n: " + n + " is out of range; allowed 1 or more");
        }
        standing.add(new Rule(endpoint, fault, n, 0, null));
    }

    /**
     * Fails calls to an endpoint at random, repeatably.
     *
     * @param probability 0 to 1
     * @param seed the random seed
     * @param endpoint which calls
     * @param fault the failure
     */
    public synchronized void failRandomly(double probability, long seed, Endpoint endpoint, Fault fault) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability: " + probability + " is out of range; allowed 0..1");
        }
        standing.add(new Rule(endpoint, fault, 0, probability, new Random(seed)));
    }

    /** Removes every scripted fault. */
    public synchronized void clearFaults() {
        once.clear();
        standing.clear();
    }

    @Override
    public synchronized int requestCount(Endpoint endpoint) {
        if (endpoint == Endpoint.ANY) {
            return counts.values().stream().mapToInt(Integer::intValue).sum();
        }
        return counts.getOrDefault(endpoint, 0);
    }

    /**
     * How many requests to an endpoint were answered with a scripted failure instead of the service's answer:
     * every fault but {@link Fault.Kind#DELAY}, which only slows the real answer. {@link #clearFaults()} does not
     * reset the count, as it does not reset {@link #requestCount(Endpoint)}.
     *
     * @param endpoint which requests, or {@link Endpoint#ANY} for all
     * @return the count, 0 or more
     */
    public synchronized int faultsInjected(Endpoint endpoint) {
        if (endpoint == Endpoint.ANY) {
            return faulted.values().stream().mapToInt(Integer::intValue).sum();
        }
        return faulted.getOrDefault(endpoint, 0);
    }

    /**
     * When a task's phases begin and end on this simulator's clock: what really happened, to compare with what a
     * client saw and when. A raw status forced with {@link #forceRawStatus} is not reflected.
     *
     * @param taskId the service's id of the task
     * @return its phases, or empty when there is no such task
     */
    public final synchronized Optional<TaskTimeline> taskTimeline(String taskId) {
        SimulatedTask t = tasks().get(taskId);
        if (t == null) {
            return Optional.empty();
        }
        Instant started = t.createdAt.plus(t.durations.queue());
        Instant trained = started.plus(t.durations.training());
        boolean succeeds = t.failure == null;
        return Optional.of(new TaskTimeline(
                t.id,
                t.createdAt,
                started,
                trained,
                succeeds ? t.createdAt.plus(t.durations.total()) : trained,
                succeeds));
    }

    @Override
    public synchronized void failNextTraining(String reason) {
        trainingFailures.add(reason);
    }

    /**
     * The reason the next created job should fail with, consumed.
     *
     * @return the reason, or null
     */
    protected @Nullable String takeTrainingFailure() {
        return trainingFailures.poll();
    }

    @Override
    public synchronized void durations(TaskDurations durations) {
        this.durations = durations;
    }

    /**
     * The key sent by the client matches.
     *
     * @param given the key the request carried, or null
     * @return whether it is the accepted key
     */
    protected boolean keyMatches(@Nullable String given) {
        return apiKey.equals(given);
    }

    /**
     * Reads a JSON request body, with every object member whose value is an explicit {@code null} removed at any
     * depth. Both services treat {@code "field": null} like a field that is not there (Novita's official Python
     * SDK sends every unset optional field that way), so every check downstream sees one form of "absent" and
     * cannot refuse a null that the service accepts, nor accept a null for a field the service requires.
     * Nulls inside arrays stay: they are values, not absent fields.
     *
     * @param request the request
     * @return the tree, or null when the body is not JSON (or is {@code null} itself)
     */
    protected static @Nullable JsonNode body(Request request) {
        byte[] b = request.getBody();
        if (b == null || b.length == 0) {
            return null;
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(b);
        } catch (IOException e) {
            return null;
        }
        if (tree == null || tree.isNull() || tree.isMissingNode()) {
            return null;
        }
        dropNullMembers(tree);
        return tree;
    }

    private static void dropNullMembers(JsonNode node) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                JsonNode v = it.next().getValue();
                if (v.isNull()) {
                    it.remove();
                } else {
                    dropNullMembers(v);
                }
            }
        } else if (node.isArray()) {
            node.forEach(SimulatorServer::dropNullMembers);
        }
    }

    /**
     * A field as text.
     *
     * @param node the object, or null
     * @param field the field
     * @return the text, or null when absent, null or blank
     */
    protected static @Nullable String text(@Nullable JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }

    /**
     * A JSON string literal.
     *
     * @param s the text
     * @return the quoted, escaped text
     */
    protected static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private ResponseDefinition answer(Request request) {
        String path = request.getUrl();
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        Reply reply;
        Fault fault;
        synchronized (this) {
            Endpoint endpoint = classify(request.getMethod().getName(), path);
            if (endpoint != null) {
                counts.merge(endpoint, 1, Integer::sum);
            }
            fault = endpoint == null ? null : pick(endpoint);
            if (fault != null && fault.kind() != Fault.Kind.DELAY) {
                faulted.merge(endpoint, 1, Integer::sum);
            }
            if (fault != null && fault.kind() != Fault.Kind.DELAY && fault.kind() != Fault.Kind.ACCEPTED_BUT_LOST) {
                return render(faultReply(fault), 0);
            }
            reply = route(request, path, endpoint);
        }
        if (fault != null && fault.kind() == Fault.Kind.ACCEPTED_BUT_LOST) {
            return ResponseDefinitionBuilder.responseDefinition()
                    .withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)
                    .build();
        }
        int delay = fault != null && fault.duration() != null
                ? (int) fault.duration().toMillis()
                : 0;
        return render(reply, delay);
    }

    private @Nullable Fault pick(Endpoint endpoint) {
        for (Iterator<Rule> it = once.iterator(); it.hasNext(); ) {
            Rule r = it.next();
            if (r.endpoint == Endpoint.ANY || r.endpoint == endpoint) {
                it.remove();
                return r.fault;
            }
        }
        for (Rule r : standing) {
            if (r.endpoint != Endpoint.ANY && r.endpoint != endpoint) {
                continue;
            }
            if (r.every > 0 && counts.getOrDefault(endpoint, 0) % r.every == 0) {
                return r.fault;
            }
            if (r.random != null && r.random.nextDouble() < r.probability) {
                return r.fault;
            }
        }
        return null;
    }

    private Reply faultReply(Fault fault) {
        return switch (fault.kind()) {
            case CONNECTION_RESET -> null;
            case MALFORMED_JSON -> Reply.json(200, "{\"status\": \"success\", \"task_id\": ");
            case HTML_ERROR_PAGE ->
                Reply.bytes(
                        502,
                        "text/html",
                        "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            default -> {
                Reply reply = errorReply(fault.kind(), fault.status(), fault.duration());
                // Both services send Retry-After, in seconds, on rate limits only.
                yield fault.kind() == Fault.Kind.RATE_LIMITED && fault.duration() != null
                        ? reply.header(
                                "Retry-After", Long.toString(fault.duration().toSeconds()))
                        : reply;
            }
        };
    }

    private static ResponseDefinition render(@Nullable Reply reply, int delayMillis) {
        ResponseDefinitionBuilder b = ResponseDefinitionBuilder.responseDefinition();
        if (reply == null) {
            return b.withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)
                    .build();
        }
        b.withStatus(reply.status())
                .withHeader("Content-Type", reply.contentType())
                .withBody(reply.body());
        reply.headers().forEach(b::withHeader);
        if (delayMillis > 0) {
            b.withFixedDelay(delayMillis);
        }
        return b.build();
    }
}
