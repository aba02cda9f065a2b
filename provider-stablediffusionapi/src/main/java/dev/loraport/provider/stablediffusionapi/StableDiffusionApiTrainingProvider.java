package dev.loraport.provider.stablediffusionapi;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loraport.GeneratedImage;
import dev.loraport.GenerationRequest;
import dev.loraport.GenerationResult;
import dev.loraport.InvalidRequestException;
import dev.loraport.InvalidRequestException.Violation;
import dev.loraport.LoraWeight;
import dev.loraport.MalformedResponseException;
import dev.loraport.Page;
import dev.loraport.PageRequest;
import dev.loraport.ProviderConfig;
import dev.loraport.ProviderInfo;
import dev.loraport.ProviderUnavailableException;
import dev.loraport.TaskId;
import dev.loraport.TrainingImage;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingProviderException;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import dev.loraport.internal.ImageUploads;
import dev.loraport.internal.LocalImages;
import dev.loraport.provider.stablediffusionapi.internal.StableDiffusionApiApi;
import dev.loraport.provider.stablediffusionapi.internal.StableDiffusionApiCapabilities;
import dev.loraport.provider.stablediffusionapi.internal.StableDiffusionApiHttp;
import dev.loraport.provider.stablediffusionapi.internal.StableDiffusionApiMapper;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import retrofit2.Retrofit;

/**
 * ModelsLab's (formerly stablediffusionapi.com) training API behind the neutral {@link TrainingProvider}:
 * LoRA training ({@code lora_fine_tune}, or DreamBooth {@code fine_tune}/{@code fine_tune_v2} by provider
 * option), status with progress and ETA from the service's log text, listing, cancel, delete, uploads through
 * {@code base64_crop}, and v6 generation with the trained LoRA. The key travels in every JSON body and is
 * never logged. Thread-safe; close it to release its connections.
 *
 * <pre>{@code
 * TrainingProvider modelslab = StableDiffusionApiTrainingProvider.builder().apiKey(key).build();
 * }</pre>
 *
 * @since 0.1
 */
public final class StableDiffusionApiTrainingProvider implements TrainingProvider {

    /** The provider id, also the configuration prefix {@code loraport.stablediffusionapi.*}. */
    public static final String ID = StableDiffusionApiHttp.ID;

    /** The default service URL (the current ModelsLab host). */
    public static final String DEFAULT_BASE_URL = "https://modelslab.com";

    /** The historical host, still a valid base URL. */
    public static final String LEGACY_BASE_URL = "https://stablediffusionapi.com";

    private static final Set<String> ENDPOINTS = Set.of("lora_fine_tune", "fine_tune", "fine_tune_v2");
    private static final Set<String> TRAINING_TYPES = Set.of("men", "women", "female", "couple", "null");
    private static final long MAX_IMAGE_BYTES = 5L * 1024 * 1024;

    private final ProviderInfo info =
            new ProviderInfo(ID, "ModelsLab (stablediffusionapi.com)", StableDiffusionApiCapabilities.of());
    private final StableDiffusionApiApi api;
    private final StableDiffusionApiHttp http;
    private final OkHttpClient client;
    private final ObjectMapper mapper;
    private final ImageUploads uploads;
    private final Clock clock;
    private final ImageUploads.Pause pause;
    private final Duration generateTimeout;
    private final Duration pollInterval;
    private final String generateModel;
    private final boolean listFetchesStatus;
    private final @Nullable String webhook;

    private StableDiffusionApiTrainingProvider(Builder b) {
        String key = Objects.requireNonNull(b.apiKey, "apiKey == null");
        if (key.isBlank()) {
            throw new IllegalStateException(
                    "no API key: set loraport.stablediffusionapi.api-key or LORAPORT_STABLEDIFFUSIONAPI_API_KEY");
        }
        this.clock = b.clock;
        this.pause = b.pause;
        this.mapper = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        String userAgent = "loraport/" + version();
        this.client = new OkHttpClient.Builder()
                .connectTimeout(b.connectTimeout)
                .readTimeout(b.readTimeout)
                .writeTimeout(b.readTimeout)
                .callTimeout(b.callTimeout)
                .retryOnConnectionFailure(false)
                // A 307/308 would re-send the body, key included, to whatever host the redirect names.
                .followRedirects(false)
                .followSslRedirects(false)
                .addInterceptor(chain -> chain.proceed(chain.request()
                        .newBuilder()
                        .header("User-Agent", userAgent)
                        .header("Accept", "application/json")
                        .build()))
                .build();
        String url = b.baseUrl.toString();
        this.api = new Retrofit.Builder()
                .baseUrl(url.endsWith("/") ? url : url + "/")
                .client(client)
                .build()
                .create(StableDiffusionApiApi.class);
        this.http = new StableDiffusionApiHttp(mapper, key, clock);
        this.uploads = new ImageUploads(ID, b.uploadParallelism, b.uploadMaxAttempts, pause);
        this.generateTimeout = b.generateTimeout;
        this.pollInterval = b.pollInterval;
        this.generateModel = b.generateModel;
        this.listFetchesStatus = b.listFetchesStatus;
        this.webhook = b.webhook;
    }

    /**
     * A builder with ModelsLab's defaults.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A provider from configuration keys {@code loraport.stablediffusionapi.*} (see the module README).
     *
     * @param config the configuration; its API key is required
     * @return the provider
     */
    public static StableDiffusionApiTrainingProvider from(ProviderConfig config) {
        Builder b = builder().apiKey(config.requireApiKey());
        config.baseUrl().ifPresent(b::baseUrl);
        config.connectTimeout().ifPresent(t -> b.connectTimeout = t);
        config.readTimeout().ifPresent(t -> b.readTimeout = t);
        config.callTimeout().ifPresent(t -> b.callTimeout = t);
        b.uploadParallelism = config.intOption("upload.parallelism", b.uploadParallelism);
        b.uploadMaxAttempts = config.intOption("upload.max-attempts", b.uploadMaxAttempts);
        b.generateTimeout = config.durationOption("generate.timeout", b.generateTimeout);
        b.pollInterval = config.durationOption("generate.poll-interval", b.pollInterval);
        b.generateModel = config.option("generate.model-id").orElse(b.generateModel);
        b.listFetchesStatus = config.booleanOption("list.fetch-status", false);
        b.webhook = config.option("webhook").orElse(null);
        return b.build();
    }

    private static String version() {
        String v = StableDiffusionApiTrainingProvider.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public ProviderInfo info() {
        return info;
    }

    @Override
    public TrainingTask create(TrainingRequest request) {
        info.capabilities().validate(ID, request);
        Map<String, Object> options = request.providerOptions();
        String endpoint = option(options, "endpoint", "lora_fine_tune");
        String trainingType = option(options, "training_type", request.kind() == TrainingKind.SUBJECT ? "men" : "null");
        List<Violation> problems = new ArrayList<>();
        if (!ENDPOINTS.contains(endpoint)) {
            problems.add(new Violation(
                    "providerOptions.endpoint",
                    "'" + endpoint + "' is not allowed; allowed: " + "[lora_fine_tune, fine_tune, fine_tune_v2]"));
        }
        if (!TRAINING_TYPES.contains(trainingType)) {
            problems.add(new Violation(
                    "providerOptions.training_type",
                    "'" + trainingType + "' is not allowed; allowed: [men, women, female, couple, null]"));
        }
        if (!endpoint.equals("lora_fine_tune") && !options.containsKey("base_model_id")) {
            problems.add(new Violation("providerOptions.base_model_id", "required for the " + endpoint + " endpoint"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(ID, "create", problems);
        }
        // Every local check happens before the first call: read and sniff all local images up front.
        List<LocalImages.Local> local =
                LocalImages.read(ID, request.images(), info.capabilities().imageFormats(), MAX_IMAGE_BYTES);
        List<String> links = uploads.run(local, this::crop);
        List<String> urls = new ArrayList<>();
        int next = 0;
        for (TrainingImage image : request.images()) {
            urls.add(
                    image.source() == TrainingImage.Source.URL
                            ? image.url().orElseThrow().toString()
                            : links.get(next++));
        }
        ObjectNode body = mapper.createObjectNode();
        body.put("instance_prompt", request.instancePrompt().orElse(""));
        body.put("class_prompt", request.classPrompt().orElse(""));
        ArrayNode images = body.putArray("images");
        urls.forEach(images::add);
        // The service wants numbers as strings (quirk 4).
        body.put("seed", Long.toString(request.seed().orElse(0)));
        body.put("training_type", trainingType);
        if (webhook != null) {
            body.put("webhook", webhook);
        }
        if (endpoint.equals("lora_fine_tune")) {
            body.put("base_model_type", request.baseModel());
            body.put("max_train_steps", Integer.toString(request.steps().orElse(Math.min(2000, 2 * urls.size()))));
            body.put("lora_type", option(options, "lora_type", "lora"));
            if (options.containsKey("negative_prompt")) {
                body.put("negative_prompt", options.get("negative_prompt").toString());
            }
        } else {
            body.put("base_model_id", options.get("base_model_id").toString());
            if (endpoint.equals("fine_tune")) {
                body.put("max_train_steps", Integer.toString(request.steps().orElse(2000)));
            } else {
                body.put("learning_rate_unet", option(options, "learning_rate_unet", "1e-6"));
                body.put("steps_unet", option(options, "steps_unet", "1500"));
                body.put("learning_rate_text_encoder", option(options, "learning_rate_text_encoder", "1e-6"));
                body.put("steps_text_encoder", option(options, "steps_text_encoder", "350"));
            }
        }
        JsonNode response = http.execute("create", api.create(endpoint, http.body(body)));
        String trainingId = StableDiffusionApiHttp.text(response, "training_id");
        if (trainingId == null) {
            trainingId = StableDiffusionApiHttp.text(response, "model_id");
        }
        if (trainingId == null) {
            throw new MalformedResponseException(
                    ID,
                    "create",
                    "the service accepted the create but sent no training_id; the job may exist",
                    200,
                    null,
                    null);
        }
        return TrainingTask.builder()
                .id(TaskId.of(trainingId))
                .providerId(ID)
                .name(request.name())
                .kind(request.kind())
                .status(TrainingStatus.QUEUED)
                .rawStatus(StableDiffusionApiMapper.stage(response))
                .createdAt(clock.instant())
                .build();
    }

    private String crop(LocalImages.Local image) {
        ObjectNode body = mapper.createObjectNode();
        body.put(
                "image",
                "data:image/" + image.format() + ";base64,"
                        + Base64.getEncoder().encodeToString(image.bytes()));
        body.put("crop", "true");
        JsonNode response = http.execute("upload", api.crop(http.body(body)));
        String link = StableDiffusionApiHttp.text(response, "link");
        if (link == null) {
            throw new MalformedResponseException(ID, "upload", "no link in the base64_crop response", 200, null, null);
        }
        return link;
    }

    private static String option(Map<String, Object> options, String key, String fallback) {
        Object v = options.get(key);
        return v == null ? fallback : v.toString();
    }

    @Override
    public TrainingTask status(TaskId id) {
        StableDiffusionApiHttp.Answer a = http.send("status", api.status(id.value(), http.body(null)));
        if (a.json() == null) {
            throw StableDiffusionApiHttp.nonJson("status", a.status());
        }
        // On this endpoint "failed" describes the job, while "error" is a failed call (unknown id, bad key...).
        if (a.status() / 100 != 2 || a.bodyStatus().equals("error")) {
            throw http.error("status", a);
        }
        return StableDiffusionApiMapper.task(id.value(), a.json());
    }

    @Override
    public Page<TrainingTask> list(PageRequest page) {
        JsonNode response = http.execute("list", api.list(http.body(null)));
        List<String> ids = new ArrayList<>();
        for (JsonNode item : response.path("data")) {
            String id = item.isTextual() ? item.asText() : firstText(item, "training_id", "model_id", "id");
            if (id != null && !id.isBlank()) {
                ids.add(id);
            }
        }
        // The service does not page; an offset cursor pages the full list locally.
        int from = 0;
        if (page.cursor() != null) {
            try {
                from = Integer.parseInt(page.cursor().substring(2));
            } catch (RuntimeException e) {
                throw new InvalidRequestException(
                        ID,
                        "list",
                        List.of(new Violation(
                                "cursor", "'" + page.cursor() + "' is not a cursor this adapter issued")));
            }
        }
        int to = Math.min(ids.size(), from + page.limit());
        List<TrainingTask> tasks = new ArrayList<>();
        for (String id : ids.subList(Math.min(from, to), to)) {
            tasks.add(
                    listFetchesStatus
                            ? status(TaskId.of(id))
                            : TrainingTask.builder()
                                    .id(TaskId.of(id))
                                    .providerId(ID)
                                    .status(TrainingStatus.UNKNOWN)
                                    .build());
        }
        return new Page<>(tasks, to < ids.size() ? "o_" + to : null);
    }

    private static @Nullable String firstText(JsonNode node, String... fields) {
        for (String f : fields) {
            String v = StableDiffusionApiHttp.text(node, f);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    @Override
    public void cancel(TaskId id) {
        StableDiffusionApiHttp.Answer a = http.send("cancel", api.cancelMisspelt(id.value(), http.body(null)));
        boolean notFound = "training id not found"
                .equalsIgnoreCase(String.valueOf(
                        StableDiffusionApiMapper.stage(a.json() == null ? mapper.createObjectNode() : a.json())));
        if (a.status() == 404 && !notFound) {
            // The misspelt route is what every client uses; the OpenAPI spelling is the fallback.
            a = http.send("cancel", api.cancel(id.value(), http.body(null)));
        }
        check("cancel", a);
    }

    @Override
    public void delete(TaskId id) {
        check("delete", http.send("delete", api.delete(id.value(), http.body(null))));
    }

    private void check(String operation, StableDiffusionApiHttp.Answer a) {
        if (a.json() == null) {
            throw StableDiffusionApiHttp.nonJson(operation, a.status());
        }
        if (a.status() / 100 != 2
                || a.bodyStatus().equals("error")
                || a.bodyStatus().equals("failed")) {
            throw http.error(operation, a);
        }
    }

    @Override
    public GenerationResult generate(GenerationRequest request) {
        info.capabilities().validate(ID, request);
        ObjectNode body = mapper.createObjectNode();
        body.put("model_id", request.baseModel().orElse(generateModel));
        body.put("prompt", request.prompt());
        request.negativePrompt().ifPresent(v -> body.put("negative_prompt", v));
        body.put("width", Integer.toString(request.width().orElse(512)));
        body.put("height", Integer.toString(request.height().orElse(512)));
        body.put("samples", Integer.toString(request.imageCount()));
        body.put("num_inference_steps", Integer.toString(request.steps().orElse(30)));
        body.put("guidance_scale", request.guidanceScale().orElse(7.5));
        if (request.seed().isPresent()) {
            body.put("seed", request.seed().getAsLong());
        } else {
            body.putNull("seed");
        }
        request.sampler().ifPresent(v -> body.put("scheduler", v));
        if (!request.loras().isEmpty()) {
            body.put(
                    "lora_model",
                    request.loras().stream().map(LoraWeight::model).collect(Collectors.joining(",")));
            body.put(
                    "lora_strength",
                    request.loras().stream()
                            .map(l -> Double.toString(l.strength()))
                            .collect(Collectors.joining(",")));
        }
        JsonNode response = http.execute("generate", api.text2img(http.body(body)));
        Instant deadline = clock.instant().plus(generateTimeout);
        String id = StableDiffusionApiHttp.text(response, "id");
        String fetchUrl = StableDiffusionApiHttp.text(response, "fetch_result");
        while (true) {
            String status = String.valueOf(StableDiffusionApiHttp.text(response, "status"));
            if (status.equals("success") && response.path("output").size() > 0) {
                return result(response, id);
            }
            if (!clock.instant().isBefore(deadline)) {
                throw new ProviderUnavailableException(
                        ID,
                        "generate",
                        "no images after " + generateTimeout + " (request " + id + ")",
                        null,
                        null,
                        null);
            }
            sleep(pollInterval);
            String url = fetchUrl != null ? fetchUrl : "api/v6/images/fetch/" + id;
            try {
                response = http.execute("generate", api.fetch(url, http.body(null)));
            } catch (TrainingProviderException e) {
                // Fetching is safe to repeat; a transient failure only delays the next look.
                if (!e.isRetryable()) {
                    throw e;
                }
            }
        }
    }

    private static GenerationResult result(JsonNode response, @Nullable String id) {
        List<GeneratedImage> images = new ArrayList<>();
        for (JsonNode url : response.path("output")) {
            images.add(GeneratedImage.of(URI.create(url.asText()), null));
        }
        return new GenerationResult(images, id);
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
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }

    @Override
    public String toString() {
        return "StableDiffusionApiTrainingProvider{" + ID + "}";
    }

    /** Builds a {@link StableDiffusionApiTrainingProvider}. Not thread-safe. */
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
        private String generateModel = "realistic-vision-v51";
        private boolean listFetchesStatus;
        private @Nullable String webhook;
        private Clock clock = Clock.systemUTC();
        private ImageUploads.Pause pause = d -> Thread.sleep(d.toMillis());

        private Builder() {}

        /**
         * Sets the API key (required); it travels in each JSON body and is never logged.
         *
         * @param apiKey the key
         * @return this builder
         */
        public Builder apiKey(String apiKey) {
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey == null");
            return this;
        }

        /**
         * Sets the service URL (default {@value #DEFAULT_BASE_URL}; {@value #LEGACY_BASE_URL} also works).
         *
         * @param baseUrl the URL, without {@code /api}
         * @return this builder
         */
        public Builder baseUrl(URI baseUrl) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl == null");
            return this;
        }

        /**
         * Sets the connect, read and whole-call timeouts (defaults 10 s, 60 s, 120 s).
         *
         * @param connect the connect timeout
         * @param read the read timeout
         * @param call the whole-call timeout
         * @return this builder
         */
        public Builder timeouts(Duration connect, Duration read, Duration call) {
            this.connectTimeout = Objects.requireNonNull(connect, "connect == null");
            this.readTimeout = Objects.requireNonNull(read, "read == null");
            this.callTimeout = Objects.requireNonNull(call, "call == null");
            return this;
        }

        /**
         * Sets upload parallelism and attempts per image (defaults 4 and 3).
         *
         * @param parallelism concurrent uploads
         * @param maxAttempts attempts per image
         * @return this builder
         */
        public Builder uploads(int parallelism, int maxAttempts) {
            this.uploadParallelism = parallelism;
            this.uploadMaxAttempts = maxAttempts;
            return this;
        }

        /**
         * Sets how long generate waits and how often it fetches (defaults 5 min, 2 s).
         *
         * @param timeout the wait
         * @param pollInterval the pause between fetches
         * @return this builder
         */
        public Builder generation(Duration timeout, Duration pollInterval) {
            this.generateTimeout = Objects.requireNonNull(timeout, "timeout == null");
            this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval == null");
            return this;
        }

        /**
         * Sets the checkpoint used when a generation request names none (default {@code realistic-vision-v51}).
         *
         * @param modelId a ModelsLab model id
         * @return this builder
         */
        public Builder generateModel(String modelId) {
            this.generateModel = Objects.requireNonNull(modelId, "modelId == null");
            return this;
        }

        /**
         * Makes {@code list} read each listed job's status (one call per job) instead of reporting UNKNOWN.
         *
         * @param value the flag (default false)
         * @return this builder
         */
        public Builder listFetchesStatus(boolean value) {
            this.listFetchesStatus = value;
            return this;
        }

        /**
         * Sets the webhook URL the service calls on training progress.
         *
         * @param url the URL, or null for none
         * @return this builder
         */
        public Builder webhook(@Nullable String url) {
            this.webhook = url;
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
        public StableDiffusionApiTrainingProvider build() {
            return new StableDiffusionApiTrainingProvider(this);
        }
    }
}
