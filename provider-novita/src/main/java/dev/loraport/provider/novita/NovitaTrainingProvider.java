package dev.loraport.provider.novita;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loraport.GeneratedImage;
import dev.loraport.GenerationRequest;
import dev.loraport.GenerationResult;
import dev.loraport.InvalidRequestException;
import dev.loraport.LoraWeight;
import dev.loraport.MalformedResponseException;
import dev.loraport.Page;
import dev.loraport.PageRequest;
import dev.loraport.ProviderConfig;
import dev.loraport.ProviderInfo;
import dev.loraport.TaskId;
import dev.loraport.TaskNotFoundException;
import dev.loraport.TrainingImage;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingProviderException;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import dev.loraport.adapter.internal.AdapterGuard;
import dev.loraport.adapter.internal.AdapterSettings;
import dev.loraport.adapter.internal.GenerationPoll;
import dev.loraport.adapter.internal.JsonFields;
import dev.loraport.internal.ImageUploads;
import dev.loraport.internal.LocalImages;
import dev.loraport.internal.config.ConfigValues;
import dev.loraport.provider.novita.internal.NovitaApi;
import dev.loraport.provider.novita.internal.NovitaCapabilities;
import dev.loraport.provider.novita.internal.NovitaHttp;
import dev.loraport.provider.novita.internal.NovitaMapper;
import dev.loraport.provider.novita.internal.NovitaUploader;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Novita AI's v3 training API behind the neutral {@link TrainingProvider}: image upload, subject and style
 * training, status, listing and generation with the trained LoRA. Novita offers no cancel or delete.
 * Thread-safe; close it to release its connections.
 *
 * <pre>{@code
 * TrainingProvider novita = NovitaTrainingProvider.builder().apiKey(key).build();
 * }</pre>
 *
 * @since 0.1
 */
public final class NovitaTrainingProvider implements TrainingProvider {

    /** The provider id, also the configuration prefix {@code loraport.novita.*}. */
    public static final String ID = NovitaHttp.ID;

    /** The default service URL. */
    public static final String DEFAULT_BASE_URL = "https://api.novita.ai";

    // Settings only the stablediffusionapi adapter takes, and why Novita cannot.
    private static final Map<String, String> UNSUPPORTED_SETTINGS = Map.of(
            "webhook", "Novita's training API calls no webhook; poll or use the TaskWatcher",
            "list.fetch-status", "Novita's list already carries each job's status");

    private static final String DEFAULT_GENERATE_MODEL = "realisticVisionV51_v51VAE_94301.safetensors";

    private final ProviderInfo info;
    // Nothing but a TrainingProviderException leaves this adapter, and no message carries the key.
    private final AdapterGuard guard;
    private final NovitaHttp http;
    private final NovitaApi api;
    private final NovitaUploader uploader;
    private final GenerationPoll generations;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final String generateModel;
    // Status must use the path of the task's kind; remember kinds of tasks we created or listed.
    private final Map<String, TrainingKind> kinds = new ConcurrentHashMap<>();
    // The status answer has no name or creation date (only the listing does): status reports the name this
    // adapter sent or saw listed and the date a listing showed, and neither for a task it has never seen.
    private final Map<String, TrainingTask> listed = new ConcurrentHashMap<>();

    private NovitaTrainingProvider(Builder b) {
        AdapterSettings settings = b.settings.build();
        this.clock = settings.clock();
        this.http = new NovitaHttp(settings);
        this.api = http.api();
        this.mapper = http.mapper();
        this.uploader = new NovitaUploader(http, settings.imageUploads());
        this.generations = new GenerationPoll(settings);
        this.generateModel = settings.generateModel();
        this.info = new ProviderInfo(ID, "Novita AI", NovitaCapabilities.of(b.validateBaseModel));
        this.guard = new AdapterGuard(ID, settings.apiKey());
    }

    /**
     * A builder with Novita's defaults.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A provider from configuration keys {@code loraport.novita.*} (see the module README).
     *
     * @param config the configuration; its API key is required
     * @return the provider
     */
    public static NovitaTrainingProvider from(ProviderConfig config) {
        // A setting of the other adapter's that Novita cannot honour is refused, not silently dropped.
        UNSUPPORTED_SETTINGS.forEach((key, why) -> config.option(key).ifPresent(v -> {
            throw new IllegalArgumentException(
                    "loraport." + ID + "." + key + ": is not supported by " + ID + " (" + why + "); must be left out");
        }));
        // The former key is read when generate.model is unset; a blank one is named as written.
        config.option("generate.model-name").filter(String::isBlank).ifPresent(v -> {
            throw ConfigValues.outOfRange("loraport." + ID + ".generate.model-name", "'" + v + "'", "a model name");
        });
        Builder b = builder();
        // generate.model-name was this adapter's own key before both adapters shared generate.model.
        b.settings.read(config, "generate.model-name");
        b.validateBaseModel(config.booleanOption("validate-base-model", true));
        return b.build();
    }

    @Override
    public ProviderInfo info() {
        return info;
    }

    @Override
    public TrainingTask create(TrainingRequest request) {
        return guard.create("create", sent -> doCreate(request, sent));
    }

    private TrainingTask doCreate(TrainingRequest request, AdapterGuard.Sent sent) {
        check(request);
        // Every local check happens before the first call: read and sniff all images up front.
        List<LocalImages.Local> images =
                LocalImages.read(ID, request.images(), info.capabilities().imageFormats(), 0);
        List<String> assets = uploader.upload(images);
        ObjectNode body = trainingBody(request, assets);
        String kind = request.kind() == TrainingKind.SUBJECT ? "subject" : "style";
        // From here a failure may leave a job behind: it must reach the reconciler as a possibly accepted create.
        sent.mark();
        JsonNode response = http.execute("create", api.create(kind, http.body(body)));
        String taskId = JsonFields.text(response, "task_id");
        if (taskId == null && response.path("data").isObject()) {
            taskId = JsonFields.text(response.get("data"), "task_id");
        }
        if (taskId == null) {
            throw new MalformedResponseException(
                    ID,
                    "create",
                    "the service accepted the create but sent no task_id; the job may exist",
                    200,
                    null,
                    null);
        }
        kinds.put(taskId, request.kind());
        TrainingTask created = TrainingTask.builder()
                .id(TaskId.of(taskId))
                .providerId(ID)
                .name(request.name())
                .kind(request.kind())
                .status(TrainingStatus.QUEUED)
                .createdAt(clock.instant())
                .build();
        // Only the name: this created-at is the local clock's guess, and status passes on only the service's own.
        listed.put(taskId, created.toBuilder().createdAt(null).build());
        return created;
    }

    /**
     * Checks a request as {@link #create} does, without a call: the capabilities, then the numbers of the
     * dataset component options, which the service takes as strings and would otherwise refuse after the
     * uploads (or not at all).
     */
    @Override
    public void validate(TrainingRequest request) {
        guard.run("create", () -> check(request));
    }

    private void check(TrainingRequest request) {
        List<InvalidRequestException.Violation> problems = new ArrayList<>();
        try {
            info.capabilities().validate(ID, request);
        } catch (InvalidRequestException e) {
            problems.addAll(e.violations());
        }
        Map<String, Object> o = request.providerOptions();
        number(
                o,
                NovitaCapabilities.OPTION_CROP_RATIO,
                Double.MIN_VALUE,
                10,
                false,
                "a number above 0 up to 10",
                problems);
        number(o, NovitaCapabilities.OPTION_RESIZE_WIDTH, 1, 4096, true, "a whole number 1..4096", problems);
        number(o, NovitaCapabilities.OPTION_RESIZE_HEIGHT, 1, 4096, true, "a whole number 1..4096", problems);
        number(o, NovitaCapabilities.OPTION_RESTORE_UPSCALE, 1, 4, false, "a number 1..4", problems);
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(ID, "create", problems);
        }
    }

    private static void number(
            Map<String, Object> options,
            String key,
            double min,
            double max,
            boolean whole,
            String allowed,
            List<InvalidRequestException.Violation> out) {
        Object raw = options.get(key);
        if (raw == null) {
            return;
        }
        String text = raw.toString().trim();
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            value = Double.NaN;
        }
        if (!(value >= min && value <= max) || (whole && value != Math.rint(value))) {
            String shown = text.length() > 32 ? text.substring(0, 32) + "..." : text;
            out.add(new InvalidRequestException.Violation(
                    "providerOptions." + key, "'" + shown + "' is not allowed; allowed: " + allowed));
        }
    }

    private ObjectNode trainingBody(TrainingRequest r, List<String> assets) {
        ObjectNode body = mapper.createObjectNode();
        body.put("name", r.name());
        body.put("base_model", r.baseModel());
        body.put("width", r.width().orElse(512));
        body.put("height", r.height().orElse(512));
        ArrayNode items = body.putArray("image_dataset_items");
        for (int i = 0; i < assets.size(); i++) {
            ObjectNode item = items.addObject();
            item.put("assets_id", assets.get(i));
            r.images().get(i).caption().ifPresent(c -> item.put("caption", c));
        }
        ObjectNode expert = body.putObject("expert_setting");
        r.instancePrompt().ifPresent(v -> expert.put("instance_prompt", v));
        r.classPrompt().ifPresent(v -> expert.put("class_prompt", v));
        r.batchSize().ifPresent(v -> expert.put("train_batch_size", v));
        r.learningRate().ifPresent(v -> expert.put("learning_rate", v));
        r.steps().ifPresent(v -> expert.put("max_train_steps", v));
        r.seed().ifPresent(v -> expert.put("seed", v));
        r.scheduler().ifPresent(v -> expert.put("lr_scheduler", v));
        r.warmupSteps().ifPresent(v -> expert.put("lr_warmup_steps", v));
        r.priorPreservation().ifPresent(v -> expert.put("with_prior_preservation", v));
        r.priorLossWeight().ifPresent(v -> expert.put("prior_loss_weight", v));
        r.trainTextEncoder().ifPresent(v -> expert.put("train_text_encoder", v));
        r.loraRank().ifPresent(v -> expert.put("lora_r", v));
        r.loraAlpha().ifPresent(v -> expert.put("lora_alpha", v));
        r.textEncoderRank().ifPresent(v -> expert.put("lora_text_encoder_r", v));
        r.textEncoderAlpha().ifPresent(v -> expert.put("lora_text_encoder_alpha", v));
        ArrayNode components = body.putArray("components");
        Map<String, Object> o = r.providerOptions();
        int size = r.width().orElse(512);
        component(components, "face_crop_region", "ratio", option(o, "face_crop_region.ratio", "1"));
        ObjectNode resize = component(components, "resize", "width", option(o, "resize.width", Integer.toString(size)));
        arg(
                resize,
                "height",
                option(o, "resize.height", Integer.toString(r.height().orElse(size))));
        ObjectNode restore =
                component(components, "face_restore", "method", option(o, "face_restore.method", "gfpgan_1.4"));
        arg(restore, "upscale", option(o, "face_restore.upscale", "1.0"));
        return body;
    }

    private static String option(Map<String, Object> options, String key, String fallback) {
        Object v = options.get(key);
        return v == null ? fallback : v.toString();
    }

    private static ObjectNode component(ArrayNode components, String name, String arg, String value) {
        ObjectNode c = components.addObject();
        c.put("name", name);
        c.putArray("args");
        arg(c, arg, value);
        return c;
    }

    private static void arg(ObjectNode component, String name, String value) {
        ObjectNode a = ((ArrayNode) component.get("args")).addObject();
        a.put("name", name);
        a.put("value", value);
    }

    @Override
    public TrainingTask status(TaskId id) {
        return guard.call("status", () -> doStatus(id));
    }

    private TrainingTask doStatus(TaskId id) {
        TrainingKind known = kinds.get(id.value());
        TrainingKind first = known != null ? known : TrainingKind.SUBJECT;
        try {
            return statusOf(id, first);
        } catch (TaskNotFoundException e) {
            if (known != null) {
                throw e;
            }
            // The id may be a style task this instance never saw: the subject path does not know it.
            return statusOf(id, TrainingKind.STYLE);
        }
    }

    private TrainingTask statusOf(TaskId id, TrainingKind kind) {
        String path = kind == TrainingKind.SUBJECT ? "subject" : "style";
        JsonNode node = http.execute("status", api.status(path, id.value()));
        TrainingTask task = NovitaMapper.task(node, kind, "status");
        kinds.putIfAbsent(id.value(), kind);
        TrainingTask seen = listed.get(id.value());
        if (seen == null || (task.name().isPresent() && task.createdAt().isPresent())) {
            return task;
        }
        TrainingTask.Builder b = task.toBuilder();
        if (task.name().isEmpty()) {
            seen.name().ifPresent(b::name);
        }
        if (task.createdAt().isEmpty()) {
            seen.createdAt().ifPresent(b::createdAt);
        }
        return b.build();
    }

    @Override
    public Page<TrainingTask> list(PageRequest page) {
        return guard.call("list", () -> doList(page));
    }

    private Page<TrainingTask> doList(PageRequest page) {
        JsonNode node = http.execute("list", api.list(page.limit(), page.cursor() == null ? "" : page.cursor()));
        List<TrainingTask> tasks = new ArrayList<>();
        JsonNode items = node.get("tasks");
        if (items != null && items.isArray()) {
            for (JsonNode item : items) {
                TrainingTask t = NovitaMapper.task(item, null, "list");
                t.kind().ifPresent(k -> kinds.putIfAbsent(t.id().value(), k));
                if (t.name().isPresent() || t.createdAt().isPresent()) {
                    // The listing's date is the service's own; it replaces the local guess made at create.
                    listed.put(t.id().value(), t);
                }
                tasks.add(t);
            }
        }
        String next = JsonFields.text(node.path("pagination"), "next_cursor");
        return new Page<>(tasks, next);
    }

    @Override
    public GenerationResult generate(GenerationRequest request) {
        return guard.call("generate", () -> doGenerate(request));
    }

    private GenerationResult doGenerate(GenerationRequest request) {
        info.capabilities().validate(ID, request);
        ObjectNode body = mapper.createObjectNode();
        body.putObject("extra").put("response_image_type", "png");
        ObjectNode req = body.putObject("request");
        req.put("model_name", request.baseModel().orElse(generateModel));
        req.put("prompt", request.prompt());
        request.negativePrompt().ifPresent(v -> req.put("negative_prompt", v));
        req.put("width", request.width().orElse(512));
        req.put("height", request.height().orElse(512));
        req.put("image_num", request.imageCount());
        req.put("steps", request.steps().orElse(20));
        req.put("guidance_scale", request.guidanceScale().orElse(7.5));
        req.put("sampler_name", request.sampler().orElse("Euler a"));
        req.put("seed", request.seed().orElse(-1));
        ArrayNode loras = req.putArray("loras");
        for (LoraWeight l : request.loras()) {
            loras.addObject().put("model_name", l.model()).put("strength", l.strength());
        }
        String mode = "txt2img";
        if (request.initImage().isPresent()) {
            TrainingImage init = request.initImage().get();
            if (init.source() == TrainingImage.Source.URL) {
                throw new InvalidRequestException(
                        ID,
                        "generate",
                        List.of(new InvalidRequestException.Violation(
                                "initImage", "Novita needs the image's bytes; give a file or bytes, not a URL")));
            }
            byte[] bytes = LocalImages.read(
                            ID, List.of(init), info.capabilities().imageFormats(), NovitaCapabilities.MAX_IMAGE_BYTES)
                    .get(0)
                    .bytes();
            req.put("image_base64", Base64.getEncoder().encodeToString(bytes));
            request.initImageStrength().ifPresent(v -> req.put("strength", v));
            mode = "img2img";
        }
        JsonNode submitted = http.execute("generate", api.generate(mode, http.body(body)));
        String taskId = JsonFields.text(submitted, "task_id");
        if (taskId == null && submitted.path("data").isObject()) {
            taskId = JsonFields.text(submitted.get("data"), "task_id");
        }
        if (taskId == null) {
            throw new MalformedResponseException(ID, "generate", "no task_id in the response", 200, null, null);
        }
        String id = taskId;
        return generations.await("task " + id, null, () -> look(id));
    }

    private GenerationPoll.Look<GenerationResult> look(String taskId) {
        JsonNode result = http.execute("generate", api.taskResult(taskId));
        JsonNode task = result.path("task");
        String status = JsonFields.text(task, "status");
        if ("TASK_STATUS_SUCCEED".equals(status)) {
            return GenerationPoll.Look.done(images(result, taskId));
        }
        if ("TASK_STATUS_FAILED".equals(status)) {
            throw new TrainingProviderException(
                    ID, "generate", "the generation task failed", null, JsonFields.text(task, "reason"), null);
        }
        JsonNode eta = task.get("eta");
        JsonNode progress = task.get("progress_percent");
        return GenerationPoll.Look.pending(
                eta != null && eta.isNumber() ? Duration.ofMillis(Math.round(eta.asDouble() * 1000)) : null,
                progress != null && progress.isNumber() ? (int) Math.round(progress.asDouble()) : null);
    }

    private GenerationResult images(JsonNode result, String taskId) {
        List<GeneratedImage> images = new ArrayList<>();
        for (JsonNode img : result.path("images")) {
            String url = JsonFields.text(img, "image_url");
            if (url == null) {
                continue;
            }
            JsonNode ttl = img.get("image_url_ttl");
            Instant expires = null;
            if (ttl != null && !ttl.isNull()) {
                try {
                    expires = clock.instant()
                            .plusSeconds(Long.parseLong(ttl.asText().trim()));
                } catch (NumberFormatException ignored) {
                    // An unreadable TTL only loses the expiry, not the image.
                }
            }
            images.add(GeneratedImage.of(URI.create(url), expires));
        }
        if (images.isEmpty()) {
            throw new MalformedResponseException(
                    ID, "generate", "the task succeeded but returned no image URL", 200, null, null);
        }
        return new GenerationResult(images, taskId);
    }

    @Override
    public void close() {
        guard.run("close", http::close);
    }

    @Override
    public String toString() {
        return "NovitaTrainingProvider{" + info.id() + "}";
    }

    /** Builds a {@link NovitaTrainingProvider}. Not thread-safe. */
    public static final class Builder {
        private final AdapterSettings.Builder settings =
                AdapterSettings.builder(ID, URI.create(DEFAULT_BASE_URL), DEFAULT_GENERATE_MODEL);
        private boolean validateBaseModel = true;

        private Builder() {}

        /**
         * Sets the API key (required); it is sent as {@code Authorization: Bearer} and never logged.
         *
         * @param apiKey the key
         * @return this builder
         */
        public Builder apiKey(String apiKey) {
            settings.apiKey(apiKey);
            return this;
        }

        /**
         * Sets the service URL (default {@value #DEFAULT_BASE_URL}; the simulators set their own).
         *
         * @param baseUrl the URL
         * @return this builder
         */
        public Builder baseUrl(URI baseUrl) {
            settings.baseUrl(baseUrl);
            return this;
        }

        /**
         * Sets the connect timeout (default 10 s).
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            settings.connectTimeout(timeout);
            return this;
        }

        /**
         * Sets the read timeout, also used for writes (default 60 s).
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder readTimeout(Duration timeout) {
            settings.readTimeout(timeout);
            return this;
        }

        /**
         * Sets the whole-call timeout (default 120 s).
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder callTimeout(Duration timeout) {
            settings.callTimeout(timeout);
            return this;
        }

        /**
         * Sets how many images upload at once (default 4).
         *
         * @param parallelism 1 or more
         * @return this builder
         */
        public Builder uploadParallelism(int parallelism) {
            settings.uploadParallelism(parallelism);
            return this;
        }

        /**
         * Sets the attempts per image upload, each with a fresh upload URL (default 3).
         *
         * @param attempts 1 or more
         * @return this builder
         */
        public Builder uploadMaxAttempts(int attempts) {
            settings.uploadMaxAttempts(attempts);
            return this;
        }

        /**
         * Sets how long generate waits for images (default 5 min).
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder generateTimeout(Duration timeout) {
            settings.generateTimeout(timeout);
            return this;
        }

        /**
         * Sets the usual pause between generation result polls (default 2 s); a task's ETA may shorten or lengthen
         * it, up to ten times as long, as {@link dev.loraport.PollPolicy} decides.
         *
         * @param interval a positive interval
         * @return this builder
         */
        public Builder generatePollInterval(Duration interval) {
            settings.generatePollInterval(interval);
            return this;
        }

        /**
         * Sets the checkpoint used when a generation request names none.
         *
         * @param model a Novita {@code sd_name}, such as {@code realisticVisionV51_v51VAE_94301.safetensors}
         * @return this builder
         */
        public Builder generateModel(String model) {
            settings.generateModel(model);
            return this;
        }

        /**
         * Sets whether base models are checked against the documented list (default true; the list grows).
         *
         * @param validate the flag
         * @return this builder
         */
        public Builder validateBaseModel(boolean validate) {
            this.validateBaseModel = validate;
            return this;
        }

        Builder clock(Clock clock) {
            settings.clock(clock);
            return this;
        }

        Builder pause(ImageUploads.Pause pause) {
            settings.pause(pause);
            return this;
        }

        /**
         * Builds the provider.
         *
         * @return the provider
         * @throws NullPointerException when the API key is missing
         * @throws IllegalStateException when the API key is blank
         */
        public NovitaTrainingProvider build() {
            return new NovitaTrainingProvider(this);
        }
    }
}
