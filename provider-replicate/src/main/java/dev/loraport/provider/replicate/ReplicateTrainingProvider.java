package dev.loraport.provider.replicate;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.loraport.ProviderCapabilities;
import dev.loraport.ProviderConfig;
import dev.loraport.ProviderInfo;
import dev.loraport.ProviderUnavailableException;
import dev.loraport.TaskId;
import dev.loraport.TrainingImage;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingModel;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingProviderException;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * Replicate's trainings API behind the neutral {@link TrainingProvider}, written only against the published
 * {@code loraport-api}: the images are zipped and uploaded through {@code POST /v1/files}, the destination model
 * is created on demand, the trainer's newest version is read, then {@code POST
 * /v1/models/{owner}/{name}/versions/{version}/trainings} starts the job. Status, listing (following the
 * service's full-URL {@code next} only on the configured origin), cancel and generation through predictions.
 * Thread-safe; close it to release its connections.
 *
 * <pre>{@code
 * TrainingProvider replicate = ReplicateTrainingProvider.builder()
 *         .apiKey(System.getenv("REPLICATE_API_TOKEN"))
 *         .destinationOwner("my-user")
 *         .build();
 * }</pre>
 *
 * @since 0.2
 */
public final class ReplicateTrainingProvider implements TrainingProvider {

    /** The provider id, also the configuration prefix {@code loraport.replicate.*}. */
    public static final String ID = "replicate";

    /** The default service URL, with its {@code /v1}. */
    public static final String DEFAULT_BASE_URL = "https://api.replicate.com/v1";

    /** The default of {@link Builder#maxResponseSize(long)}: 16 MiB, as the other adapters. */
    public static final long DEFAULT_MAX_RESPONSE_SIZE = 16L << 20;

    // Settings other adapters take, and why this one cannot: refused rather than silently dropped.
    private static final Map<String, String> UNSUPPORTED_SETTINGS = Map.of(
            "upload.parallelism", "the images go up as one zip",
            "list.fetch-status", "Replicate's listing is read as it is; there is no per-job fetch to turn on",
            "generate.model", "a generation runs on the trained LoRA's own model version",
            "generate.model-id", "a generation runs on the trained LoRA's own model version",
            "generate.model-name", "a generation runs on the trained LoRA's own model version",
            "generate.fetch-hosts", "a prediction's output URLs are handed back, never fetched by the adapter",
            "validate-base-model", "the trainer is checked against loraport.replicate.trainers");

    /** The default trainer, the base model a request names. */
    public static final String DEFAULT_TRAINER = "ostris/flux-dev-lora-trainer";

    /** Destination naming: one model per training, named after the request's name. */
    public static final String NAMING_PER_TRAINING = "per-training";

    /** Destination naming: every training a new version of one fixed model. */
    public static final String NAMING_FIXED = "fixed";

    static final String OPTION_TRIGGER_WORD = "trigger_word";

    // tqdm's progress line as the trainers log it: " 42%|####  | 420/1000 [05:12<07:10, 1.34it/s]".
    private static final Pattern TQDM =
            Pattern.compile("(\\d{1,3})%\\|[^|\\n]*\\|\\s*(\\d+)/(\\d+) \\[([0-9:]+)<([0-9:?]+)");
    private static final Pattern SLUG_DROP = Pattern.compile("[^a-z0-9]+");

    private final ProviderInfo info;
    private final ReplicateHttp http;
    private final String token;
    private final @Nullable String owner;
    private final String naming;
    private final String fixedModel;
    private final String visibility;
    private final String hardware;
    private final @Nullable String trainerVersion;
    private final @Nullable URI webhook;
    private final List<String> webhookEvents;
    private final Duration generateTimeout;
    private final Duration generatePollInterval;
    private final int uploadMaxAttempts;
    private final java.util.function.Consumer<Duration> pause;
    private final Set<String> modelsKnown = ConcurrentHashMap.newKeySet();
    // Task id to the name it was created with, for this process's answers (the listing has no name): the newest
    // maxNames only, so a long-running worker does not keep every job it ever made.
    private final Map<String, String> names;
    // Uploads made for a request not yet answered by a create, reused by its retries; each holds the request and
    // so its images, and is dropped once answered, refused, or older than preparedTtl.
    private final Map<TrainingRequest, Prepared> prepared = new ConcurrentHashMap<>();
    private final long preparedTtlNanos;

    /** An upload's URL and when it was made. */
    private record Prepared(String url, long atNanos) {}

    private volatile @Nullable String account;

    private ReplicateTrainingProvider(Builder b) {
        if (b.apiKey == null) {
            throw new NullPointerException("apiKey == null: set loraport.replicate.api-key");
        }
        if (b.apiKey.isBlank()) {
            throw new IllegalStateException("loraport.replicate.api-key: is blank; must be a Replicate API token");
        }
        this.token = b.apiKey;
        int maxNames = b.maxNames;
        this.names = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > maxNames;
            }
        });
        this.preparedTtlNanos = b.preparedTtl.toNanos();
        this.http = new ReplicateHttp(ID, b.baseUrl, b.apiKey, b.connectTimeout, b.readTimeout, b.maxResponseSize);
        this.owner = b.owner;
        this.naming = b.naming;
        this.fixedModel = b.fixedModel;
        this.visibility = b.visibility;
        this.hardware = b.hardware;
        this.trainerVersion = b.trainerVersion;
        this.webhook = b.webhook;
        this.webhookEvents = List.copyOf(b.webhookEvents);
        this.generateTimeout = b.generateTimeout;
        this.generatePollInterval = b.generatePollInterval;
        this.uploadMaxAttempts = b.uploadMaxAttempts;
        this.pause = b.pause;
        this.info = new ProviderInfo(ID, "Replicate", capabilities(b.trainers, webhook != null));
    }

    static ProviderCapabilities capabilities(List<String> trainers, boolean webhooks) {
        // ostris/flux-dev-lora-trainer's documented input ranges.
        return ProviderCapabilities.builder()
                .trainingKinds(TrainingKind.SUBJECT, TrainingKind.STYLE)
                .baseModels(trainers)
                .images(1, 1000)
                .imageFormats("png", "jpeg", "webp")
                .imageSources(TrainingImage.Source.FILE, TrainingImage.Source.BYTES)
                .maxImageBytes(20L * 1024 * 1024)
                .require(TrainingKind.SUBJECT, "instancePrompt")
                .require(TrainingKind.STYLE, "instancePrompt")
                .trainingFields("instancePrompt", "steps", "learningRate", "loraRank", "batchSize")
                .trainingRange("steps", 3, 6000)
                .trainingRange("learningRate", 1e-6, 1e-2)
                .trainingRange("loraRank", 1, 128)
                .trainingRange("batchSize", 1, 8)
                .trainingOption("optimizer", "adamw8bit", "adamw", "adam8bit", "prodigy", "lion8bit")
                .trainingOption("resolution")
                .trainingOption("autocaption", "true", "false")
                .trainingOption("autocaption_prefix")
                .trainingOption("autocaption_suffix")
                .trainingOption("caption_dropout_rate")
                .trainingOption("hf_repo_id")
                .generationFields("width", "height", "steps", "guidanceScale", "seed")
                .generationRange("steps", 1, 50)
                .generationRange("guidanceScale", 0, 10)
                .generationRange("width", 256, 1440)
                .generationRange("height", 256, 1440)
                // num_outputs of the flux LoRA models: 1 to 4; a seed is a non-negative integer (none: random).
                .generationRange("imageCount", 1, 4)
                .generationRange("seed", 0, Long.MAX_VALUE)
                .noGenerationOptions()
                .loras(1, -1, 3)
                .supportsCancel(true)
                .supportsDelete(false)
                .supportsList(true)
                .supportsGenerate(true)
                .supportsImg2img(false)
                .supportsWebhooks(webhooks)
                .build();
    }

    /**
     * A builder with Replicate's defaults.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A provider from configuration keys {@code loraport.replicate.*} (every key in the module README).
     *
     * @param config the configuration; its API key is required
     * @return the provider
     * @throws IllegalArgumentException naming the key and its allowed values when a setting is wrong
     */
    public static ReplicateTrainingProvider from(ProviderConfig config) {
        return configure(config).build();
    }

    static Builder configure(ProviderConfig config) {
        UNSUPPORTED_SETTINGS.forEach((key, why) -> config.option(key).ifPresent(v -> {
            throw new IllegalArgumentException(
                    "loraport." + ID + "." + key + ": is not supported by " + ID + " (" + why + "); must be left out");
        }));
        Builder b = builder().apiKey(config.requireApiKey());
        config.baseUrl().ifPresent(b::baseUrl);
        config.connectTimeout().ifPresent(b::connectTimeout);
        Duration read = config.readTimeout().orElse(b.readTimeout);
        // One exchange may take no longer than the whole-call timeout either; a bad one is named as written.
        Duration call = config.callTimeout()
                .map(d -> Builder.positive("call-timeout", d))
                .orElse(read);
        Builder.positive("read-timeout", read);
        b.readTimeout(read.compareTo(call) < 0 ? read : call);
        config.option("destination.owner").ifPresent(b::destinationOwner);
        config.option("destination.naming").ifPresent(b::destinationNaming);
        config.option("destination.model").ifPresent(b::destinationModel);
        config.option("destination.visibility").ifPresent(b::destinationVisibility);
        config.option("destination.hardware").ifPresent(b::destinationHardware);
        config.option("trainers").ifPresent(v -> b.trainers(List.of(v.split("\\s*,\\s*"))));
        config.option("trainer.version").ifPresent(b::trainerVersion);
        config.option("webhook").ifPresent(v -> b.webhook(parse("webhook", v)));
        config.option("webhook.events").ifPresent(v -> b.webhookEvents(List.of(v.split("\\s*,\\s*"))));
        b.generateTimeout(config.durationOption("generate.timeout", b.generateTimeout));
        b.generatePollInterval(config.durationOption("generate.poll-interval", b.generatePollInterval));
        b.uploadMaxAttempts(config.intOption("upload.max-attempts", b.uploadMaxAttempts));
        b.maxResponseSize(config.sizeOption("max-response-size", b.maxResponseSize));
        return b;
    }

    private static URI parse(String key, String value) {
        try {
            URI u = URI.create(value.trim());
            if (u.getScheme() == null || u.getHost() == null) {
                throw new IllegalArgumentException("not absolute");
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("loraport." + ID + "." + key + ": '" + value
                    + "' is not allowed; allowed: an absolute http(s) URL");
        }
    }

    @Override
    public ProviderInfo info() {
        return info;
    }

    @Override
    public void validate(TrainingRequest request) {
        guard("create", () -> {
            check(request);
            return null;
        });
    }

    private void check(TrainingRequest request) {
        info.capabilities().validate(ID, request);
        Object rate = request.providerOptions().get("caption_dropout_rate");
        if (rate != null) {
            double d;
            try {
                d = Double.parseDouble(rate.toString().trim());
            } catch (NumberFormatException e) {
                d = Double.NaN;
            }
            if (!(d >= 0 && d <= 1)) {
                throw new InvalidRequestException(
                        ID,
                        "create",
                        List.of(new InvalidRequestException.Violation(
                                "providerOptions.caption_dropout_rate",
                                "'" + rate + "' is not allowed; allowed: a number 0..1")));
            }
        }
    }

    /**
     * Does the part of a create that may be repeated safely: checks the request and uploads its images as one
     * zip. Returns the zip's URL, which the service echoes as {@code input.input_images} on the listed training:
     * the value a reconciler records before the create and looks for after an ambiguous one. A later
     * {@link #create} of an equal request reuses this upload.
     *
     * @param request the request
     * @return the uploaded zip's URL
     */
    @Override
    public Optional<String> prepareCreate(TrainingRequest request) {
        return Optional.of(guard("create", () -> upload(request)));
    }

    @Override
    public TrainingTask create(TrainingRequest request) {
        return guard("create", () -> doCreate(request));
    }

    private TrainingTask doCreate(TrainingRequest request) {
        check(request);
        // The upload is reused until a create of this request is answered: a retried create sends the same URL,
        // which is what a reconciler looks for.
        String zipUrl = upload(request);
        String destOwner = owner();
        String destName = destinationName(request);
        ensureModel(destOwner, destName);
        String trainer = request.baseModel();
        String version = trainerVersion != null ? trainerVersion : newestVersion(trainer);
        ObjectNode body = ReplicateHttp.JSON.createObjectNode();
        body.put("destination", destOwner + "/" + destName);
        ObjectNode input = body.putObject("input");
        input.put("input_images", zipUrl);
        input.put(OPTION_TRIGGER_WORD, request.instancePrompt().orElse("TOK"));
        request.steps().ifPresent(v -> input.put("steps", v));
        request.learningRate().ifPresent(v -> input.put("learning_rate", v));
        request.loraRank().ifPresent(v -> input.put("lora_rank", v));
        request.batchSize().ifPresent(v -> input.put("batch_size", v));
        request.providerOptions().forEach((k, v) -> {
            if (k.equals("autocaption")) {
                input.put(k, Boolean.parseBoolean(v.toString()));
            } else if (k.equals("caption_dropout_rate")) {
                input.put(k, Double.parseDouble(v.toString().trim()));
            } else {
                input.put(k, v.toString());
            }
        });
        if (webhook != null) {
            body.put("webhook", webhook.toString());
            ArrayNode events = body.putArray("webhook_events_filter");
            webhookEvents.forEach(events::add);
        }
        JsonNode created;
        try {
            created = http.postJson(
                    "create", http.at("/models/" + path(trainer) + "/versions/" + enc(version) + "/trainings"), body);
        } catch (TrainingProviderException e) {
            if (e instanceof InvalidRequestException
                    || e instanceof dev.loraport.AuthenticationException
                    || e instanceof dev.loraport.QuotaExceededException) {
                // Refused outright: no job was made and no retry of it is coming, so its images need not be held.
                // An ambiguous failure keeps the upload: the retry and the reconciler look for this URL.
                prepared.remove(request);
            }
            throw e;
        }
        TrainingTask task = task(created, "create");
        prepared.remove(request);
        names.put(task.id().value(), request.name());
        return task.toBuilder().name(request.name()).kind(request.kind()).build();
    }

    /** The upload for this request: the one a retry of it must send again, else a new one. */
    private String upload(TrainingRequest request) {
        long now = System.nanoTime();
        prepared.values().removeIf(p -> now - p.atNanos() > preparedTtlNanos);
        return prepared.computeIfAbsent(request, r -> new Prepared(uploadImages(r), System.nanoTime()))
                .url();
    }

    private String uploadImages(TrainingRequest request) {
        check(request);
        byte[] zip = zip(request.images());
        JsonNode file;
        for (int attempt = 1; ; attempt++) {
            try {
                file = http.upload("upload", http.at("/files"), "training-images.zip", "application/zip", zip);
                break;
            } catch (TrainingProviderException e) {
                // An upload makes no job: sending it again costs at most an unused file, which expires.
                if (!e.isRetryable() || attempt >= uploadMaxAttempts) {
                    throw e;
                }
                Duration wait = e instanceof dev.loraport.RateLimitedException r
                        ? r.retryAfter().orElse(Duration.ofSeconds(1))
                        : Duration.ofMillis(250L * attempt);
                pause.accept(wait.compareTo(Duration.ofSeconds(60)) > 0 ? Duration.ofSeconds(60) : wait);
            }
        }
        String url = ReplicateHttp.text(file.path("urls"), "get");
        if (url == null) {
            throw new MalformedResponseException(ID, "upload", "the file answer has no urls.get", 201, null, null);
        }
        return url;
    }

    private byte[] zip(List<TrainingImage> images) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (int i = 0; i < images.size(); i++) {
                TrainingImage image = images.get(i);
                byte[] bytes = image.bytes().isPresent()
                        ? image.bytes().get()
                        : Files.readAllBytes(image.path().orElseThrow());
                String stem = String.format(Locale.ROOT, "image-%04d", i);
                z.putNextEntry(new ZipEntry(stem + "." + ext(image.format())));
                z.write(bytes);
                z.closeEntry();
                // The trainers read a caption from a .txt of the same name.
                Optional<String> caption = image.caption();
                if (caption.isPresent()) {
                    z.putNextEntry(new ZipEntry(stem + ".txt"));
                    z.write(caption.get().getBytes(StandardCharsets.UTF_8));
                    z.closeEntry();
                }
            }
        } catch (IOException e) {
            throw new TrainingProviderException(ID, "upload", "could not read or zip the images", null, null, e);
        }
        return out.toByteArray();
    }

    private static String ext(String format) {
        return format.equals("jpeg") ? "jpg" : format.isEmpty() ? "png" : format;
    }

    private String owner() {
        if (owner != null) {
            return owner;
        }
        String known = account;
        if (known == null) {
            known = ReplicateHttp.text(http.get("account", http.at("/account")), "username");
            if (known == null) {
                throw new MalformedResponseException(
                        ID, "account", "the account answer has no username", 200, null, null);
            }
            account = known;
        }
        return known;
    }

    String destinationName(TrainingRequest request) {
        if (naming.equals(NAMING_FIXED)) {
            return fixedModel;
        }
        String slug = SLUG_DROP.matcher(request.name().toLowerCase(Locale.ROOT)).replaceAll("-");
        slug = slug.replaceAll("^-+|-+$", "");
        if (slug.isEmpty()) {
            slug = "lora";
        }
        return slug.length() > 100 ? slug.substring(0, 100) : slug;
    }

    private void ensureModel(String destOwner, String name) {
        String full = destOwner + "/" + name;
        if (modelsKnown.contains(full)) {
            return;
        }
        ObjectNode body = ReplicateHttp.JSON
                .createObjectNode()
                .put("owner", destOwner)
                .put("name", name)
                .put("visibility", visibility)
                .put("hardware", hardware)
                .put("description", "LoRA trained through loraport");
        // 201 made it; 422 means it exists already, which is as good.
        http.postJsonRaw("create", http.at("/models"), body);
        modelsKnown.add(full);
    }

    private String newestVersion(String trainer) {
        JsonNode versions = http.get("create", http.at("/models/" + path(trainer) + "/versions"));
        JsonNode first = versions.path("results").path(0);
        String id = ReplicateHttp.text(first, "id");
        if (id == null) {
            throw new MalformedResponseException(
                    ID, "create", "the trainer " + trainer + " lists no version", 200, null, null);
        }
        return id;
    }

    private static String path(String ownerName) {
        int slash = ownerName.indexOf('/');
        return enc(ownerName.substring(0, slash)) + "/" + enc(ownerName.substring(slash + 1));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public TrainingTask status(TaskId id) {
        return guard(
                "status", () -> named(task(http.get("status", http.at("/trainings/" + enc(id.value()))), "status")));
    }

    private TrainingTask named(TrainingTask t) {
        String name = names.get(t.id().value());
        return name == null || t.name().isPresent()
                ? t
                : t.toBuilder().name(name).build();
    }

    /**
     * Lists trainings newest first. The cursor is the service's own {@code next} URL with an offset into its
     * 100-item page, so a smaller page size still walks every training; a {@code next} on another origin is
     * refused.
     */
    @Override
    public Page<TrainingTask> list(PageRequest page) {
        return guard("list", () -> doList(page));
    }

    private Page<TrainingTask> doList(PageRequest page) {
        int offset = 0;
        URI url = http.at("/trainings");
        String cursor = page.cursor();
        if (cursor != null && !cursor.isBlank()) {
            int space = cursor.indexOf(' ');
            try {
                offset = Integer.parseInt(space < 0 ? cursor : cursor.substring(0, space));
            } catch (NumberFormatException e) {
                throw new InvalidRequestException(
                        ID,
                        "list",
                        List.of(new InvalidRequestException.Violation("cursor", "is not a cursor this adapter made")));
            }
            if (space >= 0) {
                url = URI.create(cursor.substring(space + 1));
            }
        }
        if (!http.sameOrigin(url)) {
            throw new MalformedResponseException(
                    ID, "list", "the listing's next page is on another origin; not followed", null, null, null);
        }
        JsonNode node = http.get("list", url);
        JsonNode results = node.path("results");
        List<TrainingTask> tasks = new ArrayList<>();
        int n = results.isArray() ? results.size() : 0;
        int end = Math.min(n, offset + page.limit());
        for (int i = offset; i < end; i++) {
            tasks.add(named(task(results.get(i), "list")));
        }
        String nextCursor;
        if (end < n) {
            nextCursor = end + " " + url;
        } else {
            String next = ReplicateHttp.text(node, "next");
            if (next != null) {
                URI nextUrl;
                try {
                    nextUrl = http.base().resolve(next);
                } catch (IllegalArgumentException e) {
                    throw new MalformedResponseException(ID, "list", "the listing's next is not a URL", 200, null, e);
                }
                if (!http.sameOrigin(nextUrl)) {
                    throw new MalformedResponseException(
                            ID, "list", "the listing's next page is on another origin; not followed", 200, null, null);
                }
                nextCursor = "0 " + nextUrl;
            } else {
                nextCursor = null;
            }
        }
        return new Page<>(tasks, nextCursor);
    }

    @Override
    public void cancel(TaskId id) {
        guard(
                "cancel",
                () -> http.postJson(
                        "cancel",
                        http.at("/trainings/" + enc(id.value()) + "/cancel"),
                        ReplicateHttp.JSON.createObjectNode()));
    }

    /** Maps a training object; statuses it does not know become {@link TrainingStatus#UNKNOWN}. */
    TrainingTask task(JsonNode n, String op) {
        String id = ReplicateHttp.text(n, "id");
        String raw = ReplicateHttp.text(n, "status");
        if (id == null || raw == null) {
            throw new MalformedResponseException(ID, op, "the training has no id or status", 200, null, null);
        }
        TrainingStatus status = status(raw);
        TrainingTask.Builder b = TrainingTask.builder()
                .id(TaskId.of(id))
                .providerId(ID)
                .status(status)
                .rawStatus(raw)
                .createdAt(instant(ReplicateHttp.text(n, "created_at")));
        String images = ReplicateHttp.text(n.path("input"), "input_images");
        if (images != null) {
            b.correlation(images);
        }
        if (status == TrainingStatus.TRAINING) {
            progress(ReplicateHttp.text(n, "logs"), b);
        }
        if (status == TrainingStatus.READY) {
            String version = ReplicateHttp.text(n.path("output"), "version");
            if (version != null) {
                b.addModel(new TrainingModel(version, TrainingStatus.READY, raw));
            }
        }
        if (status == TrainingStatus.FAILED) {
            JsonNode error = n.get("error");
            if (error != null && !error.isNull()) {
                b.failureReason(error.isTextual() ? error.asText() : error.toString());
            }
        }
        return b.build();
    }

    static TrainingStatus status(String raw) {
        return switch (raw) {
            case "starting" -> TrainingStatus.QUEUED;
            case "processing" -> TrainingStatus.TRAINING;
            case "succeeded" -> TrainingStatus.READY;
            case "failed" -> TrainingStatus.FAILED;
            case "canceled" -> TrainingStatus.CANCELED;
            default -> TrainingStatus.UNKNOWN;
        };
    }

    /** The last tqdm progress line of the logs gives the progress and the time left. */
    private static void progress(@Nullable String logs, TrainingTask.Builder b) {
        if (logs == null) {
            return;
        }
        Matcher m = TQDM.matcher(logs);
        String percent = null;
        String left = null;
        while (m.find()) {
            percent = m.group(1);
            left = m.group(5);
        }
        if (percent != null) {
            b.progressPercent(Math.min(100, Integer.parseInt(percent)));
            Duration eta = clock(left);
            if (eta != null) {
                b.eta(eta);
            }
        }
    }

    private static @Nullable Duration clock(@Nullable String hms) {
        if (hms == null || hms.contains("?")) {
            return null;
        }
        long total = 0;
        for (String part : hms.split(":")) {
            total = total * 60 + Long.parseLong(part);
        }
        return Duration.ofSeconds(total);
    }

    private static @Nullable Instant instant(@Nullable String s) {
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @Override
    public GenerationResult generate(GenerationRequest request) {
        return guard("generate", () -> doGenerate(request));
    }

    private GenerationResult doGenerate(GenerationRequest request) {
        info.capabilities().validate(ID, request);
        if (request.loras().size() != 1) {
            throw new InvalidRequestException(
                    ID,
                    "generate",
                    List.of(new InvalidRequestException.Violation(
                            "loras", "give exactly one: the trained version owner/model:version to run")));
        }
        LoraWeight lora = request.loras().get(0);
        String model = lora.model();
        int colon = model.lastIndexOf(':');
        ObjectNode body = ReplicateHttp.JSON.createObjectNode();
        body.put("version", colon < 0 ? model : model.substring(colon + 1));
        ObjectNode input = body.putObject("input");
        input.put("prompt", request.prompt());
        input.put("lora_scale", lora.strength());
        input.put("num_outputs", request.imageCount());
        input.put("output_format", "png");
        request.steps().ifPresent(v -> input.put("num_inference_steps", v));
        request.guidanceScale().ifPresent(v -> input.put("guidance_scale", v));
        request.seed().ifPresent(v -> input.put("seed", v));
        if (request.width().isPresent() || request.height().isPresent()) {
            input.put("aspect_ratio", "custom");
            request.width().ifPresent(v -> input.put("width", v));
            request.height().ifPresent(v -> input.put("height", v));
        }
        JsonNode prediction = http.postJson("generate", http.at("/predictions"), body);
        String id = ReplicateHttp.text(prediction, "id");
        if (id == null) {
            throw new MalformedResponseException(ID, "generate", "the prediction has no id", 201, null, null);
        }
        long deadline = System.nanoTime() + generateTimeout.toNanos();
        while (true) {
            String status = ReplicateHttp.text(prediction, "status");
            if ("succeeded".equals(status)) {
                return images(prediction, id);
            }
            if ("failed".equals(status) || "canceled".equals(status)) {
                throw new TrainingProviderException(
                        ID,
                        "generate",
                        "the prediction " + status,
                        null,
                        ReplicateHttp.text(prediction, "error"),
                        null);
            }
            if (System.nanoTime() > deadline) {
                throw new ProviderUnavailableException(
                        ID,
                        "generate",
                        "no images after " + generateTimeout + " (prediction " + id + ")",
                        null,
                        null,
                        null);
            }
            try {
                Thread.sleep(generatePollInterval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProviderUnavailableException(ID, "generate", "interrupted", null, null, e);
            }
            prediction = http.get("generate", http.at("/predictions/" + enc(id)));
        }
    }

    private static GenerationResult images(JsonNode prediction, String id) {
        List<GeneratedImage> images = new ArrayList<>();
        JsonNode output = prediction.get("output");
        if (output != null && output.isArray()) {
            for (JsonNode o : output) {
                if (o.isTextual()) {
                    images.add(GeneratedImage.of(URI.create(o.asText()), null));
                }
            }
        } else if (output != null && output.isTextual()) {
            images.add(GeneratedImage.of(URI.create(output.asText()), null));
        }
        if (images.isEmpty()) {
            throw new MalformedResponseException(
                    ID, "generate", "the prediction succeeded without images", 200, null, null);
        }
        return new GenerationResult(images, id);
    }

    /** The body's failures as loraport exceptions only; nothing else leaves the adapter, nor the token. */
    private <T> T guard(String op, java.util.function.Supplier<T> body) {
        try {
            return body.get();
        } catch (TrainingProviderException e) {
            throw e;
        } catch (RuntimeException e) {
            String text = String.valueOf(e.getMessage());
            throw new TrainingProviderException(
                    ID,
                    op,
                    "unexpected " + e.getClass().getSimpleName() + ": " + text.replace(token, "***"),
                    null,
                    null,
                    null);
        }
    }

    /**
     * Reads the account's default webhook signing secret, {@code GET /v1/webhooks/default/secret}: the {@code
     * whsec_} value a {@link ReplicateWebhookReceiver} verifies deliveries with. Keep it like the token; this
     * adapter never logs it.
     *
     * @return the {@code whsec_...} secret
     * @throws TrainingProviderException when the service does not answer with one
     */
    public String webhookSecret() {
        return guard("webhook-secret", () -> {
            String key = ReplicateHttp.text(http.get("webhook-secret", http.at("/webhooks/default/secret")), "key");
            if (key == null || !key.startsWith("whsec_")) {
                throw new MalformedResponseException(
                        ID, "webhook-secret", "the answer has no whsec_ key", 200, null, null);
            }
            return key;
        });
    }

    @Override
    public void close() {
        // The JDK client's connections close with it on its own; nothing else is held.
    }

    @Override
    public String toString() {
        return "ReplicateTrainingProvider{" + ID + ", " + http.base() + "}";
    }

    /** Builds a {@link ReplicateTrainingProvider}. Not thread-safe. */
    public static final class Builder {
        private @Nullable String apiKey;
        private URI baseUrl = URI.create(DEFAULT_BASE_URL);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(60);
        private @Nullable String owner;
        private String naming = NAMING_PER_TRAINING;
        private String fixedModel = "loraport-lora";
        private String visibility = "private";
        private String hardware = "gpu-t4";
        private List<String> trainers = List.of(DEFAULT_TRAINER);
        private @Nullable String trainerVersion;
        private @Nullable URI webhook;
        private List<String> webhookEvents = List.of("start", "completed");
        private Duration generateTimeout = Duration.ofMinutes(5);
        private Duration generatePollInterval = Duration.ofSeconds(1);
        private int uploadMaxAttempts = 3;
        private long maxResponseSize = DEFAULT_MAX_RESPONSE_SIZE;
        private int maxNames = 10_000;
        // Well within a retry's window (minutes), well short of the file's life at the service.
        private Duration preparedTtl = Duration.ofHours(1);
        private java.util.function.Consumer<Duration> pause = Builder::sleep;

        private Builder() {}

        private static void sleep(Duration d) {
            try {
                Thread.sleep(d.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProviderUnavailableException(ID, "upload", "interrupted", null, null, e);
            }
        }

        /**
         * Sets the attempts of the zip upload when it meets a retryable failure (default 3; a 429's
         * {@code Retry-After} is waited for, at most 60 s).
         *
         * @param attempts 1 to 10
         * @return this builder
         */
        public Builder uploadMaxAttempts(int attempts) {
            if (attempts < 1 || attempts > 10) {
                throw new IllegalArgumentException(
                        "loraport.replicate.upload.max-attempts: " + attempts + " is not allowed; allowed: 1 to 10");
            }
            this.uploadMaxAttempts = attempts;
            return this;
        }

        /**
         * Sets the largest answer body read (default 16 MiB, as the other adapters); a larger one fails with
         * {@link MalformedResponseException} before it is held in memory whole.
         *
         * @param bytes 1 KiB to 1 GiB
         * @return this builder
         */
        public Builder maxResponseSize(long bytes) {
            if (bytes < 1024 || bytes > (1L << 30)) {
                throw new IllegalArgumentException("loraport.replicate.max-response-size: " + bytes
                        + " is not allowed; allowed: 1KiB to 1GiB (1024 to 1073741824 bytes)");
            }
            this.maxResponseSize = bytes;
            return this;
        }

        Builder maxNames(int max) {
            this.maxNames = max;
            return this;
        }

        Builder preparedTtl(Duration ttl) {
            this.preparedTtl = ttl;
            return this;
        }

        Builder pause(java.util.function.Consumer<Duration> pause) {
            this.pause = pause;
            return this;
        }

        /**
         * Sets the API token (required); it is sent as {@code Authorization: Bearer} to the base URL's origin
         * only, and never logged.
         *
         * @param apiKey the token
         * @return this builder
         */
        public Builder apiKey(String apiKey) {
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey == null");
            return this;
        }

        /**
         * Sets the service URL including {@code /v1} (default {@value #DEFAULT_BASE_URL}); a bare origin means
         * its {@code /v1}.
         *
         * @param baseUrl an absolute {@code http} or {@code https} URL with a host
         * @return this builder
         * @throws IllegalArgumentException naming {@code loraport.replicate.base-url} for any other URL
         */
        public Builder baseUrl(URI baseUrl) {
            Objects.requireNonNull(baseUrl, "baseUrl == null");
            String scheme =
                    baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || baseUrl.getHost() == null) {
                // Checked here, not at the first call: a wrong URL must fail when the provider is built.
                throw new IllegalArgumentException("loraport.replicate.base-url: '" + baseUrl
                        + "' is not allowed; allowed: an absolute http(s) URL with a host, such as "
                        + DEFAULT_BASE_URL);
            }
            this.baseUrl = baseUrl;
            return this;
        }

        /**
         * Sets the connect timeout (default 10 s).
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive("connect-timeout", timeout);
            return this;
        }

        /**
         * Sets how long one exchange may take until the answer's headers (default 60 s).
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = positive("read-timeout", timeout);
            return this;
        }

        /**
         * Sets the owner of the destination models (default: the token's account, read once from {@code GET
         * /v1/account}).
         *
         * @param owner a Replicate user or organisation name
         * @return this builder
         */
        public Builder destinationOwner(String owner) {
            if (owner.isBlank()) {
                throw new IllegalArgumentException(
                        "loraport.replicate.destination.owner: is blank; allowed: a Replicate user or organisation");
            }
            this.owner = owner.trim();
            return this;
        }

        /**
         * Sets how the destination model is named: {@value #NAMING_PER_TRAINING} (default; a model named after
         * the request's name, created when missing) or {@value #NAMING_FIXED} (every training a new version of
         * {@link #destinationModel(String)}).
         *
         * @param naming the rule
         * @return this builder
         */
        public Builder destinationNaming(String naming) {
            String n = naming.trim().toLowerCase(Locale.ROOT);
            if (!n.equals(NAMING_PER_TRAINING) && !n.equals(NAMING_FIXED)) {
                throw new IllegalArgumentException("loraport.replicate.destination.naming: '" + naming
                        + "' is not allowed; allowed: " + NAMING_PER_TRAINING + ", " + NAMING_FIXED);
            }
            this.naming = n;
            return this;
        }

        /**
         * Sets the model name used with {@value #NAMING_FIXED} naming (default {@code loraport-lora}).
         *
         * @param model lower-case letters, digits, '-', '_' and '.'
         * @return this builder
         */
        public Builder destinationModel(String model) {
            if (!model.matches("[a-z0-9][a-z0-9._-]{0,99}")) {
                throw new IllegalArgumentException("loraport.replicate.destination.model: '" + model
                        + "' is not allowed; allowed: 1 to 100 of a-z, 0-9, '.', '_', '-'");
            }
            this.fixedModel = model;
            return this;
        }

        /**
         * Sets the visibility of a destination model this adapter creates (default {@code private}).
         *
         * @param visibility {@code private} or {@code public}
         * @return this builder
         */
        public Builder destinationVisibility(String visibility) {
            if (!visibility.equals("private") && !visibility.equals("public")) {
                throw new IllegalArgumentException("loraport.replicate.destination.visibility: '" + visibility
                        + "' is not allowed; allowed: private, public");
            }
            this.visibility = visibility;
            return this;
        }

        /**
         * Sets the hardware of a destination model this adapter creates (default {@code gpu-t4}).
         *
         * @param hardware a Replicate hardware SKU such as {@code gpu-t4} or {@code gpu-a40-large}
         * @return this builder
         */
        public Builder destinationHardware(String hardware) {
            if (hardware.isBlank()) {
                throw new IllegalArgumentException(
                        "loraport.replicate.destination.hardware: is blank; allowed: a hardware SKU such as gpu-t4");
            }
            this.hardware = hardware.trim();
            return this;
        }

        /**
         * Sets the trainers a request's {@code baseModel} may name (default {@value #DEFAULT_TRAINER}).
         *
         * @param trainers {@code owner/name} of each trainer model
         * @return this builder
         */
        public Builder trainers(List<String> trainers) {
            for (String t : trainers) {
                if (!t.matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")) {
                    throw new IllegalArgumentException("loraport.replicate.trainers: '" + t
                            + "' is not allowed; allowed: owner/name, comma-separated");
                }
            }
            if (trainers.isEmpty()) {
                throw new IllegalArgumentException(
                        "loraport.replicate.trainers: is empty; allowed: owner/name, comma-separated");
            }
            this.trainers = List.copyOf(trainers);
            return this;
        }

        /**
         * Pins the trainer version (default: the first of {@code GET /v1/models/{owner}/{name}/versions}, read
         * at each create).
         *
         * @param version the version id
         * @return this builder
         */
        public Builder trainerVersion(String version) {
            if (!version.matches("[A-Za-z0-9]+")) {
                throw new IllegalArgumentException(
                        "loraport.replicate.trainer.version: '" + version + "' is not allowed; allowed: a version id");
            }
            this.trainerVersion = version;
            return this;
        }

        /**
         * Sets the URL Replicate sends signed webhooks to for every create (default none: polling only). See
         * {@link ReplicateWebhookReceiver}.
         *
         * @param webhook the receiver's URL
         * @return this builder
         */
        public Builder webhook(URI webhook) {
            this.webhook = Objects.requireNonNull(webhook, "webhook == null");
            return this;
        }

        /**
         * Sets the webhook events (default {@code start, completed}).
         *
         * @param events a subset of {@code start, output, logs, completed}
         * @return this builder
         */
        public Builder webhookEvents(List<String> events) {
            for (String e : events) {
                if (!Set.of("start", "output", "logs", "completed").contains(e)) {
                    throw new IllegalArgumentException("loraport.replicate.webhook.events: '" + e
                            + "' is not allowed; allowed: start, output, logs, completed");
                }
            }
            this.webhookEvents = List.copyOf(events);
            return this;
        }

        /**
         * Sets how long generate waits for images (default 5 min).
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder generateTimeout(Duration timeout) {
            this.generateTimeout = positive("generate.timeout", timeout);
            return this;
        }

        /**
         * Sets the pause between prediction polls (default 1 s).
         *
         * @param interval the interval
         * @return this builder
         */
        public Builder generatePollInterval(Duration interval) {
            this.generatePollInterval = positive("generate.poll-interval", interval);
            return this;
        }

        private static Duration positive(String key, Duration d) {
            // The same range as the other adapters' timeouts: 0 would mean "never" to some clients.
            if (d.compareTo(Duration.ofMillis(1)) < 0 || d.compareTo(Duration.ofHours(24)) > 0) {
                throw new IllegalArgumentException(
                        "loraport.replicate." + key + ": " + d + " is not allowed; allowed: 1ms to 24h");
            }
            return d;
        }

        /**
         * Builds the provider.
         *
         * @return the provider
         * @throws NullPointerException when the API token is missing
         * @throws IllegalStateException when the API token is blank
         */
        public ReplicateTrainingProvider build() {
            return new ReplicateTrainingProvider(this);
        }
    }
}
