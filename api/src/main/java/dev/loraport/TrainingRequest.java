package dev.loraport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * One training job to submit: what to learn, from which images, on which base model, with which
 * hyper-parameters. Immutable and thread-safe; build with {@link #builder()}.
 *
 * <p>Unset hyper-parameters are left to the service's defaults. Whether a value is allowed depends on the
 * provider: {@link ProviderCapabilities#validate(String, TrainingRequest)} checks it before any network call.
 *
 * <pre>{@code
 * TrainingRequest request = TrainingRequest.builder()
 *     .name("alice-v1")
 *     .kind(TrainingKind.SUBJECT)
 *     .baseModel("v1-5-pruned-emaonly")
 *     .addImage(TrainingImage.ofFile(Path.of("alice/1.png")))
 *     .instancePrompt("a photo of ohwx woman")
 *     .classPrompt("person")
 *     .steps(500)
 *     .build();
 * }</pre>
 *
 * @since 0.1
 */
public final class TrainingRequest {

    private final String name;
    private final TrainingKind kind;
    private final String baseModel;
    private final List<TrainingImage> images;
    private final @Nullable String instancePrompt;
    private final @Nullable String classPrompt;
    private final @Nullable Integer width;
    private final @Nullable Integer height;
    private final @Nullable Integer steps;
    private final @Nullable Double learningRate;
    private final @Nullable String scheduler;
    private final @Nullable Integer warmupSteps;
    private final @Nullable Integer loraRank;
    private final @Nullable Integer loraAlpha;
    private final @Nullable Integer textEncoderRank;
    private final @Nullable Integer textEncoderAlpha;
    private final @Nullable Integer batchSize;
    private final @Nullable Long seed;
    private final @Nullable Boolean trainTextEncoder;
    private final @Nullable Boolean priorPreservation;
    private final @Nullable Double priorLossWeight;
    private final @Nullable String clientReference;
    private final Map<String, Object> providerOptions;

    private TrainingRequest(Builder b) {
        this.name = Objects.requireNonNull(b.name, "name == null");
        this.kind = Objects.requireNonNull(b.kind, "kind == null");
        this.baseModel = Objects.requireNonNull(b.baseModel, "baseModel == null");
        this.images = List.copyOf(b.images);
        this.instancePrompt = b.instancePrompt;
        this.classPrompt = b.classPrompt;
        this.width = b.width;
        this.height = b.height;
        this.steps = b.steps;
        this.learningRate = b.learningRate;
        this.scheduler = b.scheduler;
        this.warmupSteps = b.warmupSteps;
        this.loraRank = b.loraRank;
        this.loraAlpha = b.loraAlpha;
        this.textEncoderRank = b.textEncoderRank;
        this.textEncoderAlpha = b.textEncoderAlpha;
        this.batchSize = b.batchSize;
        this.seed = b.seed;
        this.trainTextEncoder = b.trainTextEncoder;
        this.priorPreservation = b.priorPreservation;
        this.priorLossWeight = b.priorLossWeight;
        this.clientReference = b.clientReference;
        this.providerOptions = Collections.unmodifiableMap(new LinkedHashMap<>(b.providerOptions));
    }

    /**
     * A new, empty builder.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this request's values.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * The job's name. Some services show it in their dashboards; loraport may append a client reference.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * What the job learns.
     *
     * @return the kind
     */
    public TrainingKind kind() {
        return kind;
    }

    /**
     * The base model to fine-tune, as the service names it.
     *
     * @return the base model id
     */
    public String baseModel() {
        return baseModel;
    }

    /**
     * The training images, in order.
     *
     * @return an unmodifiable list, never empty
     */
    public List<TrainingImage> images() {
        return images;
    }

    /**
     * The instance prompt, such as {@code "a photo of ohwx woman"}.
     *
     * @return the prompt, or empty
     */
    public Optional<String> instancePrompt() {
        return Optional.ofNullable(instancePrompt);
    }

    /**
     * The class prompt, such as {@code "person"}.
     *
     * @return the prompt, or empty
     */
    public Optional<String> classPrompt() {
        return Optional.ofNullable(classPrompt);
    }

    /**
     * The training resolution's width in pixels.
     *
     * @return the width, or empty for the provider's default
     */
    public OptionalInt width() {
        return optional(width);
    }

    /**
     * The training resolution's height in pixels.
     *
     * @return the height, or empty for the provider's default
     */
    public OptionalInt height() {
        return optional(height);
    }

    /**
     * The number of training steps.
     *
     * @return the steps, or empty
     */
    public OptionalInt steps() {
        return optional(steps);
    }

    /**
     * The learning rate.
     *
     * @return the rate, or empty
     */
    public OptionalDouble learningRate() {
        return learningRate == null ? OptionalDouble.empty() : OptionalDouble.of(learningRate);
    }

    /**
     * The learning-rate scheduler, such as {@code cosine}.
     *
     * @return the scheduler, or empty
     */
    public Optional<String> scheduler() {
        return Optional.ofNullable(scheduler);
    }

    /**
     * The learning-rate warm-up steps.
     *
     * @return the steps, or empty
     */
    public OptionalInt warmupSteps() {
        return optional(warmupSteps);
    }

    /**
     * The LoRA rank (r).
     *
     * @return the rank, or empty
     */
    public OptionalInt loraRank() {
        return optional(loraRank);
    }

    /**
     * The LoRA alpha.
     *
     * @return the alpha, or empty
     */
    public OptionalInt loraAlpha() {
        return optional(loraAlpha);
    }

    /**
     * The text encoder's LoRA rank.
     *
     * @return the rank, or empty
     */
    public OptionalInt textEncoderRank() {
        return optional(textEncoderRank);
    }

    /**
     * The text encoder's LoRA alpha.
     *
     * @return the alpha, or empty
     */
    public OptionalInt textEncoderAlpha() {
        return optional(textEncoderAlpha);
    }

    /**
     * The training batch size.
     *
     * @return the size, or empty
     */
    public OptionalInt batchSize() {
        return optional(batchSize);
    }

    /**
     * The random seed.
     *
     * @return the seed, or empty
     */
    public OptionalLong seed() {
        return seed == null ? OptionalLong.empty() : OptionalLong.of(seed);
    }

    /**
     * Whether to train the text encoder too.
     *
     * @return the flag, or empty
     */
    public Optional<Boolean> trainTextEncoder() {
        return Optional.ofNullable(trainTextEncoder);
    }

    /**
     * Whether to use prior preservation (class images).
     *
     * @return the flag, or empty
     */
    public Optional<Boolean> priorPreservation() {
        return Optional.ofNullable(priorPreservation);
    }

    /**
     * The prior-preservation loss weight.
     *
     * @return the weight, or empty
     */
    public OptionalDouble priorLossWeight() {
        return priorLossWeight == null ? OptionalDouble.empty() : OptionalDouble.of(priorLossWeight);
    }

    /**
     * The caller's idempotency key for this job. When set, the library's create first looks for a job already
     * created with this reference (after a crash, say) and returns it instead of training again; when unset,
     * the library generates one per call. It travels in the job's name.
     *
     * @return the reference, or empty
     */
    public Optional<String> clientReference() {
        return Optional.ofNullable(clientReference);
    }

    /**
     * Provider-specific options the neutral type does not name; each adapter's README lists its keys.
     *
     * @return an unmodifiable map
     */
    public Map<String, Object> providerOptions() {
        return providerOptions;
    }

    private static OptionalInt optional(@Nullable Integer value) {
        return value == null ? OptionalInt.empty() : OptionalInt.of(value);
    }

    private List<Object> values() {
        return java.util.Arrays.asList(
                name,
                kind,
                baseModel,
                images,
                instancePrompt,
                classPrompt,
                width,
                height,
                steps,
                learningRate,
                scheduler,
                warmupSteps,
                loraRank,
                loraAlpha,
                textEncoderRank,
                textEncoderAlpha,
                batchSize,
                seed,
                trainTextEncoder,
                priorPreservation,
                priorLossWeight,
                clientReference,
                providerOptions);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof TrainingRequest other && values().equals(other.values());
    }

    @Override
    public int hashCode() {
        return values().hashCode();
    }

    /** Lists the settings but not the prompts, which may be private. */
    @Override
    public String toString() {
        return "TrainingRequest{name=" + name + ", kind=" + kind + ", baseModel=" + baseModel + ", images="
                + images.size() + ", steps=" + steps + ", learningRate=" + learningRate + ", options="
                + providerOptions.keySet() + "}";
    }

    /** Builds a {@link TrainingRequest}. Not thread-safe. */
    public static final class Builder {
        private @Nullable String name;
        private @Nullable TrainingKind kind;
        private @Nullable String baseModel;
        private final List<TrainingImage> images = new ArrayList<>();
        private @Nullable String instancePrompt;
        private @Nullable String classPrompt;
        private @Nullable Integer width;
        private @Nullable Integer height;
        private @Nullable Integer steps;
        private @Nullable Double learningRate;
        private @Nullable String scheduler;
        private @Nullable Integer warmupSteps;
        private @Nullable Integer loraRank;
        private @Nullable Integer loraAlpha;
        private @Nullable Integer textEncoderRank;
        private @Nullable Integer textEncoderAlpha;
        private @Nullable Integer batchSize;
        private @Nullable Long seed;
        private @Nullable Boolean trainTextEncoder;
        private @Nullable Boolean priorPreservation;
        private @Nullable Double priorLossWeight;
        private @Nullable String clientReference;
        private final Map<String, Object> providerOptions = new LinkedHashMap<>();

        private Builder() {}

        private Builder(TrainingRequest r) {
            name = r.name;
            kind = r.kind;
            baseModel = r.baseModel;
            images.addAll(r.images);
            instancePrompt = r.instancePrompt;
            classPrompt = r.classPrompt;
            width = r.width;
            height = r.height;
            steps = r.steps;
            learningRate = r.learningRate;
            scheduler = r.scheduler;
            warmupSteps = r.warmupSteps;
            loraRank = r.loraRank;
            loraAlpha = r.loraAlpha;
            textEncoderRank = r.textEncoderRank;
            textEncoderAlpha = r.textEncoderAlpha;
            batchSize = r.batchSize;
            seed = r.seed;
            trainTextEncoder = r.trainTextEncoder;
            priorPreservation = r.priorPreservation;
            priorLossWeight = r.priorLossWeight;
            clientReference = r.clientReference;
            providerOptions.putAll(r.providerOptions);
        }

        /**
         * Sets the job name (required).
         *
         * @param name the name
         * @return this builder
         */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name == null");
            return this;
        }

        /**
         * Sets what the job learns (required).
         *
         * @param kind the kind
         * @return this builder
         */
        public Builder kind(TrainingKind kind) {
            this.kind = Objects.requireNonNull(kind, "kind == null");
            return this;
        }

        /**
         * Sets the base model (required).
         *
         * @param baseModel the service's base model id
         * @return this builder
         */
        public Builder baseModel(String baseModel) {
            this.baseModel = Objects.requireNonNull(baseModel, "baseModel == null");
            return this;
        }

        /**
         * Adds one training image.
         *
         * @param image the image
         * @return this builder
         */
        public Builder addImage(TrainingImage image) {
            images.add(Objects.requireNonNull(image, "image == null"));
            return this;
        }

        /**
         * Replaces the training images.
         *
         * @param images the images, in order
         * @return this builder
         */
        public Builder images(List<TrainingImage> images) {
            Objects.requireNonNull(images, "images == null");
            this.images.clear();
            images.forEach(this::addImage);
            return this;
        }

        /**
         * Sets the instance prompt.
         *
         * @param instancePrompt the prompt, or null
         * @return this builder
         */
        public Builder instancePrompt(@Nullable String instancePrompt) {
            this.instancePrompt = instancePrompt;
            return this;
        }

        /**
         * Sets the class prompt.
         *
         * @param classPrompt the prompt, or null
         * @return this builder
         */
        public Builder classPrompt(@Nullable String classPrompt) {
            this.classPrompt = classPrompt;
            return this;
        }

        /**
         * Sets the training resolution.
         *
         * @param width the width in pixels
         * @param height the height in pixels
         * @return this builder
         */
        public Builder resolution(int width, int height) {
            this.width = width;
            this.height = height;
            return this;
        }

        /**
         * Sets the number of training steps.
         *
         * @param steps the steps, or null for the default
         * @return this builder
         */
        public Builder steps(@Nullable Integer steps) {
            this.steps = steps;
            return this;
        }

        /**
         * Sets the learning rate.
         *
         * @param learningRate the rate, or null for the default
         * @return this builder
         */
        public Builder learningRate(@Nullable Double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /**
         * Sets the learning-rate scheduler.
         *
         * @param scheduler the scheduler, or null for the default
         * @return this builder
         */
        public Builder scheduler(@Nullable String scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        /**
         * Sets the warm-up steps.
         *
         * @param warmupSteps the steps, or null for the default
         * @return this builder
         */
        public Builder warmupSteps(@Nullable Integer warmupSteps) {
            this.warmupSteps = warmupSteps;
            return this;
        }

        /**
         * Sets the LoRA rank.
         *
         * @param loraRank the rank, or null for the default
         * @return this builder
         */
        public Builder loraRank(@Nullable Integer loraRank) {
            this.loraRank = loraRank;
            return this;
        }

        /**
         * Sets the LoRA alpha.
         *
         * @param loraAlpha the alpha, or null for the default
         * @return this builder
         */
        public Builder loraAlpha(@Nullable Integer loraAlpha) {
            this.loraAlpha = loraAlpha;
            return this;
        }

        /**
         * Sets the text encoder's LoRA rank.
         *
         * @param textEncoderRank the rank, or null for the default
         * @return this builder
         */
        public Builder textEncoderRank(@Nullable Integer textEncoderRank) {
            this.textEncoderRank = textEncoderRank;
            return this;
        }

        /**
         * Sets the text encoder's LoRA alpha.
         *
         * @param textEncoderAlpha the alpha, or null for the default
         * @return this builder
         */
        public Builder textEncoderAlpha(@Nullable Integer textEncoderAlpha) {
            this.textEncoderAlpha = textEncoderAlpha;
            return this;
        }

        /**
         * Sets the batch size.
         *
         * @param batchSize the size, or null for the default
         * @return this builder
         */
        public Builder batchSize(@Nullable Integer batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Sets the random seed.
         *
         * @param seed the seed, or null for a random one
         * @return this builder
         */
        public Builder seed(@Nullable Long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets whether to train the text encoder.
         *
         * @param trainTextEncoder the flag, or null for the default
         * @return this builder
         */
        public Builder trainTextEncoder(@Nullable Boolean trainTextEncoder) {
            this.trainTextEncoder = trainTextEncoder;
            return this;
        }

        /**
         * Sets whether to use prior preservation.
         *
         * @param priorPreservation the flag, or null for the default
         * @return this builder
         */
        public Builder priorPreservation(@Nullable Boolean priorPreservation) {
            this.priorPreservation = priorPreservation;
            return this;
        }

        /**
         * Sets the prior-preservation loss weight.
         *
         * @param priorLossWeight the weight, or null for the default
         * @return this builder
         */
        public Builder priorLossWeight(@Nullable Double priorLossWeight) {
            this.priorLossWeight = priorLossWeight;
            return this;
        }

        /**
         * Sets the idempotency key (see {@link TrainingRequest#clientReference()}).
         *
         * @param clientReference 4 to 40 characters of a-z, 0-9 and '-', or null to let the library pick one
         * @return this builder
         */
        public Builder clientReference(@Nullable String clientReference) {
            this.clientReference = clientReference;
            return this;
        }

        /**
         * Sets one provider-specific option.
         *
         * @param key the option key, as the adapter's README names it
         * @param value the value
         * @return this builder
         */
        public Builder providerOption(String key, Object value) {
            providerOptions.put(
                    Objects.requireNonNull(key, "key == null"), Objects.requireNonNull(value, "value == null"));
            return this;
        }

        /**
         * Builds the request.
         *
         * @return the request
         * @throws NullPointerException naming a missing required field (name, kind, baseModel); every other
         *     check (blank name, no image, values out of range) is the provider's, before any network call,
         *     through {@link ProviderCapabilities#validate(String, TrainingRequest)}
         */
        public TrainingRequest build() {
            return new TrainingRequest(this);
        }
    }
}
