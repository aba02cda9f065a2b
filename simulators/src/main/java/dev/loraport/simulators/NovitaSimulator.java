package dev.loraport.simulators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.http.Request;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Novita AI's v3 training API, simulated (shared/providers.md part A): presigned uploads it serves itself,
 * subject and style training, status per kind, cursor listing, async txt2img/img2img with a trained LoRA once
 * it is SERVING. Jobs go QUEUING → TRAINING (with progress and ETA) → SUCCESS with the model DEPLOYING →
 * SERVING on the {@link VirtualClock}. Thread-safe.
 *
 * <pre>{@code
 * NovitaSimulator novita = NovitaSimulator.create();
 * novita.start(); // or, in a JUnit 5 test: @RegisterExtension SimulatorExtension.of(novita)
 * }</pre>
 *
 * @since 0.1
 */
public final class NovitaSimulator extends SimulatorServer {

    /** Novita's default: about 10 minutes from submit to a servable LoRA. */
    public static final TaskDurations DEFAULT_DURATIONS =
            TaskDurations.of(Duration.ofMinutes(1), Duration.ofMinutes(8), Duration.ofMinutes(1));

    private static final Set<String> SCHEDULERS =
            Set.of("constant", "linear", "cosine", "cosine_with_restarts", "polynomial", "constant_with_warmup");
    private static final Set<Double> LEARNING_RATES = Set.of(1e-4, 1e-5, 1e-6, 2e-4, 5e-5);
    private static final Duration UPLOAD_URL_LIFETIME = Duration.ofSeconds(120);
    private static final Set<String> COMPONENTS = Set.of("face_crop_region", "resize", "face_restore");
    private static final Set<String> IMAGE_TYPES = Set.of("png", "webp", "jpeg");
    private static final Set<String> SAMPLERS = Set.of(
            "Euler a",
            "Euler",
            "LMS",
            "Heun",
            "DPM2",
            "DPM2 a",
            "DPM++ 2S a",
            "DPM++ 2M",
            "DPM++ SDE",
            "DPM fast",
            "DPM adaptive",
            "LMS Karras",
            "DPM2 Karras",
            "DPM2 a Karras",
            "DPM++ 2S a Karras",
            "DPM++ 2M Karras",
            "DPM++ SDE Karras",
            "DDIM",
            "PLMS",
            "UniPC");
    private static final Set<String> UPSCALERS = Set.of("RealESRGAN_x4plus_anime_6B", "RealESRNet_x4plus", "Latent");

    private final boolean assetsIdAsString;
    private final boolean legacyGenerateWrapper;
    private final boolean ttlAsString;
    private final TaskBook<NovitaTask> jobs = new TaskBook<>(
            () -> UUID.randomUUID().toString(),
            (id, name, createdAt, d) -> new NovitaTask(id, name, "subject", createdAt, d, null));
    private final Map<String, Asset> assets = new HashMap<>();
    private final Map<String, SimulatedGeneration> generations = new HashMap<>();
    private int assetSeq = 100024;

    private static final class NovitaTask extends SimulatedTask {
        final String name;
        final String type;
        final String modelName;
        /**
         * The {@code created_at} the service reports: when the job was submitted in real time. A scaled clock
         * runs ahead of the wall clock (at speed 600, a day every 2.4 minutes), and a date in the future is what
         * no real service sends; a manual clock, which starts in the past, is reported as it is.
         */
        final Instant reportedCreatedAt;

        NovitaTask(String id, String name, String type, Instant createdAt, TaskDurations d, @Nullable String failure) {
            super(id, createdAt, d, failure);
            this.name = name;
            this.type = type;
            Instant wall = Instant.now();
            this.reportedCreatedAt = createdAt.isAfter(wall) ? wall : createdAt;
            this.modelName = "model_" + createdAt.getEpochSecond() + "_"
                    + id.replace("-", "").substring(0, 10).toUpperCase(java.util.Locale.ROOT) + ".safetensors";
        }
    }

    /**
     * One upload slot. Its URL's {@code X-Amz-Expires} counts wall-clock seconds as S3 does, plus any
     * {@link VirtualClock#advance} a test made since, so a demo's sped-up clock does not kill URLs in a fraction
     * of a second while a test can still jump past the expiry.
     */
    private record Asset(String ext, long issuedNanos, Duration advancedAtIssue, boolean uploaded) {

        Asset uploadedNow() {
            return new Asset(ext, issuedNanos, advancedAtIssue, true);
        }

        boolean expired(VirtualClock clock) {
            Duration age = Duration.ofNanos(System.nanoTime() - issuedNanos)
                    .plus(clock.advanced().minus(advancedAtIssue));
            return age.compareTo(UPLOAD_URL_LIFETIME) > 0;
        }
    }

    private NovitaSimulator(Builder b) {
        super("novita", b);
        this.assetsIdAsString = b.assetsIdAsString;
        this.legacyGenerateWrapper = b.legacyGenerateWrapper;
        this.ttlAsString = b.ttlAsString;
    }

    /**
     * A simulator with a manual clock and the defaults.
     *
     * @return the simulator, not yet started
     */
    public static NovitaSimulator create() {
        return builder().build();
    }

    /**
     * A simulator on a given clock.
     *
     * @param clock the clock
     * @return the simulator, not yet started
     */
    public static NovitaSimulator create(VirtualClock clock) {
        return builder().clock(clock).build();
    }

    /**
     * A builder for options and quirk variants.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    TaskBook<NovitaTask> tasks() {
        return jobs;
    }

    @Override
    @Nullable
    Endpoint classify(String method, String path) {
        if (path.equals("/v3/assets/training_dataset")) {
            return Endpoint.UPLOAD;
        }
        if (path.startsWith("/_upload/")) {
            return Endpoint.UPLOAD_PUT;
        }
        if (path.equals("/v3/training/subject") || path.equals("/v3/training/style")) {
            return method.equals("POST") ? Endpoint.CREATE : Endpoint.STATUS;
        }
        if (path.equals("/v3/training")) {
            return Endpoint.LIST;
        }
        if (path.equals("/v3/async/txt2img") || path.equals("/v3/async/img2img")) {
            return Endpoint.GENERATE;
        }
        if (path.equals("/v3/async/task-result")) {
            return Endpoint.GENERATION_RESULT;
        }
        return null;
    }

    @Override
    Reply errorReply(Fault.Kind kind, int status, @Nullable Duration retryAfter) {
        return switch (kind) {
            case RATE_LIMITED -> error(429, "RATE_LIMIT_EXCEEDED", "rate limit exceeded");
            case INSUFFICIENT_BALANCE -> error(400, "BILLING_BALANCE_NOT_ENOUGH", "insufficient balance");
            case INVALID_KEY -> error(403, "INVALID_API_KEY", "invalid api key");
            case ERROR_BODY_200 -> error(200, "INVALID_REQUEST_BODY", "error reported with HTTP 200");
            default -> error(status, "SERVICE_UNAVAILABLE", "the service is temporarily unavailable");
        };
    }

    private static Reply error(int status, String reason, String message) {
        return Reply.json(
                status,
                "{\"code\":" + status + ",\"reason\":\"" + reason + "\",\"message\":" + quote(message)
                        + ",\"metadata\":{}}");
    }

    private static Reply invalid(String message) {
        return error(400, "INVALID_REQUEST_BODY", message);
    }

    @Override
    Reply route(Request request, String path, @Nullable Endpoint endpoint) {
        if (path.startsWith("/_images/")) {
            String format = path.substring(path.lastIndexOf('.') + 1);
            format = IMAGE_TYPES.contains(format) ? format : "png";
            return Reply.bytes(200, "image/" + format, SampleImages.image(path.hashCode(), format));
        }
        if (endpoint == Endpoint.UPLOAD_PUT) {
            return put(request, path.substring("/_upload/".length()));
        }
        if (endpoint == null) {
            return error(404, "API_NOT_FOUND", "api not found");
        }
        String auth = request.getHeader("Authorization");
        if (auth == null || auth.isBlank()) {
            return error(400, "MISSING_API_KEY", "missing api key");
        }
        // The docs show "Bearer <key>"; Novita's official JS SDK (novita-sdk) sends the bare key, which the live
        // service accepts: both forms name the same key.
        String key = auth.regionMatches(true, 0, "Bearer ", 0, "Bearer ".length())
                ? auth.substring("Bearer ".length()).trim()
                : auth.trim();
        if (!keyMatches(key)) {
            return error(403, "INVALID_API_KEY", "invalid api key");
        }
        Map<String, String> query = query(request.getUrl());
        return switch (endpoint) {
            case UPLOAD -> assetUrl(body(request));
            case CREATE -> create(path.endsWith("subject") ? "subject" : "style", body(request));
            case STATUS -> status(path.endsWith("subject") ? "subject" : "style", query.get("task_id"));
            case LIST -> list(query);
            case GENERATE -> generate(path.endsWith("img2img"), body(request));
            case GENERATION_RESULT -> taskResult(query.get("task_id"));
            default -> error(404, "API_NOT_FOUND", "api not found");
        };
    }

    private Reply assetUrl(@Nullable JsonNode body) {
        String ext = body == null ? null : text(body, "file_extension");
        if (ext == null || !Set.of("png", "jpeg", "webp").contains(ext)) {
            return invalid("file_extension must be one of png, jpeg, webp");
        }
        String id = Integer.toString(assetSeq++);
        assets.put(id, new Asset(ext, System.nanoTime(), clock().advanced(), false));
        String host = baseUrl().substring("http://".length());
        return Reply.json(
                200,
                "{\"assets_id\":" + (assetsIdAsString ? quote(id) : id) + ",\"upload_url\":"
                        + quote(baseUrl() + "/_upload/" + id
                                + "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=120&X-Amz-SignedHeaders=host"
                                + "&X-Amz-Signature="
                                + UUID.randomUUID().toString().replace("-", ""))
                        + ",\"method\":\"PUT\",\"headers\":{\"Host\":{\"values\":[" + quote(host) + "]}}}");
    }

    private Reply put(Request request, String id) {
        if (request.getHeader("Authorization") != null) {
            return s3Error(400, "InvalidArgument", "Only one auth mechanism allowed");
        }
        Asset asset = assets.get(id);
        if (asset == null) {
            return s3Error(404, "NoSuchUpload", "The specified upload does not exist");
        }
        if (asset.expired(clock())) {
            return s3Error(403, "AccessDenied", "Request has expired");
        }
        String actual = dev.loraport.internal.LocalImages.sniff(request.getBody());
        if (!asset.ext().equals(actual)) {
            return s3Error(400, "InvalidArgument", "Body is not a " + asset.ext() + " image");
        }
        assets.put(id, asset.uploadedNow());
        return Reply.bytes(200, "text/plain", new byte[0]);
    }

    private static Reply s3Error(int status, String code, String message) {
        return Reply.bytes(
                status,
                "application/xml",
                ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
                                + "</Message></Error>")
                        .getBytes(StandardCharsets.UTF_8));
    }

    private Reply create(String type, @Nullable JsonNode b) {
        if (b == null || !b.isObject()) {
            return invalid("request body must be a JSON object");
        }
        for (String field : new String[] {"name", "base_model"}) {
            if (text(b, field) == null) {
                return invalid(field + " is required");
            }
        }
        for (String field : new String[] {"width", "height"}) {
            if (!b.path(field).canConvertToInt() || b.path(field).asInt() < 1) {
                return invalid(field + " must be an integer >= 1");
            }
        }
        JsonNode items = b.path("image_dataset_items");
        if (!items.isArray() || items.isEmpty() || items.size() > 50) {
            return invalid("image_dataset_items must hold 1 to 50 items");
        }
        for (JsonNode item : items) {
            String assetsId = text(item, "assets_id");
            Asset a = assetsId == null ? null : assets.get(assetsId);
            if (a == null || !a.uploaded()) {
                return invalid("assets_id " + assetsId + " has not been uploaded");
            }
            JsonNode caption = item.get("caption");
            if (type.equals("style") && caption == null) {
                return invalid("caption is required for every style image");
            }
            // Documented length 1-1024: an empty caption is a caption that breaks the rule, not an absent one.
            if (caption != null
                    && (!caption.isTextual()
                            || caption.asText().isEmpty()
                            || caption.asText().length() > 1024)) {
                return invalid("caption length must be 1 to 1024");
            }
        }
        JsonNode expert = b.path("expert_setting");
        if (!expert.isMissingNode() && !expert.isObject()) {
            return invalid("expert_setting must be an object");
        }
        if (type.equals("subject")) {
            if (text(expert, "instance_prompt") == null) {
                return invalid("expert_setting.instance_prompt is required");
            }
            if (!"person".equals(text(expert, "class_prompt"))) {
                return invalid("expert_setting.class_prompt must be person");
            }
        }
        // Ranges from the subject and style pages (shared/providers.md A.3, A.4). Every check reads a field only
        // when it is there: body() has already turned explicit nulls into absent fields.
        for (String field : new String[] {"lora_r", "lora_alpha", "lora_text_encoder_r", "lora_text_encoder_alpha"}) {
            String bad = integerIn(expert, field, 4, 128);
            if (bad != null) {
                return invalid(bad);
            }
        }
        for (String bad : new String[] {
            integerIn(expert, "train_batch_size", 1, 4),
            integerIn(expert, "max_train_steps", 1, Integer.MAX_VALUE),
            integerIn(expert, "seed", 1, Long.MAX_VALUE),
            integerIn(expert, "lr_warmup_steps", 0, Integer.MAX_VALUE),
            bool(expert, "with_prior_preservation"),
            bool(expert, "train_text_encoder")
        }) {
            if (bad != null) {
                return invalid(bad);
            }
        }
        if (expert.has("learning_rate")
                && !LEARNING_RATES.contains(expert.get("learning_rate").asDouble())) {
            return invalid("expert_setting.learning_rate must be one of 1e-4, 1e-5, 1e-6, 2e-4, 5e-5");
        }
        if (expert.has("lr_scheduler")
                && !SCHEDULERS.contains(expert.get("lr_scheduler").asText())) {
            return invalid("expert_setting.lr_scheduler must be one of " + SCHEDULERS);
        }
        if (expert.has("prior_loss_weight") && !(number(expert.get("prior_loss_weight")) > 0)) {
            return invalid("expert_setting.prior_loss_weight must be > 0");
        }
        JsonNode components = b.path("components");
        if (!components.isArray()) {
            return invalid("components is required");
        }
        for (JsonNode c : components) {
            String component = text(c, "name");
            if (component == null || !COMPONENTS.contains(component)) {
                return invalid("components.name must be one of " + COMPONENTS);
            }
            if (!c.path("args").isArray()) {
                return invalid("components.args is required");
            }
            for (JsonNode arg : c.get("args")) {
                if (text(arg, "name") == null || !arg.path("value").isTextual()) {
                    return invalid("components.args must be {name, value} strings");
                }
            }
        }
        String name = text(b, "name");
        NovitaTask job =
                jobs.add(id -> new NovitaTask(id, name, type, clock().now(), durations, takeTrainingFailure()));
        return Reply.json(200, "{\"task_id\":\"" + job.id + "\"}");
    }

    /**
     * Checks an optional integer field. Numbers sent as numeric strings pass: the official Python SDK types
     * {@code max_train_steps} as a string.
     *
     * @return the problem, or null when the field is absent or in range
     */
    private static @Nullable String integerIn(JsonNode node, String field, long min, long max) {
        JsonNode v = node.get(field);
        if (v == null) {
            return null;
        }
        double d = number(v);
        if (Double.isNaN(d) || d != Math.rint(d) || d < min || d > max) {
            return "expert_setting." + field + " must be an integer "
                    + (max == Integer.MAX_VALUE || max == Long.MAX_VALUE
                            ? ">= " + min
                            : "between " + min + " and " + max);
        }
        return null;
    }

    private static @Nullable String bool(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isBoolean() ? null : "expert_setting." + field + " must be a boolean";
    }

    /** A JSON number, or a string holding one; NaN for anything else. */
    private static double number(@Nullable JsonNode v) {
        if (v == null) {
            return Double.NaN;
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isTextual()) {
            try {
                return Double.parseDouble(v.asText().trim());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    private Reply status(String type, @Nullable String taskId) {
        NovitaTask job = jobs.get(taskId);
        if (job == null || !job.type.equals(type)) {
            return error(404, "TASK_NOT_FOUND", "task not found");
        }
        // The status page shows only task_id, task_status, model_type, models and extra; task_name, task_type and
        // created_at stay because NovitaResilienceTest reads the job's name through status (see issue 16's report).
        ObjectNode n = render(job);
        return Reply.json(200, n.toString());
    }

    private ObjectNode render(NovitaTask job) {
        Instant now = clock().now();
        Duration age = job.age(now);
        TaskDurations d = job.durations;
        ObjectNode n = JSON.createObjectNode();
        n.put("task_id", job.id);
        n.put("model_type", "");
        ArrayNode models = n.putArray("models");
        String raw;
        Duration trainEnd = d.queue().plus(d.training());
        if (age.compareTo(d.queue()) < 0) {
            raw = "QUEUING";
        } else if (age.compareTo(trainEnd) < 0) {
            raw = "TRAINING";
            Duration into = age.minus(d.queue());
            long pct = d.training().isZero()
                    ? 100
                    : into.toMillis() * 100 / d.training().toMillis();
            ObjectNode extra = n.putObject("extra");
            extra.put("progress_percent", pct);
            // ETA is seconds the client waits: on a sped-up clock that is far less than the virtual time left.
            extra.put("eta_relative", clock().waitFor(trainEnd.minus(age)).toSeconds());
        } else if (job.failure != null) {
            raw = "FAILED";
        } else {
            raw = "SUCCESS";
            boolean serving = age.compareTo(d.total()) >= 0;
            models.addObject().put("model_name", job.modelName).put("model_status", serving ? "SERVING" : "DEPLOYING");
        }
        n.put("task_status", job.reported(raw));
        return n;
    }

    private Reply list(Map<String, String> query) {
        int limit;
        try {
            limit = Integer.parseInt(query.getOrDefault("pagination.limit", "10"));
        } catch (NumberFormatException e) {
            return invalid("pagination.limit must be an integer");
        }
        if (limit < 1 || limit > 100) {
            return invalid("pagination.limit must be in (0, 100]");
        }
        String cursor = query.getOrDefault("pagination.cursor", "");
        int offset = 0;
        if (!cursor.isEmpty()) {
            if (!cursor.startsWith("c_")) {
                return invalid("invalid pagination.cursor");
            }
            offset = Integer.parseInt(cursor.substring(2));
        }
        // The official Python SDK filters by task_type (subject / style); the service answers only that kind.
        String typeFilter = query.get("task_type");
        List<NovitaTask> newestFirst = jobs.newestFirst().stream()
                .filter(j -> typeFilter == null || typeFilter.isEmpty() || j.type.equals(typeFilter))
                .toList();
        ObjectNode n = JSON.createObjectNode();
        ArrayNode tasks = n.putArray("tasks");
        int end = Math.min(newestFirst.size(), offset + limit);
        for (int i = offset; i < end; i++) {
            NovitaTask job = newestFirst.get(i);
            ObjectNode status = render(job);
            // The listing documents name, type and creation date, which the status answer does not; and it has
            // no extra or model_type.
            ObjectNode t = tasks.addObject();
            t.put("task_name", job.name);
            t.put("task_id", job.id);
            t.put("task_type", job.type);
            t.set("task_status", status.get("task_status"));
            t.put("created_at", job.reportedCreatedAt.getEpochSecond());
            t.set("models", status.get("models"));
        }
        n.putObject("pagination").put("next_cursor", end < newestFirst.size() ? "c_" + end : "");
        return Reply.json(200, n.toString());
    }

    private Reply generate(boolean img2img, @Nullable JsonNode b) {
        JsonNode req = b == null ? null : b.get("request");
        if (req == null || !req.isObject()) {
            return invalid("request is required");
        }
        JsonNode extra = b.path("extra");
        if (!extra.isMissingNode() && !extra.isObject()) {
            return invalid("extra must be an object");
        }
        // Required as the txt2img and img2img pages document them (shared/providers.md A.7); a field sent as
        // null was dropped by body() and is refused here like one that is missing.
        for (String field : img2img
                ? new String[] {"model_name", "prompt", "image_base64", "sampler_name"}
                : new String[] {"model_name", "prompt", "sampler_name"}) {
            if (text(req, field) == null) {
                return invalid("request." + field + " is required");
            }
        }
        for (String field : new String[] {"width", "height", "image_num", "steps", "guidance_scale"}) {
            if (!req.has(field)) {
                return invalid("request." + field + " is required");
            }
        }
        String prompt = text(req, "prompt");
        if (prompt.length() > 1024) {
            return invalid("request.prompt length must be 1 to 1024");
        }
        if (req.has("negative_prompt")
                && (req.get("negative_prompt").asText().isEmpty()
                        || req.get("negative_prompt").asText().length() > 1024)) {
            return invalid("request.negative_prompt length must be 1 to 1024");
        }
        for (String bad : new String[] {
            range(req, "width", 128, 2048, true),
            range(req, "height", 128, 2048, true),
            range(req, "image_num", 1, 8, true),
            range(req, "steps", 1, 100, true),
            range(req, "guidance_scale", 1, 30, false),
            range(req, "seed", -1, Long.MAX_VALUE, true),
            range(req, "clip_skip", 1, 12, true),
            range(req, "strength", 0, 1, false)
        }) {
            if (bad != null) {
                return invalid(bad);
            }
        }
        if (!SAMPLERS.contains(text(req, "sampler_name"))) {
            return invalid("request.sampler_name must be one of " + SAMPLERS);
        }
        JsonNode loras = req.path("loras");
        if (loras.size() > 5) {
            return invalid("request.loras: at most 5");
        }
        for (JsonNode l : loras) {
            String name = text(l, "model_name");
            boolean serving = jobs.all().stream().anyMatch(j -> j.modelName.equals(name) && j.servable(clock().now()));
            if (!serving) {
                return invalid("lora model " + name + " is not found or not serving");
            }
            double s = l.path("strength").asDouble(-1);
            if (s < 0 || s > 1) {
                return invalid("request.loras.strength must be in [0, 1]");
            }
        }
        JsonNode embeddings = req.path("embeddings");
        if (embeddings.size() > 5) {
            return invalid("request.embeddings: at most 5");
        }
        JsonNode hires = req.path("hires_fix");
        if (hires.isObject()) {
            for (String bad : new String[] {
                range(hires, "target_width", 128, 4096, true),
                range(hires, "target_height", 128, 4096, true),
                range(hires, "strength", 0, 1, false)
            }) {
                if (bad != null) {
                    return invalid(bad.replace("request.", "request.hires_fix."));
                }
            }
            if (hires.has("upscaler")
                    && !UPSCALERS.contains(hires.get("upscaler").asText())) {
                return invalid("request.hires_fix.upscaler must be one of " + UPSCALERS);
            }
        }
        if (req.path("refiner").isObject()) {
            String bad = range(req.get("refiner"), "switch_at", 0, 1, false);
            if (bad != null) {
                return invalid(bad.replace("request.", "request.refiner."));
            }
        }
        for (String field : new String[] {"enable_transparent_background", "restore_faces"}) {
            if (req.has(field) && !req.get(field).isBoolean()) {
                return invalid("request." + field + " must be a boolean");
            }
        }
        if (img2img) {
            try {
                Base64.getDecoder().decode(text(req, "image_base64"));
            } catch (IllegalArgumentException e) {
                return invalid("request.image_base64 is not base64");
            }
        }
        String imageType = extra.has("response_image_type")
                ? extra.get("response_image_type").asText()
                : "png";
        if (!IMAGE_TYPES.contains(imageType)) {
            return invalid("extra.response_image_type must be one of png, webp, jpeg");
        }
        if (extra.has("enable_nsfw_detection")
                && !extra.get("enable_nsfw_detection").isBoolean()) {
            return invalid("extra.enable_nsfw_detection must be a boolean");
        }
        if (extra.has("nsfw_detection_level")
                && !Set.of(0, 1, 2).contains(extra.get("nsfw_detection_level").asInt(-1))) {
            return invalid("extra.nsfw_detection_level must be 0, 1 or 2");
        }
        String id = UUID.randomUUID().toString();
        generations.put(
                id,
                new SimulatedGeneration(
                        clock().now(),
                        req.get("image_num").asInt(),
                        img2img ? "IMG_TO_IMG" : "TXT_TO_IMG",
                        imageType,
                        extra.path("enable_nsfw_detection").asBoolean(false)));
        return Reply.json(
                200,
                legacyGenerateWrapper
                        ? "{\"code\":0,\"msg\":\"\",\"data\":{\"task_id\":\"" + id + "\"}}"
                        : "{\"task_id\":\"" + id + "\"}");
    }

    /**
     * Checks an optional number of a generation request against its documented range.
     *
     * @return the problem, or null when the field is absent or in range
     */
    private static @Nullable String range(JsonNode node, String field, double min, double max, boolean integer) {
        JsonNode v = node.get(field);
        if (v == null) {
            return null;
        }
        double d = v.isNumber() ? v.asDouble() : Double.NaN;
        if (Double.isNaN(d) || (integer && d != Math.rint(d)) || d < min || d > max) {
            return "request." + field + " must be " + (integer ? "an integer" : "a number") + " in ["
                    + (integer ? String.valueOf((long) min) : String.valueOf(min)) + ", "
                    + (max == Long.MAX_VALUE ? "inf" : integer ? String.valueOf((long) max) : String.valueOf(max))
                    + "]";
        }
        return null;
    }

    private Reply taskResult(@Nullable String taskId) {
        SimulatedGeneration g = taskId == null ? null : generations.get(taskId);
        if (g == null) {
            return error(404, "TASK_NOT_FOUND", "task not found");
        }
        long age = Duration.between(g.createdAt, clock().now()).toMillis();
        g.polls++;
        // Done after 5 virtual seconds, or by the third look on a clock the test does not move.
        String status = age >= 5000 || g.polls >= 3
                ? "TASK_STATUS_SUCCEED"
                : g.polls == 1 ? "TASK_STATUS_QUEUED" : "TASK_STATUS_PROCESSING";
        ObjectNode n = JSON.createObjectNode();
        // The task-result page's shape: seed and the debug times are strings, empty when not measured.
        ObjectNode extra = n.putObject("extra");
        extra.put("seed", "158881667");
        extra.put("enable_nsfw_detection", g.nsfwDetection);
        extra.putObject("debug_info")
                .put("request_info", "")
                .put("submit_time_ms", "")
                .put("execute_time_ms", "")
                .put("complete_time_ms", "");
        n.putObject("task")
                .put("task_id", taskId)
                .put("status", status)
                .put("reason", "")
                .put("task_type", g.taskType)
                .put("eta", Math.max(0, (5000 - age) / 1000))
                .put("progress_percent", Math.min(100, age / 50));
        ArrayNode images = n.putArray("images");
        if (status.equals("TASK_STATUS_SUCCEED")) {
            for (int i = 0; i < g.images; i++) {
                ObjectNode img = images.addObject()
                        .put("image_url", baseUrl() + "/_images/" + taskId + "-" + i + "." + g.imageType);
                if (ttlAsString) {
                    img.put("image_url_ttl", "3600");
                } else {
                    img.put("image_url_ttl", 3600);
                }
                img.put("image_type", g.imageType);
                img.putObject("nsfw_detection_result");
            }
        }
        n.putArray("videos");
        n.putArray("audios");
        return Reply.json(200, n.toString());
    }

    private static Map<String, String> query(String url) {
        Map<String, String> q = new HashMap<>();
        int i = url.indexOf('?');
        if (i < 0) {
            return q;
        }
        for (String pair : url.substring(i + 1).split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            q.put(k, v);
        }
        return q;
    }

    /**
     * Builds a {@link NovitaSimulator}: the settings every simulator takes (clock, key, port, durations) and this
     * service's quirk variants. Not thread-safe.
     */
    public static final class Builder extends SimulatorBuilder<Builder> {
        private boolean assetsIdAsString;
        private boolean legacyGenerateWrapper;
        private boolean ttlAsString;

        private Builder() {
            super("sim-key-novita", DEFAULT_DURATIONS);
        }

        /**
         * Sends {@code assets_id} as a JSON string instead of a number (quirk 11).
         *
         * @param value the flag
         * @return this builder
         */
        public Builder assetsIdAsString(boolean value) {
            this.assetsIdAsString = value;
            return this;
        }

        /**
         * Answers generation with the legacy {@code {code,msg,data:{task_id}}} wrapper (quirk 16).
         *
         * @param value the flag
         * @return this builder
         */
        public Builder legacyGenerateWrapper(boolean value) {
            this.legacyGenerateWrapper = value;
            return this;
        }

        /**
         * Sends {@code image_url_ttl} as a string (quirk 15).
         *
         * @param value the flag
         * @return this builder
         */
        public Builder ttlAsString(boolean value) {
            this.ttlAsString = value;
            return this;
        }

        /**
         * Builds the simulator (not started).
         *
         * @return the simulator
         */
        public NovitaSimulator build() {
            return new NovitaSimulator(this);
        }
    }
}
