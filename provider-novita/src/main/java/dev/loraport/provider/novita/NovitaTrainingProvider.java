package dev.loraport.provider.novita;

import com.fasterxml.jackson.databind.DeserializationFeature;
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
import dev.loraport.ProviderUnavailableException;
import dev.loraport.TaskId;
import dev.loraport.TaskNotFoundException;
import dev.loraport.TrainingImage;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingProviderException;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import dev.loraport.internal.ImageUploads;
import dev.loraport.internal.LocalImages;
import dev.loraport.provider.novita.internal.NovitaApi;
import dev.loraport.provider.novita.internal.NovitaCapabilities;
import dev.loraport.provider.novita.internal.NovitaErrors;
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
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import retrofit2.Retrofit;

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
    public static final String ID = "novita";

    /** The default service URL. */
    public static final String DEFAULT_BASE_URL = "https://api.novita.ai";

    private final ProviderInfo info;
    private final NovitaApi api;
    private final NovitaHttp http;
    private final NovitaUploader uploader;
    private final OkHttpClient client;
    private final OkHttpClient uploadClient;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Duration generateTimeout;
    private final Duration pollInterval;
    private final String generateModel;
    private final ImageUploads.Pause pause;
    // Status must use the path of the task's kind; remember kinds of tasks we created or listed.
    private final Map<String, TrainingKind> kinds = new ConcurrentHashMap<>();

    private NovitaTrainingProvider(Builder b) {
        String key = Objects.requireNonNull(b.apiKey, "apiKey == null");
        if (key.isBlank()) {
            throw new IllegalStateException("no API key: set loraport.novita.api-key or LORAPORT_NOVITA_API_KEY");
        }
        this.clock = b.clock;
        this.pause = b.pause;
        this.mapper = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        String userAgent = "loraport/" + version();
        OkHttpClient base = new OkHttpClient.Builder()
                .connectTimeout(b.connectTimeout)
                .readTimeout(b.readTimeout)
                .writeTimeout(b.readTimeout)
                .callTimeout(b.callTimeout)
                .retryOnConnectionFailure(false)
                .build();
        this.uploadClient = base.newBuilder()
                .addInterceptor(chain -> chain.proceed(chain.request()
                        .newBuilder()
                        .header("User-Agent", userAgent)
                        .build()))
                .build();
        this.client = base.newBuilder()
                .addInterceptor(chain -> chain.proceed(chain.request()
                        .newBuilder()
                        .header("Authorization", "Bearer " + key)
                        .header("User-Agent", userAgent)
                        .header("Accept", "application/json")
                        .build()))
                .build();
        String url = b.baseUrl.toString();
        this.api = new Retrofit.Builder()
                .baseUrl(url.endsWith("/") ? url : url + "/")
                .client(client)
                .build()
                .create(NovitaApi.class);
        this.http = new NovitaHttp(mapper, key, clock);
        this.uploader = new NovitaUploader(
                api, http, uploadClient, new ImageUploads(ID, b.uploadParallelism, b.uploadMaxAttempts, pause::sleep));
        this.info = new ProviderInfo(ID, "Novita AI", NovitaCapabilities.of(b.validateBaseModel));
        this.generateTimeout = b.generateTimeout;
        this.pollInterval = b.pollInterval;
        this.generateModel = b.generateModel;
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
        Builder b = builder().apiKey(config.requireApiKey());
        config.baseUrl().ifPresent(b::baseUrl);
        config.connectTimeout().ifPresent(b::connectTimeout);
        config.readTimeout().ifPresent(b::readTimeout);
        config.callTimeout().ifPresent(b::callTimeout);
        b.uploadParallelism(config.intOption("upload.parallelism", b.uploadParallelism));
        b.uploadMaxAttempts(config.intOption("upload.max-attempts", b.uploadMaxAttempts));
        b.generateTimeout(config.durationOption("generate.timeout", b.generateTimeout));
        b.generatePollInterval(config.durationOption("generate.poll-interval", b.pollInterval));
        b.generateModel(config.option("generate.model-name").orElse(b.generateModel));
        b.validateBaseModel(config.booleanOption("validate-base-model", true));
        return b.build();
    }

    private static String version() {
        String v = NovitaTrainingProvider.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public ProviderInfo info() {
        return info;
    }

    @Override
    public TrainingTask create(TrainingRequest request) {
        info.capabilities().validate(ID, request);
        // Every local check happens before the first call: read and sniff all images up front.
        List<LocalImages.Local> images =
                LocalImages.read(ID, request.images(), info.capabilities().imageFormats(), 0);
        List<String> assets = uploader.upload(images);
        ObjectNode body = trainingBody(request, assets);
        String kind = request.kind() == TrainingKind.SUBJECT ? "subject" : "style";
        JsonNode response = http.execute("create", api.create(kind, http.body(body)));
        String taskId = NovitaErrors.text(response, "task_id");
        if (taskId == null && response.path("data").isObject()) {
            taskId = NovitaErrors.text(response.get("data"), "task_id");
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
        return TrainingTask.builder()
                .id(TaskId.of(taskId))
                .providerId(ID)
                .name(request.name())
                .kind(request.kind())
                .status(TrainingStatus.QUEUED)
                .createdAt(clock.instant())
                .build();
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
        return task;
    }

    @Override
    public Page<TrainingTask> list(PageRequest page) {
        JsonNode node = http.execute("list", api.list(page.limit(), page.cursor() == null ? "" : page.cursor()));
        List<TrainingTask> tasks = new ArrayList<>();
        JsonNode items = node.get("tasks");
        if (items != null && items.isArray()) {
            for (JsonNode item : items) {
                TrainingTask t = NovitaMapper.task(item, null, "list");
                t.kind().ifPresent(k -> kinds.putIfAbsent(t.id().value(), k));
                tasks.add(t);
            }
        }
        String next = NovitaErrors.text(node.path("pagination"), "next_cursor");
        return new Page<>(tasks, next);
    }

    @Override
    public GenerationResult generate(GenerationRequest request) {
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
                            ID, List.of(init), info.capabilities().imageFormats(), 10L << 20)
                    .get(0)
                    .bytes();
            req.put("image_base64", Base64.getEncoder().encodeToString(bytes));
            request.initImageStrength().ifPresent(v -> req.put("strength", v));
            mode = "img2img";
        }
        JsonNode submitted = http.execute("generate", api.generate(mode, http.body(body)));
        String taskId = NovitaErrors.text(submitted, "task_id");
        if (taskId == null && submitted.path("data").isObject()) {
            taskId = NovitaErrors.text(submitted.get("data"), "task_id");
        }
        if (taskId == null) {
            throw new MalformedResponseException(ID, "generate", "no task_id in the response", 200, null, null);
        }
        return awaitImages(taskId);
    }

    private GenerationResult awaitImages(String taskId) {
        Instant deadline = clock.instant().plus(generateTimeout);
        while (true) {
            JsonNode result;
            try {
                result = http.execute("generate", api.taskResult(taskId));
            } catch (TrainingProviderException e) {
                // Polling is safe to repeat; a transient failure only delays the next look.
                if (!e.isRetryable() || !clock.instant().isBefore(deadline)) {
                    throw e;
                }
                sleep(pollInterval);
                continue;
            }
            JsonNode task = result.path("task");
            String status = NovitaErrors.text(task, "status");
            if ("TASK_STATUS_SUCCEED".equals(status)) {
                return images(result, taskId);
            }
            if ("TASK_STATUS_FAILED".equals(status)) {
                throw new TrainingProviderException(
                        ID, "generate", "the generation task failed", null, NovitaErrors.text(task, "reason"), null);
            }
            if (!clock.instant().isBefore(deadline)) {
                throw new ProviderUnavailableException(
                        ID,
                        "generate",
                        "no images after " + generateTimeout + " (task " + taskId + ")",
                        null,
                        null,
                        null);
            }
            sleep(pollInterval);
        }
    }

    private GenerationResult images(JsonNode result, String taskId) {
        List<GeneratedImage> images = new ArrayList<>();
        for (JsonNode img : result.path("images")) {
            String url = NovitaErrors.text(img, "image_url");
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

    private void sleep(Duration d) {
        try {
            pause.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderUnavailableException(ID, "generate", "interrupted while waiting", null, null, e);
        }
    }

    @Override
    public void close() {
        for (OkHttpClient c : List.of(client, uploadClient)) {
            c.dispatcher().executorService().shutdown();
            c.connectionPool().evictAll();
        }
    }

    @Override
    public String toString() {
        return "NovitaTrainingProvider{" + info.id() + "}";
    }

    /** Builds a {@link NovitaTrainingProvider}. Not thread-safe. */
    public static final class Builder {
        private @Nullable String apiKey;
        private URI baseUrl = URI.create(DEFAULT_BASE_URL);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(60);
        private Duration callTimeout = Duration.ofSeconds(120);
        private int uploadParallelism = 4;
        private int uploadMaxAttempts = 3;
        private Duration generateTimeout = Duration.ofMinutes(5);
        private Duration pollInterval = Duration.ofSeconds(2);
        private String generateModel = "realisticVisionV51_v51VAE_94301.safetensors";
        private boolean validateBaseModel = true;
        private Clock clock = Clock.systemUTC();
        private ImageUploads.Pause pause = d -> Thread.sleep(d.toMillis());

        private Builder() {}

        /**
         * Sets the API key (required); it is sent as {@code Authorization: Bearer} and never logged.
         *
         * @param apiKey the key
         * @return this builder
         */
        public Builder apiKey(String apiKey) {
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey == null");
            return this;
        }

        /**
         * Sets the service URL (default {@value #DEFAULT_BASE_URL}; the simulators set their own).
         *
         * @param baseUrl the URL
         * @return this builder
         */
        public Builder baseUrl(URI baseUrl) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl == null");
            return this;
        }

        /**
         * Sets the connect timeout (default 10 s).
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "timeout == null");
            return this;
        }

        /**
         * Sets the read timeout (default 60 s).
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = Objects.requireNonNull(timeout, "timeout == null");
            return this;
        }

        /**
         * Sets the whole-call timeout (default 120 s).
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder callTimeout(Duration timeout) {
            this.callTimeout = Objects.requireNonNull(timeout, "timeout == null");
            return this;
        }

        /**
         * Sets how many images upload at once (default 4).
         *
         * @param parallelism 1 or more
         * @return this builder
         */
        public Builder uploadParallelism(int parallelism) {
            if (parallelism < 1) {
                throw new IllegalArgumentException(
                        "loraport.novita.upload.parallelism: " + parallelism + " is out of range; allowed 1 or more");
            }
            this.uploadParallelism = parallelism;
            return this;
        }

        /**
         * Sets the attempts per image upload (default 3).
         *
         * @param attempts 1 or more
         * @return this builder
         */
        public Builder uploadMaxAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException(
                        "loraport.novita.upload.max-attempts: " + attempts + " is out of range; allowed 1 or more");
            }
            this.uploadMaxAttempts = attempts;
            return this;
        }

        /**
         * Sets how long generate waits for images (default 5 min).
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder generateTimeout(Duration timeout) {
            this.generateTimeout = Objects.requireNonNull(timeout, "timeout == null");
            return this;
        }

        /**
         * Sets the pause between generation result polls (default 2 s).
         *
         * @param interval the interval
         * @return this builder
         */
        public Builder generatePollInterval(Duration interval) {
            this.pollInterval = Objects.requireNonNull(interval, "interval == null");
            return this;
        }

        /**
         * Sets the checkpoint used when a generation request names none.
         *
         * @param modelName a Novita {@code sd_name}, such as {@code realisticVisionV51_v51VAE_94301.safetensors}
         * @return this builder
         */
        public Builder generateModel(String modelName) {
            this.generateModel = Objects.requireNonNull(modelName, "modelName == null");
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
            this.clock = clock;
            return this;
        }

        Builder pause(ImageUploads.Pause pause) {
            this.pause = pause;
            return this;
        }

        /**
         * Builds the provider.
         *
         * @return the provider
         * @throws NullPointerException when the API key is missing
         */
        public NovitaTrainingProvider build() {
            return new NovitaTrainingProvider(this);
        }
    }
}
