package dev.loraport.simulators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.http.Request;
import dev.loraport.internal.LocalImages;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * ModelsLab's (stablediffusionapi.com) training API, simulated (shared/providers.md part B): every call a
 * POST with the key in the body, lora_fine_tune / fine_tune / fine_tune_v2, fine_tune_status with the
 * {@code messege} typo and the progress text, finetune_list, cancel under both spellings, delete,
 * base64_crop, and v6 text2img + fetch. Jobs go deploying_gpu → training_started → training_success →
 * trained_model_compressing → trained_model_uploading → trained_model_uploaded → deploying_model →
 * model_ready on the {@link VirtualClock}. Thread-safe.
 *
 * <pre>{@code
 * StableDiffusionApiSimulator modelslab = StableDiffusionApiSimulator.create();
 * modelslab.start(); // or, in a JUnit 5 test: @RegisterExtension SimulatorExtension.of(modelslab)
 * }</pre>
 *
 * @since 0.1
 */
public final class StableDiffusionApiSimulator extends SimulatorServer {

    /** ModelsLab's default: about 30 minutes from submit to a ready model. */
    public static final TaskDurations DEFAULT_DURATIONS =
            TaskDurations.of(Duration.ofMinutes(2), Duration.ofMinutes(20), Duration.ofMinutes(8));

    private static final String[] DEPLOY_STAGES = {
        "training_success",
        "trained_model_compressing",
        "trained_model_uploading",
        "trained_model_uploaded",
        "deploying_model"
    };
    private static final Set<String> TRAINING_TYPES = Set.of("men", "women", "female", "couple", "null");
    private static final long MAX_IMAGE_BYTES = 5L * 1024 * 1024;
    private static final String ALPHANUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final boolean legacyNewlines;
    private final TaskBook<StableDiffusionApiTask> jobs =
            new TaskBook<>(this::newId, (id, name, createdAt, d) -> new StableDiffusionApiTask(id, createdAt, d, null));
    private final Map<String, byte[]> uploads = new HashMap<>();
    private final Map<Long, SimulatedGeneration> generations = new HashMap<>();
    private final SecureRandom random = new SecureRandom();
    private long generationSeq = 12_356_473;

    private static final class StableDiffusionApiTask extends SimulatedTask {
        @Nullable
        Instant canceledAt;

        StableDiffusionApiTask(String id, Instant createdAt, TaskDurations durations, @Nullable String failure) {
            super(id, createdAt, durations, failure);
        }
    }

    private StableDiffusionApiSimulator(Builder b) {
        super("stablediffusionapi", b);
        this.legacyNewlines = b.legacyNewlines;
    }

    /**
     * A simulator with a manual clock and the defaults.
     *
     * @return the simulator, not yet started
     */
    public static StableDiffusionApiSimulator create() {
        return builder().build();
    }

    /**
     * A simulator on a given clock.
     *
     * @param clock the clock
     * @return the simulator, not yet started
     */
    public static StableDiffusionApiSimulator create(VirtualClock clock) {
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
    TaskBook<StableDiffusionApiTask> tasks() {
        return jobs;
    }

    private String newId() {
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            id.append(ALPHANUM.charAt(random.nextInt(ALPHANUM.length())));
        }
        return id.toString();
    }

    @Override
    @Nullable
    Endpoint classify(String method, String path) {
        if (path.equals("/api/v3/base64_crop")) {
            return Endpoint.UPLOAD;
        }
        if (path.equals("/api/v3/lora_fine_tune")
                || path.equals("/api/v3/fine_tune")
                || path.equals("/api/v3/fine_tune_v2")) {
            return Endpoint.CREATE;
        }
        if (path.startsWith("/api/v3/fine_tune_status/")) {
            return Endpoint.STATUS;
        }
        if (path.equals("/api/v3/finetune_list")) {
            return Endpoint.LIST;
        }
        if (path.startsWith("/api/v3/cancle_training/") || path.startsWith("/api/v3/cancel_training/")) {
            return Endpoint.CANCEL;
        }
        if (path.startsWith("/api/v3/finetune/delete/")) {
            return Endpoint.DELETE;
        }
        if (path.equals("/api/v6/images/text2img")) {
            return Endpoint.GENERATE;
        }
        if (path.startsWith("/api/v6/images/fetch")) {
            return Endpoint.GENERATION_RESULT;
        }
        return null;
    }

    @Override
    Reply errorReply(Fault.Kind kind, int status, @Nullable Duration retryAfter) {
        return switch (kind) {
            case RATE_LIMITED -> {
                String body = "{\"status\":\"error\",\"message\":\"Rate limit exceeded. Maximum 5 queued requests "
                        + "allowed.\"" + (retryAfter == null ? "" : ",\"retry_after\":" + retryAfter.toSeconds()) + "}";
                yield Reply.json(429, body);
            }
            case INSUFFICIENT_BALANCE -> error(402, "Insufficient balance. Please top up your wallet.");
            case INVALID_KEY -> error(401, "Invalid Api Key");
            case ERROR_BODY_200 -> error(200, "Invalid Api Key");
            default -> error(status, "Service temporarily unavailable, try again");
        };
    }

    private static Reply error(int status, String message) {
        return Reply.json(status, "{\"status\":\"error\",\"message\":" + quote(message) + "}");
    }

    private static Reply missing(String field) {
        return Reply.json(
                400,
                "{\"status\":\"error\",\"message\":{\"" + field + "\":[\"The " + field.replace('_', ' ')
                        + " field is required.\"]}}");
    }

    @Override
    Reply route(Request request, String path, @Nullable Endpoint endpoint) {
        if (request.getMethod().getName().equals("GET")
                && (path.startsWith("/_images/") || path.startsWith("/_uploads/"))) {
            byte[] stored = uploads.get(path);
            return Reply.bytes(200, "image/png", stored != null ? stored : SampleImages.png(path.hashCode()));
        }
        if (endpoint == null) {
            return error(404, "Not found");
        }
        if (!request.getMethod().getName().equals("POST")) {
            return error(405, "The " + request.getMethod().getName() + " method is not supported for this route.");
        }
        JsonNode body = body(request);
        if (body == null || !body.isObject()) {
            return error(400, "Request body must be JSON");
        }
        String key = text(body, "key");
        if (key == null) {
            return missing("key");
        }
        if (!keyMatches(key)) {
            return error(401, "Invalid Api Key");
        }
        return switch (endpoint) {
            case UPLOAD -> crop(body);
            case CREATE -> create(path.substring("/api/v3/".length()), body);
            case STATUS -> status(last(path));
            case LIST -> list();
            case CANCEL -> cancel(last(path));
            case DELETE -> delete(last(path));
            case GENERATE -> text2img(body);
            case GENERATION_RESULT -> fetch(path, body);
            default -> error(404, "Not found");
        };
    }

    /** A whole number, as a JSON integer or a string holding one. */
    private static boolean integral(JsonNode v) {
        if (v.isIntegralNumber()) {
            return true;
        }
        if (!v.isTextual()) {
            return false;
        }
        try {
            Long.parseLong(v.asText().trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String last(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private Reply crop(JsonNode body) {
        String image = text(body, "image");
        if (image == null) {
            return missing("image");
        }
        // Documented as the strings "true" / "false"; a JSON boolean says the same thing.
        if (body.has("crop")
                && !Set.of("true", "false").contains(body.get("crop").asText())) {
            return error(400, "crop must be true or false");
        }
        int comma = image.indexOf(',');
        if (!image.startsWith("data:image/") || comma < 0) {
            return error(400, "image must be a base64 data URI");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(image.substring(comma + 1));
        } catch (IllegalArgumentException e) {
            return error(400, "image is not valid base64");
        }
        if (bytes.length > MAX_IMAGE_BYTES) {
            return error(400, "Image size must be less than 5MB");
        }
        if (LocalImages.sniff(bytes) == null) {
            return error(400, "Unsupported image type");
        }
        int n = uploads.size() + 1;
        String path = "/_uploads/" + n + ".png";
        uploads.put(path, bytes);
        return Reply.json(
                200,
                "{\"status\":\"success\",\"messege\":\"image uploaded\",\"link\":" + quote(baseUrl() + path)
                        + ",\"request_id\":" + (2397 + n) + "}");
    }

    private Reply create(String endpoint, JsonNode b) {
        for (String field : new String[] {"instance_prompt", "class_prompt"}) {
            if (text(b, field) == null) {
                return missing(field);
            }
        }
        if (!endpoint.equals("lora_fine_tune") && text(b, "base_model_id") == null) {
            return missing("base_model_id");
        }
        JsonNode images = b.path("images");
        if (!images.isArray() || images.isEmpty()) {
            return missing("images");
        }
        for (JsonNode image : images) {
            String u = image.asText();
            if (!u.startsWith("http://") && !u.startsWith("https://")) {
                return error(400, "images must be public http(s) URLs");
            }
        }
        String trainingType = text(b, "training_type");
        // training_type is required on all three create pages (fine_tune_v2 is fine_tune without max_train_steps).
        if (trainingType == null) {
            return missing("training_type");
        }
        if (!TRAINING_TYPES.contains(trainingType)) {
            return error(400, "training_type must be one of men, women, couple, null");
        }
        if (endpoint.equals("lora_fine_tune") || endpoint.equals("fine_tune")) {
            String steps = text(b, "max_train_steps");
            if (steps == null) {
                return missing("max_train_steps");
            }
            try {
                int s = Integer.parseInt(steps.trim());
                if (s < 1 || s > 2000) {
                    return error(400, "max_train_steps must be between 1 and 2000");
                }
            } catch (NumberFormatException e) {
                return error(400, "max_train_steps must be a number");
            }
        }
        if (b.has("lora_type")
                && !Set.of("lora", "lycoris").contains(b.get("lora_type").asText())) {
            return error(400, "lora_type must be lora or lycoris");
        }
        if (b.has("base_model_type")
                && !Set.of("normal", "sdxl").contains(b.get("base_model_type").asText())) {
            return error(400, "base_model_type must be normal or sdxl");
        }
        if (b.has("seed") && !integral(b.get("seed"))) {
            return error(400, "seed must be a number");
        }
        // fine_tune documents webhook as "" when unused; anything else must be a URL the service can call.
        String webhook = text(b, "webhook");
        if (webhook != null && !webhook.startsWith("http://") && !webhook.startsWith("https://")) {
            return error(400, "webhook must be a URL");
        }
        String id = jobs.add(
                        taskId -> new StableDiffusionApiTask(taskId, clock().now(), durations, takeTrainingFailure()))
                .id;
        long minutes = Math.max(1, durations.total().toMinutes());
        return Reply.json(
                200,
                "{\"status\":\"success\",\"messege\":\"deploying_gpu\",\"data\":\"it will take upto " + minutes
                        + " minutes.\",\"training_id\":\"" + id + "\"}");
    }

    private Reply status(String id) {
        StableDiffusionApiTask job = jobs.get(id);
        if (job == null) {
            return Reply.json(200, "{\"status\":\"error\",\"messege\":\"training id not found\"}");
        }
        ObjectNode n = JSON.createObjectNode();
        Instant now = clock().now();
        Duration age = job.age(now);
        TaskDurations d = job.durations;
        Duration trainEnd = d.queue().plus(d.training());
        String sep = legacyNewlines ? " /n " : "\n";
        String stage;
        String data;
        if (job.canceledAt != null) {
            stage = "training_cancelled";
            data = "Training cancelled by user";
        } else if (age.compareTo(d.queue()) < 0) {
            stage = "deploying_gpu";
            // Minutes the client waits, as in step(); a sped-up clock may honestly say 0.
            long upto = clock().waitFor(d.total().minus(age)).toMinutes();
            data = "it will take upto " + (clock().speed() == 0 ? Math.max(1, upto) : upto) + " minutes.";
        } else if (age.compareTo(trainEnd) < 0) {
            stage = "training_started";
            data = step(1, "Training Started", 5, d.total().minus(age));
        } else if (job.failure != null) {
            n.put("status", "failed");
            n.put("messege", job.reported("training_failed"));
            n.put("data", job.failure);
            return Reply.json(200, n.toString());
        } else if (age.compareTo(d.total()) < 0) {
            long slot = d.deploy().isZero()
                    ? 0
                    : age.minus(trainEnd).toMillis()
                            * DEPLOY_STAGES.length
                            / d.deploy().toMillis();
            stage = DEPLOY_STAGES[(int) Math.min(DEPLOY_STAGES.length - 1, slot)];
            data = step(1, "Training Started", 5, d.total().minus(trainEnd))
                    + sep
                    + step(2, "Training Done", 4, d.total().minus(age))
                    + (slot >= 2 ? sep + step(3, "Model Uploading", 3, d.total().minus(age)) : "")
                    + (slot >= 3 ? sep + step(4, "Model Uploaded", 2, d.total().minus(age)) : "");
        } else {
            stage = "model_ready";
            data = step(1, "Training Started", 5, d.total()) + sep + step(2, "Training Done", 4, d.deploy()) + sep
                    + step(3, "Model Uploading", 3, Duration.ofMinutes(2)) + sep
                    + step(4, "Model Uploaded", 2, Duration.ofMinutes(1)) + sep + "Model loaded successfully";
        }
        n.put("status", "success");
        n.put("messege", job.reported(stage));
        n.put("data", data);
        return Reply.json(200, n.toString());
    }

    private String step(int n, String phase, int togo, Duration eta) {
        // Minutes the client waits: on a sped-up clock, far fewer than the virtual minutes left.
        long minutes = eta.isNegative() ? 0 : clock().waitFor(eta).toMinutes();
        return "Step:" + n + " " + phase + ", " + togo + " Steps to go : ETA : " + minutes + " minutes";
    }

    private Reply list() {
        ObjectNode n = JSON.createObjectNode();
        n.put("status", "success");
        n.put("messege", "model list");
        ArrayNode data = n.putArray("data");
        jobs.newestFirst().forEach(job -> data.add(job.id));
        return Reply.json(200, n.toString());
    }

    private Reply cancel(String id) {
        StableDiffusionApiTask job = jobs.get(id);
        if (job == null) {
            return Reply.json(404, "{\"status\":\"error\",\"messege\":\"training id not found\"}");
        }
        if (job.trainingOver(clock().now()) || job.canceledAt != null) {
            return Reply.json(400, "{\"status\":\"error\",\"messege\":\"training already completed\"}");
        }
        job.canceledAt = clock().now();
        return Reply.json(200, "{\"status\":\"success\",\"messege\":\"training cancelled\",\"data\":\"\"}");
    }

    private Reply delete(String id) {
        if (jobs.remove(id) == null) {
            return Reply.json(404, "{\"status\":\"error\",\"messege\":\"training id not found\"}");
        }
        return Reply.json(200, "{\"status\":\"success\",\"messege\":\"model deleted\",\"data\":\"\"}");
    }

    private Reply text2img(JsonNode b) {
        for (String field : new String[] {"model_id", "prompt"}) {
            if (text(b, field) == null) {
                return missing(field);
            }
        }
        String loras = text(b, "lora_model");
        if (loras != null) {
            for (String lora : loras.split(",")) {
                StableDiffusionApiTask j = jobs.get(lora.trim());
                boolean ready = j != null && j.canceledAt == null && j.servable(clock().now());
                if (!ready) {
                    return error(400, "Lora model not found");
                }
            }
        }
        // Documented ranges (community-models openapi, CommonImageGenerationParams). The examples send numbers
        // as strings ("512"), so both forms count. num_inference_steps is left alone: the docs contradict
        // themselves (max 20 "capped", default 31, 20-50 elsewhere).
        for (String[] r : new String[][] {
            {"width", "1", "1024"}, {"height", "1", "1024"}, {"samples", "1", "4"}, {"clip_skip", "1", "8"}
        }) {
            if (b.has(r[0])) {
                JsonNode v = b.get(r[0]);
                if (!integral(v)) {
                    return error(400, r[0] + " must be a number");
                }
                long n = Long.parseLong(v.asText().trim());
                if (n < Long.parseLong(r[1]) || n > Long.parseLong(r[2])) {
                    return error(400, r[0] + " must be between " + r[1] + " and " + r[2]);
                }
            }
        }
        if (b.has("guidance_scale")) {
            double g;
            try {
                g = Double.parseDouble(b.get("guidance_scale").asText().trim());
            } catch (NumberFormatException e) {
                return error(400, "guidance_scale must be a number");
            }
            if (!(g >= 1 && g <= 20)) {
                return error(400, "guidance_scale must be between 1 and 20");
            }
        }
        if (b.has("seed") && !integral(b.get("seed"))) {
            return error(400, "seed must be a number");
        }
        int samples =
                b.has("samples") ? Integer.parseInt(b.get("samples").asText().trim()) : 1;
        long id = generationSeq++;
        generations.put(id, new SimulatedGeneration(clock().now(), samples));
        ObjectNode n = JSON.createObjectNode();
        n.put("status", "processing");
        n.put("tip", "for faster speed, keep resolution upto 512x512");
        n.put("eta", 2.5);
        // The generation answers are the newer API: "message", spelt right (only training keeps "messege").
        n.put("message", "Try to fetch request after given estimated time");
        n.put("fetch_result", baseUrl() + "/api/v6/images/fetch/" + id);
        n.put("id", id);
        n.putArray("output");
        ArrayNode future = n.putArray("future_links");
        for (int i = 0; i < samples; i++) {
            future.add(baseUrl() + "/_images/" + id + "-" + i + ".png");
        }
        n.putObject("meta").put("model_id", text(b, "model_id"));
        return Reply.json(200, n.toString());
    }

    private Reply fetch(String path, JsonNode body) {
        String idText = path.equals("/api/v6/images/fetch") ? text(body, "request_id") : last(path);
        if (idText == null && path.equals("/api/v6/images/fetch")) {
            // request_id is a documented required field of this form: missing is a validation error, not "not found".
            return missing("request_id");
        }
        SimulatedGeneration g;
        long id;
        try {
            id = Long.parseLong(idText == null ? "" : idText);
            g = generations.get(id);
        } catch (NumberFormatException e) {
            g = null;
            id = -1;
        }
        if (g == null) {
            return error(404, "Request not found");
        }
        g.polls++;
        boolean done =
                g.polls >= 2 || Duration.between(g.createdAt, clock().now()).toSeconds() >= 5;
        ObjectNode n = JSON.createObjectNode();
        n.put("status", done ? "success" : "processing");
        n.put("id", id);
        ArrayNode out = n.putArray("output");
        if (done) {
            for (int i = 0; i < g.images; i++) {
                out.add(baseUrl() + "/_images/" + id + "-" + i + ".png");
            }
        } else {
            n.put("eta", 1.2);
            n.put("message", "Try to fetch request after given estimated time");
        }
        return Reply.json(200, n.toString());
    }

    /**
     * Builds a {@link StableDiffusionApiSimulator}: the settings every simulator takes (clock, key, port, durations) and this
     * service's quirk variants. Not thread-safe.
     */
    public static final class Builder extends SimulatorBuilder<Builder> {
        private boolean legacyNewlines;

        private Builder() {
            super("sim-key-stablediffusionapi", DEFAULT_DURATIONS);
        }

        /**
         * Separates progress lines with the 2023 literal {@code " /n "} instead of a newline (quirk 5).
         *
         * @param value the flag
         * @return this builder
         */
        public Builder legacyNewlines(boolean value) {
            this.legacyNewlines = value;
            return this;
        }

        /**
         * Builds the simulator (not started).
         *
         * @return the simulator
         */
        public StableDiffusionApiSimulator build() {
            return new StableDiffusionApiSimulator(this);
        }
    }
}
