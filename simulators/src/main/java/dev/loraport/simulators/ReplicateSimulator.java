package dev.loraport.simulators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.http.Request;
import dev.loraport.ProviderConfig;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Replicate's HTTP API on the {@code /v1} paths its official clients call, so that a client given {@code
 * http://127.0.0.1:PORT/v1} as base URL works unchanged: files, models, trainer versions, trainings (create,
 * get, list 100 per page newest first with a full-URL {@code next} and the echoed {@code input}, cancel),
 * predictions, the webhook secret, Bearer and Token auth, RFC 7807 errors and 429 with {@code Retry-After}.
 * A create with a {@code webhook} gets Standard Webhooks deliveries signed with the default secret. Thread-safe.
 *
 * @since 0.2
 */
public final class ReplicateSimulator extends SimulatorServer {

    /** The default phase durations. */
    public static final TaskDurations DEFAULT_DURATIONS =
            TaskDurations.of(Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofMinutes(1));

    /** The account the simulator's token belongs to. */
    public static final String ACCOUNT = "sim-user";

    /** The trainer the simulator offers. */
    public static final String TRAINER = "ostris/flux-dev-lora-trainer";

    private static final int PAGE = 100;
    private static final Set<String> OPTIMIZERS = Set.of("adamw8bit", "adamw", "adam8bit", "prodigy", "lion8bit");
    private static final Set<String> TRAINER_INPUTS = Set.of(
            "input_images",
            "trigger_word",
            "steps",
            "lora_rank",
            "optimizer",
            "batch_size",
            "resolution",
            "autocaption",
            "autocaption_prefix",
            "autocaption_suffix",
            "caption_dropout_rate",
            "learning_rate",
            "hf_repo_id",
            "hf_token");
    private static final Set<String> EVENTS = Set.of("start", "output", "logs", "completed");

    private final String trainerVersion;
    private final String webhookSecret;
    private final TaskBook<Training> jobs;
    private final Map<String, byte[]> files = new HashMap<>();
    private final Set<String> models = new HashSet<>();
    private final Map<String, SimulatedGeneration> predictions = new HashMap<>();
    private final Map<String, String> predictionVersions = new HashMap<>();
    private final AtomicInteger webhooksSent = new AtomicInteger();
    private final List<String> deliveries = new ArrayList<>();
    private final HttpClient webhookClient =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private @Nullable ScheduledExecutorService webhookLoop;
    private int seq;

    private static final class Training extends SimulatedTask {
        final String destination;
        final ObjectNode input;
        final @Nullable String webhook;
        final Set<String> events;
        final String version;

        @Nullable
        Instant canceledAt;

        String lastSent = "";

        Training(
                String id,
                Instant createdAt,
                TaskDurations d,
                @Nullable String failure,
                String destination,
                ObjectNode input,
                @Nullable String webhook,
                Set<String> events) {
            super(id, createdAt, d, failure);
            this.destination = destination;
            this.input = input;
            this.webhook = webhook;
            this.events = events;
            this.version = id.substring(0, Math.min(id.length(), 12)) + "v";
        }
    }

    private ReplicateSimulator(Builder b) {
        super("replicate", b);
        this.trainerVersion = b.trainerVersion;
        byte[] key = new byte[24];
        new SecureRandom().nextBytes(key);
        this.webhookSecret = "whsec_" + Base64.getEncoder().encodeToString(key);
        this.jobs = new TaskBook<>(ReplicateSimulator::newId, (id, name, createdAt, d) -> {
            ObjectNode input = JSON.createObjectNode()
                    .put("input_images", "https://example.invalid/" + name + ".zip")
                    .put("trigger_word", "TOK");
            return new Training(id, createdAt, d, null, ACCOUNT + "/" + name, input, null, Set.of());
        });
    }

    private static String newId() {
        // Replicate's ids are 26 to 32 lower-case letters and digits.
        return UUID.randomUUID().toString().replace("-", "").substring(0, 26);
    }

    /**
     * A simulator with the defaults, not started.
     *
     * @return the simulator
     */
    public static ReplicateSimulator create() {
        return builder().build();
    }

    /**
     * A builder.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** The configuration a Replicate adapter needs here: the base URL carries {@code /v1}, as on the service. */
    @Override
    public ProviderConfig config() {
        return super.config().toBuilder().baseUrl(baseUrl() + "/v1").build();
    }

    /**
     * The default webhook signing secret, {@code whsec_} and base64, as {@code GET /v1/webhooks/default/secret}
     * answers.
     *
     * @return the secret
     */
    public String webhookSecret() {
        return webhookSecret;
    }

    /**
     * How many webhook deliveries were sent.
     *
     * @return the count
     */
    public int webhooksSent() {
        return webhooksSent.get();
    }

    /**
     * The raw deliveries sent so far, each as {@code id timestamp signature body}, to replay in tests.
     *
     * @return a copy
     */
    public synchronized List<String> deliveries() {
        return new ArrayList<>(deliveries);
    }

    /**
     * The uploaded zip of a file id, or null.
     *
     * @param fileId the id
     * @return the bytes
     */
    public synchronized byte @Nullable [] file(String fileId) {
        return files.get(fileId);
    }

    @Override
    TaskBook<Training> tasks() {
        return jobs;
    }

    @Override
    public synchronized void start() {
        super.start();
        if (webhookLoop == null) {
            ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "replicate-sim-webhooks");
                t.setDaemon(true);
                return t;
            });
            loop.scheduleWithFixedDelay(this::sendDueWebhooks, 20, 20, TimeUnit.MILLISECONDS);
            webhookLoop = loop;
        }
    }

    @Override
    public synchronized void stop() {
        if (webhookLoop != null) {
            webhookLoop.shutdownNow();
            webhookLoop = null;
        }
        super.stop();
    }

    @Override
    @Nullable
    Endpoint classify(String method, String path) {
        if (path.equals("/v1/files")) {
            return method.equals("POST") ? Endpoint.UPLOAD : Endpoint.ANY;
        }
        if (path.matches("/v1/models/[^/]+/[^/]+/versions/[^/]+/trainings")) {
            return Endpoint.CREATE;
        }
        if (path.equals("/v1/trainings")) {
            return Endpoint.LIST;
        }
        if (path.matches("/v1/trainings/[^/]+/cancel")) {
            return Endpoint.CANCEL;
        }
        if (path.matches("/v1/trainings/[^/]+")) {
            return Endpoint.STATUS;
        }
        if (path.equals("/v1/predictions")) {
            return Endpoint.GENERATE;
        }
        if (path.matches("/v1/predictions/[^/]+")) {
            return Endpoint.GENERATION_RESULT;
        }
        if (path.startsWith("/v1/")) {
            return Endpoint.ANY;
        }
        return null;
    }

    @Override
    Reply errorReply(Fault.Kind kind, int status, @Nullable Duration retryAfter) {
        return switch (kind) {
            case RATE_LIMITED ->
                Reply.json(
                        429,
                        "{\"detail\":\"Request was throttled. Your rate limit resets in ~"
                                + (retryAfter == null ? 30 : retryAfter.toSeconds()) + "s.\"}");
            case INSUFFICIENT_BALANCE ->
                problem(402, "Insufficient credit", "You have insufficient credit to run this model.");
            case INVALID_KEY -> unauthenticated();
            case ERROR_BODY_200 -> Reply.json(200, "{\"detail\":\"error reported with HTTP 200\",\"status\":401}");
            default -> problem(status, "Service unavailable", "The service is temporarily unavailable.");
        };
    }

    private static Reply problem(int status, String title, String detail) {
        ObjectNode n = JSON.createObjectNode()
                .put("type", "https://replicate.com/docs/reference/http#errors")
                .put("title", title)
                .put("status", status)
                .put("detail", detail);
        return new Reply(
                status, "application/problem+json", n.toString().getBytes(StandardCharsets.UTF_8), new HashMap<>());
    }

    private static Reply unauthenticated() {
        return problem(401, "Unauthenticated", "You did not pass a valid authentication token");
    }

    private static Reply invalid(String detail) {
        return problem(422, "Input validation failed", detail);
    }

    private static Reply notFound(String detail) {
        return problem(404, "Not found", detail);
    }

    @Override
    Reply route(Request request, String path, @Nullable Endpoint endpoint) {
        if (path.startsWith("/_images/")) {
            return Reply.bytes(200, "image/png", SampleImages.png(path.hashCode()));
        }
        if (endpoint == null) {
            return notFound("The requested resource could not be found.");
        }
        String auth = request.getHeader("Authorization");
        String key = null;
        if (auth != null) {
            // Current clients send "Bearer", older ones "Token"; the service takes both.
            for (String scheme : List.of("Bearer ", "Token ")) {
                if (auth.regionMatches(true, 0, scheme, 0, scheme.length())) {
                    key = auth.substring(scheme.length()).trim();
                }
            }
        }
        if (key == null || !keyMatches(key)) {
            return unauthenticated();
        }
        String method = request.getMethod().getName();
        String[] p = path.substring(1).split("/");
        return switch (endpoint) {
            case UPLOAD -> upload(request);
            case CREATE -> create(p[2] + "/" + p[3], p[5], body(request));
            case STATUS -> method.equals("GET") ? training(p[2]) : notAllowed();
            case LIST -> method.equals("GET") ? list(request.getUrl()) : notAllowed();
            case CANCEL -> method.equals("POST") ? cancel(p[2]) : notAllowed();
            case GENERATE -> method.equals("POST") ? predict(body(request)) : notAllowed();
            case GENERATION_RESULT -> method.equals("GET") ? prediction(p[2]) : notAllowed();
            default -> other(method, path, body(request));
        };
    }

    private static Reply notAllowed() {
        return problem(405, "Method not allowed", "Method not allowed.");
    }

    private Reply other(String method, String path, @Nullable JsonNode body) {
        if (path.equals("/v1/account") && method.equals("GET")) {
            return Reply.json(
                    200,
                    JSON.createObjectNode()
                            .put("type", "user")
                            .put("username", ACCOUNT)
                            .put("name", "Simulated User")
                            .put("github_url", (String) null)
                            .toString());
        }
        if (path.equals("/v1/webhooks/default/secret") && method.equals("GET")) {
            return Reply.json(
                    200, JSON.createObjectNode().put("key", webhookSecret).toString());
        }
        if (path.equals("/v1/models") && method.equals("POST")) {
            return createModel(body);
        }
        String[] p = path.substring(1).split("/");
        if (p.length == 5 && p[1].equals("models") && p[4].equals("versions") && method.equals("GET")) {
            String model = p[2] + "/" + p[3];
            ObjectNode n = JSON.createObjectNode();
            n.putNull("next");
            n.putNull("previous");
            ArrayNode results = n.putArray("results");
            if (model.equals(TRAINER)) {
                results.addObject()
                        .put("id", trainerVersion)
                        .put("created_at", "2025-10-01T00:00:00.000000Z")
                        .put("cog_version", "0.14.0")
                        .putObject("openapi_schema");
            } else if (models.contains(model)) {
                for (Training t : jobs.newestFirst()) {
                    if (t.destination.equals(model) && status(t).equals("succeeded")) {
                        results.addObject().put("id", t.version).put("created_at", t.createdAt.toString());
                    }
                }
            } else {
                return notFound("Model not found");
            }
            return Reply.json(200, n.toString());
        }
        return notFound("The requested resource could not be found.");
    }

    private Reply createModel(@Nullable JsonNode b) {
        if (b == null) {
            return invalid("owner, name, visibility and hardware are required");
        }
        String owner = text(b, "owner");
        String name = text(b, "name");
        String visibility = text(b, "visibility");
        String hardware = text(b, "hardware");
        if (owner == null || name == null || visibility == null || hardware == null) {
            return invalid("owner, name, visibility and hardware are required");
        }
        if (!owner.equals(ACCOUNT)) {
            return problem(403, "Forbidden", "You do not have permission to create models for " + owner);
        }
        if (!name.matches("[a-z0-9][a-z0-9._-]{0,99}")) {
            return invalid("name: must be lowercase letters, digits, dashes, underscores and periods");
        }
        if (!visibility.equals("public") && !visibility.equals("private")) {
            return invalid("visibility: must be public or private");
        }
        if (!models.add(owner + "/" + name)) {
            return invalid("A model with that name and owner already exists.");
        }
        ObjectNode n = JSON.createObjectNode()
                .put("url", "https://replicate.com/" + owner + "/" + name)
                .put("owner", owner)
                .put("name", name)
                .put("visibility", visibility)
                .put("run_count", 0);
        n.putNull("latest_version");
        return Reply.json(201, n.toString());
    }

    private Reply upload(Request request) {
        if (!request.isMultipart()) {
            return invalid("content: a multipart/form-data part named content is required");
        }
        byte[] content = null;
        String fileName = "file";
        String type = "application/octet-stream";
        for (Request.Part part : request.getParts()) {
            switch (part.getName()) {
                case "content" -> content = part.getBody().asBytes();
                case "filename" -> fileName = part.getBody().asString();
                case "type" -> type = part.getBody().asString();
                default -> {
                    // metadata and anything else are kept by the service; not needed here.
                }
            }
        }
        if (content == null || content.length == 0) {
            return invalid("content: a multipart/form-data part named content is required");
        }
        String id = newId();
        files.put(id, content);
        Instant now = clock().now();
        ObjectNode n = JSON.createObjectNode()
                .put("id", id)
                .put("name", fileName)
                .put("content_type", type)
                .put("size", content.length)
                .put("etag", Integer.toHexString(java.util.Arrays.hashCode(content)))
                .put("created_at", now.toString())
                .put("expires_at", now.plus(Duration.ofDays(1)).toString());
        n.putObject("checksums");
        n.putObject("metadata");
        n.putObject("urls").put("get", baseUrl() + "/v1/files/" + id);
        return Reply.json(201, n.toString());
    }

    private Reply create(String trainer, String version, @Nullable JsonNode b) {
        if (!trainer.equals(TRAINER)) {
            return notFound("Model not found: " + trainer);
        }
        if (!version.equals(trainerVersion)) {
            return notFound("Version not found: " + version);
        }
        if (b == null) {
            return invalid("destination and input are required");
        }
        String destination = text(b, "destination");
        if (destination == null || !models.contains(destination)) {
            return notFound("The specified training destination does not exist");
        }
        JsonNode in = b.get("input");
        if (in == null || !in.isObject()) {
            return invalid("input: is required");
        }
        for (java.util.Iterator<String> it = in.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!TRAINER_INPUTS.contains(f)) {
                return invalid("input: Additional property " + f + " is not allowed");
            }
        }
        String images = text(in, "input_images");
        if (images == null) {
            return invalid("input: input_images is required");
        }
        if (!images.startsWith("data:application/zip;base64,") && !knownFileOrHttps(images)) {
            return invalid("input_images: must be a URL of a zip file or a data URI");
        }
        String problem = number(in, "steps", 3, 6000, true);
        problem = problem != null ? problem : number(in, "lora_rank", 1, 128, true);
        problem = problem != null ? problem : number(in, "batch_size", 1, 8, true);
        problem = problem != null ? problem : number(in, "learning_rate", 0, 1, false);
        problem = problem != null ? problem : number(in, "caption_dropout_rate", 0, 1, false);
        if (problem != null) {
            return invalid(problem);
        }
        String optimizer = text(in, "optimizer");
        if (optimizer != null && !OPTIMIZERS.contains(optimizer)) {
            return invalid("optimizer: must be one of " + OPTIMIZERS);
        }
        JsonNode autocaption = in.get("autocaption");
        if (autocaption != null && !autocaption.isBoolean()) {
            return invalid("autocaption: must be a boolean");
        }
        String webhook = text(b, "webhook");
        if (webhook != null && !webhookAllowed(webhook)) {
            return invalid("webhook: must be an HTTPS URL");
        }
        Set<String> events = new HashSet<>(Set.of("start", "completed"));
        JsonNode filter = b.get("webhook_events_filter");
        if (filter != null) {
            if (!filter.isArray()) {
                return invalid("webhook_events_filter: must be an array");
            }
            for (JsonNode e : filter) {
                if (!EVENTS.contains(e.asText())) {
                    return invalid("webhook_events_filter: " + e.asText() + " is not one of " + EVENTS);
                }
                events.add(e.asText());
            }
        }
        String failure = takeTrainingFailure();
        Training t = jobs.add(id -> new Training(
                id, clock().now(), durations, failure, destination, (ObjectNode) in.deepCopy(), webhook, events));
        return Reply.json(201, render(t).toString());
    }

    private boolean knownFileOrHttps(String url) {
        String mine = baseUrl() + "/v1/files/";
        if (url.startsWith(mine)) {
            return files.containsKey(url.substring(mine.length()));
        }
        return url.startsWith("https://");
    }

    private static boolean webhookAllowed(String url) {
        try {
            URI u = URI.create(url);
            if ("https".equals(u.getScheme()) && u.getHost() != null) {
                return true;
            }
            // The simulator also delivers to plain HTTP on loopback, where a test's receiver listens; the service
            // could not reach loopback at all.
            return "http".equals(u.getScheme()) && ("127.0.0.1".equals(u.getHost()) || "localhost".equals(u.getHost()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static @Nullable String number(JsonNode in, String field, double min, double max, boolean integer) {
        JsonNode v = in.get(field);
        if (v == null) {
            return null;
        }
        if (!v.isNumber()
                || (integer && !v.canConvertToLong())
                || (integer && v.asDouble() != Math.rint(v.asDouble()))) {
            return field + ": must be " + (integer ? "an integer" : "a number");
        }
        double d = v.asDouble();
        if (d < min || d > max) {
            return field + ": must be between " + fmt(min) + " and " + fmt(max);
        }
        return null;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private String status(Training t) {
        Instant now = clock().now();
        if (t.canceledAt != null) {
            return t.reported("canceled");
        }
        Duration age = t.age(now);
        String computed;
        if (age.compareTo(t.durations.queue()) < 0) {
            computed = "starting";
        } else if (!t.trainingOver(now)) {
            computed = "processing";
        } else if (t.failure != null) {
            computed = "failed";
        } else if (!t.servable(now)) {
            // Replicate has no deploy state: the weights upload and version push are still "processing".
            computed = "processing";
        } else {
            computed = "succeeded";
        }
        return t.reported(computed);
    }

    private ObjectNode render(Training t) {
        String status = status(t);
        Instant now = clock().now();
        ObjectNode n = JSON.createObjectNode();
        n.put("id", t.id);
        n.put("model", TRAINER);
        n.put("version", trainerVersion);
        n.put("status", status);
        n.set("input", t.input.deepCopy());
        n.put("source", "api");
        n.put("created_at", t.createdAt.toString());
        Instant started = t.createdAt.plus(t.durations.queue());
        Instant ended = t.canceledAt != null
                ? t.canceledAt
                : t.failure != null ? started.plus(t.durations.training()) : t.createdAt.plus(t.durations.total());
        if (!status.equals("starting") && !now.isBefore(started)) {
            n.put("started_at", started.toString());
        } else {
            n.putNull("started_at");
        }
        boolean done = Set.of("succeeded", "failed", "canceled").contains(status);
        if (done) {
            n.put("completed_at", ended.toString());
        } else {
            n.putNull("completed_at");
        }
        n.put("logs", logs(t, now, status));
        if (status.equals("failed")) {
            n.put("error", t.failure);
        } else {
            n.putNull("error");
        }
        if (status.equals("succeeded")) {
            n.putObject("output")
                    .put("version", t.destination + ":" + t.version)
                    .put("weights", baseUrl() + "/_weights/" + t.id + ".tar");
            n.putObject("metrics")
                    .put("predict_time", (double) t.durations.training().toSeconds())
                    .put("total_time", (double) t.durations.total().toSeconds());
        } else {
            n.putNull("output");
            n.putObject("metrics");
        }
        n.putObject("urls")
                .put("get", baseUrl() + "/v1/trainings/" + t.id)
                .put("cancel", baseUrl() + "/v1/trainings/" + t.id + "/cancel");
        return n;
    }

    /** What ostris's trainer logs: tqdm lines while it trains, then the weights upload. */
    private static String logs(Training t, Instant now, String status) {
        if (status.equals("starting")) {
            return "";
        }
        Duration intoTraining = t.age(now).minus(t.durations.queue());
        if (intoTraining.isNegative()) {
            return "";
        }
        long total = t.input.path("steps").asLong(1000);
        long trainMs = Math.max(1, t.durations.training().toMillis());
        long elapsedMs = Math.min(trainMs, intoTraining.toMillis());
        long step = Math.min(total, total * elapsedMs / trainMs);
        int percent = (int) (100 * step / Math.max(1, total));
        StringBuilder logs = new StringBuilder("Starting training\n");
        logs.append(String.format(
                Locale.ROOT,
                "flux_train_replicate: %3d%%|%s| %d/%d [%s<%s, 1.00it/s]\n",
                percent,
                "#".repeat(percent / 10),
                step,
                total,
                hms(elapsedMs / 1000),
                hms((trainMs - elapsedMs) / 1000)));
        if (t.trainingOver(now) && t.failure == null) {
            logs.append("Saving LoRA weights\nUploading weights\n");
        }
        return logs.toString();
    }

    private static String hms(long seconds) {
        return seconds >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%02d:%02d", seconds / 60, seconds % 60);
    }

    private Reply training(String id) {
        Training t = jobs.get(id);
        return t == null
                ? notFound("Training not found")
                : Reply.json(200, render(t).toString());
    }

    private Reply cancel(String id) {
        Training t = jobs.get(id);
        if (t == null) {
            return notFound("Training not found");
        }
        String status = status(t);
        if (status.equals("starting") || status.equals("processing")) {
            t.canceledAt = clock().now();
        }
        return Reply.json(200, render(t).toString());
    }

    private Reply list(String url) {
        int from = 0;
        int q = url.indexOf("cursor=");
        if (q >= 0) {
            String c = URLDecoder.decode(url.substring(q + "cursor=".length()).split("&")[0], StandardCharsets.UTF_8);
            try {
                from = Integer.parseInt(c);
            } catch (NumberFormatException e) {
                return problem(400, "Bad request", "Invalid cursor");
            }
        }
        List<Training> all = jobs.newestFirst();
        ObjectNode n = JSON.createObjectNode();
        int end = Math.min(all.size(), from + PAGE);
        if (end < all.size()) {
            n.put("next", baseUrl() + "/v1/trainings?cursor=" + end);
        } else {
            n.putNull("next");
        }
        if (from > 0) {
            n.put("previous", baseUrl() + "/v1/trainings?cursor=" + Math.max(0, from - PAGE));
        } else {
            n.putNull("previous");
        }
        ArrayNode results = n.putArray("results");
        for (int i = from; i < end; i++) {
            results.add(render(all.get(i)));
        }
        return Reply.json(200, n.toString());
    }

    private Reply predict(@Nullable JsonNode b) {
        if (b == null || text(b, "version") == null) {
            return invalid("version: is required");
        }
        String version = text(b, "version");
        boolean known = false;
        for (Training t : jobs.all()) {
            if ((t.version.equals(version) || (t.destination + ":" + t.version).equals(version))
                    && status(t).equals("succeeded")) {
                known = true;
            }
        }
        if (!known) {
            return invalid("version: the specified version does not exist (or perhaps you don't have permission)");
        }
        JsonNode in = b.get("input");
        if (in == null || text(in, "prompt") == null) {
            return invalid("input: prompt is required");
        }
        int outputs = in.path("num_outputs").asInt(1);
        if (outputs < 1 || outputs > 4) {
            return invalid("num_outputs: must be between 1 and 4");
        }
        String id = newId();
        predictions.put(id, new SimulatedGeneration(clock().now(), outputs));
        predictionVersions.put(id, version);
        return Reply.json(201, prediction(id, "starting").toString());
    }

    private Reply prediction(String id) {
        SimulatedGeneration g = predictions.get(id);
        if (g == null) {
            return notFound("Prediction not found");
        }
        g.polls++;
        long age = Duration.between(g.createdAt, clock().now()).toMillis();
        String status = age >= 5000 || g.polls >= 2 ? "succeeded" : "processing";
        return Reply.json(200, prediction(id, status).toString());
    }

    private ObjectNode prediction(String id, String status) {
        SimulatedGeneration g = predictions.get(id);
        ObjectNode n = JSON.createObjectNode()
                .put("id", id)
                .put("version", predictionVersions.get(id))
                .put("status", status)
                .put("created_at", g.createdAt.toString());
        if (status.equals("succeeded")) {
            ArrayNode out = n.putArray("output");
            for (int i = 0; i < g.images; i++) {
                out.add(baseUrl() + "/_images/" + id + "-" + i + ".png");
            }
        } else {
            n.putNull("output");
        }
        n.putNull("error");
        n.putObject("urls").put("get", baseUrl() + "/v1/predictions/" + id);
        return n;
    }

    // Webhooks: a training's start and completion, signed as Standard Webhooks.

    private void sendDueWebhooks() {
        List<String[]> due = new ArrayList<>();
        synchronized (this) {
            for (Training t : jobs.all()) {
                if (t.webhook == null) {
                    continue;
                }
                String status = status(t);
                String event = Set.of("succeeded", "failed", "canceled").contains(status)
                        ? "completed"
                        : status.equals("processing") ? "start" : null;
                if (event == null || event.equals(t.lastSent) || !t.events.contains(event)) {
                    continue;
                }
                t.lastSent = event;
                due.add(new String[] {t.webhook, render(t).toString()});
            }
        }
        for (String[] d : due) {
            deliver(d[0], d[1]);
        }
    }

    private void deliver(String url, String body) {
        String id = "msg_" + UUID.randomUUID().toString().replace("-", "");
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        String signature = "v1," + sign(webhookSecret, id, timestamp, body);
        synchronized (this) {
            deliveries.add(id + " " + timestamp + " " + signature + " " + body);
        }
        webhooksSent.incrementAndGet();
        try {
            webhookClient.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(2))
                            .header("Content-Type", "application/json")
                            .header("webhook-id", id)
                            .header("webhook-timestamp", timestamp)
                            .header("webhook-signature", signature)
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (java.io.IOException e) {
            // Replicate retries a few times on network problems; the simulator tries once.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The Standard Webhooks signature: base64 HMAC-SHA256 over {@code id.timestamp.body}, keyed with the base64
     * part of a {@code whsec_} secret.
     *
     * @param secret the {@code whsec_} secret
     * @param id the {@code webhook-id}
     * @param timestamp the {@code webhook-timestamp}
     * @param body the raw body
     * @return the signature without its {@code v1,} prefix
     */
    public static String sign(String secret, String id, String timestamp, String body) {
        String b64 = secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(b64), "HmacSHA256"));
            byte[] sig = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(sig);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Builds a {@link ReplicateSimulator}: the settings every simulator takes. Not thread-safe. */
    public static final class Builder extends SimulatorBuilder<Builder> {
        private String trainerVersion = "26dce37af90b9d997eeb970d92e47de3064d46c300504ae376c75bef6a9022d2";

        private Builder() {
            super("r8_sim_replicate_token", DEFAULT_DURATIONS);
        }

        /**
         * Sets the trainer's current version id, which clients read from the versions listing.
         *
         * @param version the id
         * @return this builder
         */
        public Builder trainerVersion(String version) {
            this.trainerVersion = version;
            return this;
        }

        /**
         * Builds the simulator (not started).
         *
         * @return the simulator
         */
        public ReplicateSimulator build() {
            return new ReplicateSimulator(this);
        }
    }
}
