package dev.loraport.provider.stablediffusionapi;

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
import dev.loraport.ProviderCapabilities;
import dev.loraport.ProviderConfig;
import dev.loraport.ProviderInfo;
import dev.loraport.TaskId;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import dev.loraport.adapter.internal.AdapterGuard;
import dev.loraport.adapter.internal.AdapterSettings;
import dev.loraport.adapter.internal.Answer;
import dev.loraport.adapter.internal.GenerationPoll;
import dev.loraport.adapter.internal.JsonFields;
import dev.loraport.adapter.internal.Origins;
import dev.loraport.internal.ImageUploads;
import dev.loraport.internal.LocalImages;
import dev.loraport.internal.config.ConfigValues;
import dev.loraport.provider.stablediffusionapi.internal.StableDiffusionApiApi;
import dev.loraport.provider.stablediffusionapi.internal.StableDiffusionApiCapabilities;
import dev.loraport.provider.stablediffusionapi.internal.StableDiffusionApiErrors;
import dev.loraport.provider.stablediffusionapi.internal.StableDiffusionApiHttp;
import dev.loraport.provider.stablediffusionapi.internal.StableDiffusionApiMapper;
import dev.loraport.provider.stablediffusionapi.internal.StableDiffusionApiUploader;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

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

    /** Configuration key of {@link Builder#webhook(String)}, under {@code loraport.stablediffusionapi.}. */
    public static final String WEBHOOK = "webhook";

    /** Configuration key of {@link Builder#fetchHosts(String...)}, under {@code loraport.stablediffusionapi.}. */
    public static final String FETCH_HOSTS = "generate.fetch-hosts";

    /** The service's own domains: a fetch URL on any of them (or a subdomain) is followed from either base URL. */
    /** The neutral prompts' limit ({@code ProviderCapabilities.DEFAULT_TEXT_LENGTHS}). */
    private static final int MAX_NEGATIVE_PROMPT = 1024;

    private static final List<String> SERVICE_DOMAINS = List.of("modelslab.com", "stablediffusionapi.com");

    /** The neutral optional training fields, as {@link dev.loraport.ProviderCapabilities} names them. */
    private static final Set<String> NEUTRAL_FIELDS = Set.of(
            "width",
            "height",
            "steps",
            "learningRate",
            "scheduler",
            "warmupSteps",
            "loraRank",
            "loraAlpha",
            "textEncoderRank",
            "textEncoderAlpha",
            "batchSize",
            "seed",
            "trainTextEncoder",
            "priorPreservation",
            "priorLossWeight");

    private static final Map<String, ProviderCapabilities> BY_ENDPOINT = byEndpoint();

    /** A list cursor: {@code o_} and a non-negative offset that fits an int. */
    private static final Pattern CURSOR = Pattern.compile("o_(0|[1-9][0-9]{0,8}|[1-2][0-9]{9})");
    /** A page of a listing read once: {@code s_<snapshot>_<offset>}. */
    private static final Pattern SNAPSHOT_CURSOR =
            Pattern.compile("s_([0-9a-f]{16})_(0|[1-9][0-9]{0,8}|[1-2][0-9]{9})");
    /** Listings kept for their next pages; a walk is short, so a few suffice. */
    private static final int SNAPSHOTS = 16;

    private static final String DEFAULT_GENERATE_MODEL = "realistic-vision-v51";

    private final ProviderInfo info =
            new ProviderInfo(ID, "ModelsLab (stablediffusionapi.com)", StableDiffusionApiCapabilities.of());
    private final StableDiffusionApiHttp http;
    private final StableDiffusionApiApi api;
    private final StableDiffusionApiUploader uploader;
    private final GenerationPoll generations;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final String generateModel;
    private final boolean listFetchesStatus;
    // The service returns the whole account at once: the later pages of a walk come from the first page's read,
    // so walking N pages costs one call, not N full reads.
    private final Map<String, List<String>> snapshots =
            java.util.Collections.synchronizedMap(new LinkedHashMap<String, List<String>>(16, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, List<String>> eldest) {
                    return size() > SNAPSHOTS;
                }
            });
    private final java.util.Random snapshotIds = new java.security.SecureRandom();
    private final @Nullable String webhook;
    private final Origins origins;
    private final AdapterGuard guard;

    private StableDiffusionApiTrainingProvider(Builder b) {
        AdapterSettings settings = b.settings.build();
        this.guard = new AdapterGuard(ID, settings.apiKey());
        this.origins = Origins.of(settings.baseUrl(), b.fetchHosts, SERVICE_DOMAINS);
        this.clock = settings.clock();
        this.http = new StableDiffusionApiHttp(settings);
        this.api = http.api();
        this.mapper = http.mapper();
        this.uploader = new StableDiffusionApiUploader(http, settings.imageUploads());
        this.generations = new GenerationPoll(settings);
        this.generateModel = settings.generateModel();
        this.listFetchesStatus = b.listFetchesStatus;
        this.webhook = b.webhook;
    }

    private static Map<String, ProviderCapabilities> byEndpoint() {
        Map<String, ProviderCapabilities> out = new LinkedHashMap<>();
        for (String e : StableDiffusionApiCapabilities.ENDPOINTS) {
            out.put(e, StableDiffusionApiCapabilities.forEndpoint(e));
        }
        return Map.copyOf(out);
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
        // Novita's setting, which this adapter cannot honour: refused, not silently dropped.
        config.option("validate-base-model").ifPresent(v -> {
            throw new IllegalArgumentException("loraport." + ID + ".validate-base-model: is not supported by " + ID
                    + " (its base models are always checked: " + StableDiffusionApiCapabilities.BASE_MODELS
                    + "); must be left out");
        });
        // The former key is read when generate.model is unset; a blank one is named as written.
        config.option("generate.model-id").filter(String::isBlank).ifPresent(v -> {
            throw ConfigValues.outOfRange("loraport." + ID + ".generate.model-id", "'" + v + "'", "a model id");
        });
        Builder b = builder();
        // generate.model-id was this adapter's own key before both adapters shared generate.model.
        b.settings.read(config, "generate.model-id");
        b.listFetchesStatus(config.booleanOption("list.fetch-status", false));
        config.option(WEBHOOK).ifPresent(b::webhook);
        config.option(FETCH_HOSTS).ifPresent(b::fetchHosts);
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
        Map<String, Object> options = request.providerOptions();
        String endpoint =
                option(options, StableDiffusionApiCapabilities.OPTION_ENDPOINT, StableDiffusionApiCapabilities.LORA);
        String trainingType = option(
                options,
                StableDiffusionApiCapabilities.OPTION_TRAINING_TYPE,
                request.kind() == TrainingKind.SUBJECT ? "men" : "null");
        // Every local check happens before the first call: read and sniff all local images up front.
        List<LocalImages.Local> local = LocalImages.read(
                ID,
                request.images(),
                info.capabilities().imageFormats(),
                StableDiffusionApiCapabilities.MAX_IMAGE_BYTES);
        List<String> urls = uploader.upload(request.images(), local);
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
        switch (endpoint) {
            case StableDiffusionApiCapabilities.LORA -> {
                body.put("base_model_type", request.baseModel());
                body.put(
                        "max_train_steps",
                        Integer.toString(request.steps()
                                .orElse(Math.min(StableDiffusionApiCapabilities.MAX_TRAIN_STEPS, 2 * urls.size()))));
                body.put("lora_type", option(options, StableDiffusionApiCapabilities.OPTION_LORA_TYPE, "lora"));
                copy(options, StableDiffusionApiCapabilities.OPTION_NEGATIVE_PROMPT, body);
                copy(options, StableDiffusionApiCapabilities.OPTION_WANDB_KEY, body);
            }
            case StableDiffusionApiCapabilities.DREAMBOOTH -> {
                body.put(
                        "base_model_id",
                        options.get(StableDiffusionApiCapabilities.OPTION_BASE_MODEL_ID)
                                .toString());
                body.put(
                        "max_train_steps",
                        Integer.toString(request.steps().orElse(StableDiffusionApiCapabilities.MAX_TRAIN_STEPS)));
            }
            default -> {
                body.put(
                        "base_model_id",
                        options.get(StableDiffusionApiCapabilities.OPTION_BASE_MODEL_ID)
                                .toString());
                String rate = request.learningRate().isPresent()
                        ? StableDiffusionApiCapabilities.learningRate(
                                request.learningRate().getAsDouble())
                        : option(options, StableDiffusionApiCapabilities.OPTION_LR_UNET, "1e-6");
                body.put("learning_rate_unet", rate);
                body.put(
                        "steps_unet",
                        request.steps().isPresent()
                                ? Integer.toString(request.steps().getAsInt())
                                : option(options, StableDiffusionApiCapabilities.OPTION_STEPS_UNET, "1500")
                                        .trim());
                body.put(
                        "learning_rate_text_encoder",
                        option(options, StableDiffusionApiCapabilities.OPTION_LR_TEXT_ENCODER, "1e-6"));
                body.put(
                        "steps_text_encoder",
                        option(options, StableDiffusionApiCapabilities.OPTION_STEPS_TEXT_ENCODER, "350")
                                .trim());
            }
        }
        sent.mark();
        JsonNode response = http.execute("create", api.create(endpoint, http.body(body)));
        String trainingId = JsonFields.nonBlank(response, "training_id");
        if (trainingId == null) {
            trainingId = JsonFields.nonBlank(response, "model_id");
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

    /**
     * Checks a request as {@link #create} does, without a call: against the rules of the endpoint it names (each
     * of lora_fine_tune, fine_tune and fine_tune_v2 takes its own fields and options), then what spans fields:
     * {@code base_model_id} for the DreamBooth endpoints, a neutral field and the option it is sent as not both
     * set, the numbers of the fine_tune_v2 step options.
     */
    @Override
    public void validate(TrainingRequest request) {
        guard.run("create", () -> check(request));
    }

    private void check(TrainingRequest request) {
        Map<String, Object> o = request.providerOptions();
        Object named = o.get(StableDiffusionApiCapabilities.OPTION_ENDPOINT);
        String endpoint = named == null ? StableDiffusionApiCapabilities.LORA : named.toString();
        if (!StableDiffusionApiCapabilities.ENDPOINTS.contains(endpoint)) {
            // The union of all endpoints' rules names the bad endpoint and whatever else is wrong.
            info.capabilities().validate(ID, request);
            throw new IllegalStateException("endpoint '" + endpoint + "' passed the capabilities");
        }
        List<Violation> problems = new ArrayList<>();
        try {
            BY_ENDPOINT.get(endpoint).validate(ID, request);
        } catch (InvalidRequestException e) {
            for (Violation v : e.violations()) {
                problems.add(reword(v, endpoint));
            }
        }
        if (!endpoint.equals(StableDiffusionApiCapabilities.LORA)
                && !o.containsKey(StableDiffusionApiCapabilities.OPTION_BASE_MODEL_ID)) {
            problems.add(new Violation(
                    "providerOptions." + StableDiffusionApiCapabilities.OPTION_BASE_MODEL_ID,
                    "required for the " + endpoint + " endpoint: the model id to train on, such as"
                            + " portraitplus-diffusion"));
        }
        if (endpoint.equals(StableDiffusionApiCapabilities.DREAMBOOTH_V2)) {
            both(request.steps().isPresent(), o, "steps", StableDiffusionApiCapabilities.OPTION_STEPS_UNET, problems);
            both(
                    request.learningRate().isPresent(),
                    o,
                    "learningRate",
                    StableDiffusionApiCapabilities.OPTION_LR_UNET,
                    problems);
            steps(o, StableDiffusionApiCapabilities.OPTION_STEPS_UNET, problems);
            steps(o, StableDiffusionApiCapabilities.OPTION_STEPS_TEXT_ENCODER, problems);
        }
        Object negative = o.get(StableDiffusionApiCapabilities.OPTION_NEGATIVE_PROMPT);
        if (negative != null) {
            negativePrompt(negative.toString(), problems);
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(ID, "create", problems);
        }
    }

    /** The option is a prompt like the neutral ones, so it gets their length and character rules. */
    private static void negativePrompt(String text, List<Violation> out) {
        String field = "providerOptions." + StableDiffusionApiCapabilities.OPTION_NEGATIVE_PROMPT;
        if (text.length() > MAX_NEGATIVE_PROMPT) {
            out.add(new Violation(
                    field, "is " + text.length() + " characters long; allowed at most " + MAX_NEGATIVE_PROMPT));
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
                out.add(new Violation(
                        field,
                        "has control character U+" + String.format("%04X", (int) c) + " at index " + i
                                + "; allowed: printable text, tabs and line breaks"));
                return;
            }
        }
    }

    /** Says which endpoint a field or option belongs to when this one does not take it. */
    private static Violation reword(Violation v, String endpoint) {
        String field = v.field();
        if (NEUTRAL_FIELDS.contains(field)
                && !StableDiffusionApiCapabilities.fields(endpoint).contains(field)) {
            List<String> others = StableDiffusionApiCapabilities.ENDPOINTS.stream()
                    .filter(e -> StableDiffusionApiCapabilities.fields(e).contains(field))
                    .toList();
            String takes = "fields allowed on " + endpoint + ": "
                    + new TreeSet<>(StableDiffusionApiCapabilities.fields(endpoint));
            return new Violation(
                    field,
                    others.isEmpty()
                            ? "is not supported by " + ID + ": no ModelsLab training endpoint has such a setting; "
                                    + takes
                            : "is not supported by " + ID + " on the " + endpoint + " endpoint; " + takes + "; " + field
                                    + " is sent by " + others);
        }
        if (field.startsWith("providerOptions.")) {
            String key = field.substring("providerOptions.".length());
            List<String> others = StableDiffusionApiCapabilities.ENDPOINTS.stream()
                    .filter(e -> StableDiffusionApiCapabilities.options(e).contains(key))
                    .toList();
            if (!others.isEmpty() && !others.contains(endpoint)) {
                return new Violation(
                        field,
                        "is an option of the " + others + " endpoint" + (others.size() > 1 ? "s" : "")
                                + " only, not of " + endpoint + "; options allowed on " + endpoint + ": "
                                + new TreeSet<>(StableDiffusionApiCapabilities.options(endpoint)));
            }
        }
        return v;
    }

    private static void both(
            boolean neutral, Map<String, Object> options, String field, String key, List<Violation> out) {
        if (neutral && options.containsKey(key)) {
            out.add(new Violation(
                    "providerOptions." + key,
                    "set together with " + field + ", which fine_tune_v2 sends as " + key + "; set one of them"));
        }
    }

    private static void steps(Map<String, Object> options, String key, List<Violation> out) {
        Object raw = options.get(key);
        if (raw == null || raw.toString().isBlank()) {
            return;
        }
        String text = raw.toString().trim();
        boolean ok;
        try {
            int n = Integer.parseInt(text);
            ok = n >= 1 && n <= StableDiffusionApiCapabilities.MAX_V2_STEPS;
        } catch (NumberFormatException e) {
            ok = false;
        }
        if (!ok) {
            String shown = text.length() > 32 ? text.substring(0, 32) + "..." : text;
            out.add(new Violation(
                    "providerOptions." + key,
                    "'" + shown + "' is not allowed; allowed: a whole number 1.."
                            + StableDiffusionApiCapabilities.MAX_V2_STEPS));
        }
    }

    private static void copy(Map<String, Object> options, String key, ObjectNode body) {
        if (options.containsKey(key)) {
            body.put(key, options.get(key).toString());
        }
    }

    private static String option(Map<String, Object> options, String key, String fallback) {
        Object v = options.get(key);
        return v == null ? fallback : v.toString();
    }

    @Override
    public TrainingTask status(TaskId id) {
        return guard.call("status", () -> doStatus(id));
    }

    private TrainingTask doStatus(TaskId id) {
        JsonNode json =
                http.execute("status", api.status(id.value(), http.body(null)), StableDiffusionApiErrors.STATUS);
        return StableDiffusionApiMapper.task(id.value(), json);
    }

    @Override
    public Page<TrainingTask> list(PageRequest page) {
        return guard.call("list", () -> doList(page));
    }

    private Page<TrainingTask> doList(PageRequest page) {
        String cursor = page.cursor();
        java.util.regex.Matcher snapshot = cursor == null ? null : SNAPSHOT_CURSOR.matcher(cursor);
        String token;
        int from;
        List<String> ids;
        if (snapshot != null && snapshot.matches()) {
            token = snapshot.group(1);
            from = Integer.parseInt(snapshot.group(2));
            List<String> kept = snapshots.get(token);
            // Gone (another instance issued it, or it aged out): read afresh and page it by offset.
            ids = kept != null ? kept : readIds();
        } else {
            token = newSnapshotId();
            from = offset(cursor);
            ids = readIds();
        }
        // The service does not page; the cursor pages the full list locally. A list that shrank since the
        // cursor was issued ends at once.
        int start = Math.min(from, ids.size());
        int to = (int) Math.min(ids.size(), (long) start + page.limit());
        if (to < ids.size()) {
            snapshots.put(token, ids);
        } else {
            snapshots.remove(token);
        }
        List<TrainingTask> tasks = new ArrayList<>();
        for (String id : ids.subList(start, to)) {
            tasks.add(
                    listFetchesStatus
                            ? status(TaskId.of(id))
                            : TrainingTask.builder()
                                    .id(TaskId.of(id))
                                    .providerId(ID)
                                    .status(TrainingStatus.UNKNOWN)
                                    .build());
        }
        return new Page<>(tasks, to < ids.size() ? "s_" + token + "_" + to : null);
    }

    private List<String> readIds() {
        JsonNode response = http.execute("list", api.list(http.body(null)));
        List<String> ids = new ArrayList<>();
        for (JsonNode item : response.path("data")) {
            String id = item.isTextual() ? item.asText() : firstText(item, "training_id", "model_id", "id");
            if (id != null && !id.isBlank()) {
                ids.add(id);
            }
        }
        return List.copyOf(ids);
    }

    private String newSnapshotId() {
        return String.format("%016x", snapshotIds.nextLong());
    }

    /** The offset an {@code o_<n>} cursor this adapter issued stands for; anything else is refused by name. */
    private static int offset(@Nullable String cursor) {
        if (cursor == null) {
            return 0;
        }
        if (CURSOR.matcher(cursor).matches()) {
            return Integer.parseInt(cursor.substring(2));
        }
        String shown = cursor.length() > 32 ? cursor.substring(0, 32) + "..." : cursor;
        throw new InvalidRequestException(
                ID,
                "list",
                List.of(new Violation(
                        "cursor",
                        "'" + shown + "' is not a cursor this adapter issued; allowed: a nextCursor of an earlier page"
                                + " (s_<snapshot>_<offset>, or o_ and an offset 0.." + Integer.MAX_VALUE + ")")));
    }

    private static @Nullable String firstText(JsonNode node, String... fields) {
        for (String f : fields) {
            String v = JsonFields.nonBlank(node, f);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    @Override
    public void cancel(TaskId id) {
        guard.run("cancel", () -> doCancel(id));
    }

    private void doCancel(TaskId id) {
        Answer a = http.send("cancel", api.cancelMisspelt(id.value(), http.body(null)));
        boolean notFound = "training id not found"
                .equalsIgnoreCase(String.valueOf(
                        StableDiffusionApiMapper.stage(a.json() == null ? mapper.createObjectNode() : a.json())));
        if (a.status() == 404 && !notFound) {
            // The misspelt route is what every client uses; the OpenAPI spelling is the fallback.
            a = http.send("cancel", api.cancel(id.value(), http.body(null)));
        }
        http.judge("cancel", a);
    }

    @Override
    public void delete(TaskId id) {
        guard.run("delete", () -> http.execute("delete", api.delete(id.value(), http.body(null))));
    }

    @Override
    public GenerationResult generate(GenerationRequest request) {
        return guard.call("generate", () -> doGenerate(request));
    }

    private GenerationResult doGenerate(GenerationRequest request) {
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
        String id = JsonFields.nonBlank(response, "id");
        if (done(response)) {
            return result(response, id);
        }
        String url = fetchUrl(response, id);
        return generations.await(
                "request " + id,
                look(response, id),
                () -> look(http.execute("generate", api.fetch(url, http.body(null))), id));
    }

    /**
     * Where a queued generation is fetched: the answer's {@code fetch_result}, else {@code api/v6/images/fetch/<id>}
     * on the base URL. The fetch carries the key, so a URL off the allowed origins is refused, not followed.
     */
    private String fetchUrl(JsonNode response, @Nullable String id) {
        String named = JsonFields.nonBlank(response, "fetch_result");
        if (named == null && id == null) {
            throw new MalformedResponseException(
                    ID,
                    "generate",
                    "the generation is queued but the answer has neither fetch_result nor id",
                    200,
                    null,
                    null);
        }
        URI target;
        try {
            target = named != null
                    ? origins.resolve(named)
                    : origins.resolve("api/v6/images/fetch/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new MalformedResponseException(
                    ID, "generate", "the answer's fetch_result is not a URL", 200, null, null);
        }
        if (!origins.allows(target)) {
            throw new MalformedResponseException(
                    ID,
                    "generate",
                    "the answer names a fetch URL on " + Origins.hostOf(target) + ", which is neither the base URL's"
                            + " origin nor allowed by loraport." + ID + "." + FETCH_HOSTS + " (allowed: "
                            + origins.describe() + "); not followed, so the key was not sent there",
                    200,
                    null,
                    null);
        }
        return target.toString();
    }

    private static GenerationPoll.Look<GenerationResult> look(JsonNode response, @Nullable String id) {
        if (done(response)) {
            return GenerationPoll.Look.done(result(response, id));
        }
        JsonNode eta = response.get("eta");
        return GenerationPoll.Look.pending(
                eta != null && eta.isNumber() ? Duration.ofMillis(Math.round(eta.asDouble() * 1000)) : null, null);
    }

    private static boolean done(JsonNode response) {
        return StableDiffusionApiErrors.bodyStatus(response).equals("success")
                && response.path("output").size() > 0;
    }

    private static GenerationResult result(JsonNode response, @Nullable String id) {
        List<GeneratedImage> images = new ArrayList<>();
        for (JsonNode url : response.path("output")) {
            images.add(GeneratedImage.of(URI.create(url.asText()), null));
        }
        return new GenerationResult(images, id);
    }

    @Override
    public void close() {
        guard.run("close", http::close);
    }

    @Override
    public String toString() {
        return "StableDiffusionApiTrainingProvider{" + ID + "}";
    }

    /** Builds a {@link StableDiffusionApiTrainingProvider}. Not thread-safe. */
    public static final class Builder {
        private final AdapterSettings.Builder settings =
                AdapterSettings.builder(ID, URI.create(DEFAULT_BASE_URL), DEFAULT_GENERATE_MODEL);
        private boolean listFetchesStatus;
        private @Nullable String webhook;
        private List<String> fetchHosts = List.of();

        private Builder() {}

        /**
         * Sets the API key (required); it travels in each JSON body and is never logged.
         *
         * @param apiKey the key
         * @return this builder
         */
        public Builder apiKey(String apiKey) {
            settings.apiKey(apiKey);
            return this;
        }

        /**
         * Sets the service URL (default {@value #DEFAULT_BASE_URL}; {@value #LEGACY_BASE_URL} also works).
         *
         * @param baseUrl the URL, without {@code /api}
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
         * Sets how many images upload through {@code base64_crop} at once (default 4).
         *
         * @param parallelism 1 or more
         * @return this builder
         */
        public Builder uploadParallelism(int parallelism) {
            settings.uploadParallelism(parallelism);
            return this;
        }

        /**
         * Sets the attempts per image upload (default 3).
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
         * Sets the usual pause between fetches of a queued generation (default 2 s); the service's {@code eta} may
         * shorten or lengthen it, up to ten times as long, as {@link dev.loraport.PollPolicy} decides.
         *
         * @param interval a positive interval
         * @return this builder
         */
        public Builder generatePollInterval(Duration interval) {
            settings.generatePollInterval(interval);
            return this;
        }

        /**
         * Sets the checkpoint used when a generation request names none (default {@code realistic-vision-v51}).
         *
         * @param model a ModelsLab model id
         * @return this builder
         */
        public Builder generateModel(String model) {
            settings.generateModel(model);
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
         * Sets the webhook URL the service calls on training progress, sent as {@code webhook} with every create.
         *
         * @param url an absolute {@code http} or {@code https} URL with a host, or null for none
         * @return this builder
         * @throws IllegalArgumentException naming {@code loraport.stablediffusionapi.webhook} when the URL is not one
         */
        public Builder webhook(@Nullable String url) {
            this.webhook = url == null ? null : webhookUrl(url);
            return this;
        }

        private static String webhookUrl(String url) {
            URI parsed = null;
            try {
                parsed = new URI(url.trim());
            } catch (URISyntaxException e) {
                // reported below
            }
            String scheme = parsed == null || parsed.getScheme() == null
                    ? ""
                    : parsed.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (parsed == null
                    || !(scheme.equals("http") || scheme.equals("https"))
                    || parsed.getHost() == null
                    || parsed.getHost().isEmpty()) {
                // The scheme and host only: a webhook URL may carry a token in its path or query.
                String shown = parsed == null
                        ? (url.isBlank() ? "'" + url + "'" : "an unreadable URL")
                        : parsed.getHost() == null
                                ? "'" + scheme + ":...'"
                                : "'" + scheme + "://" + parsed.getHost() + "/...'";
                throw new IllegalArgumentException(
                        "loraport." + ID + "." + WEBHOOK + ": " + shown
                                + " is out of range; must be an absolute http or https URL, e.g. https://example.com/hooks/modelslab");
            }
            return parsed.toString();
        }

        /**
         * Adds hosts a generation's {@code fetch_result} URL may be on, besides the base URL's origin (and, when the
         * base URL is on modelslab.com or stablediffusionapi.com, both of those and their subdomains). A fetch
         * carries the key, so a URL on any other host is refused with a {@link MalformedResponseException}.
         *
         * @param hosts entries {@code host}, {@code host:port} or {@code *.domain}, each possibly a comma list
         * @return this builder
         * @throws IllegalArgumentException naming {@code loraport.stablediffusionapi.generate.fetch-hosts} when an
         *     entry is not one
         */
        public Builder fetchHosts(String... hosts) {
            this.fetchHosts = Origins.parseHosts("loraport." + ID + "." + FETCH_HOSTS, String.join(",", hosts));
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
        public StableDiffusionApiTrainingProvider build() {
            return new StableDiffusionApiTrainingProvider(this);
        }
    }
}
