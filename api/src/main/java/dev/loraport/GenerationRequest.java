package dev.loraport;

import java.util.ArrayList;
import java.util.Arrays;
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
 * Images to generate with one or more trained LoRAs: text-to-image, or image-to-image when an
 * {@linkplain #initImage() init image} is given. Immutable and thread-safe; build with {@link #builder()}.
 *
 * @since 0.1
 */
public final class GenerationRequest {

    private final String prompt;
    private final @Nullable String negativePrompt;
    private final @Nullable String baseModel;
    private final List<LoraWeight> loras;
    private final @Nullable Integer width;
    private final @Nullable Integer height;
    private final @Nullable Integer steps;
    private final @Nullable Double guidanceScale;
    private final @Nullable Long seed;
    private final @Nullable String sampler;
    private final int imageCount;
    private final @Nullable TrainingImage initImage;
    private final @Nullable Double initImageStrength;
    private final Map<String, Object> providerOptions;

    private GenerationRequest(Builder b) {
        this.prompt = Objects.requireNonNull(b.prompt, "prompt == null");
        this.negativePrompt = b.negativePrompt;
        this.baseModel = b.baseModel;
        this.loras = List.copyOf(b.loras);
        this.width = b.width;
        this.height = b.height;
        this.steps = b.steps;
        this.guidanceScale = b.guidanceScale;
        this.seed = b.seed;
        this.sampler = b.sampler;
        this.imageCount = b.imageCount;
        this.initImage = b.initImage;
        this.initImageStrength = b.initImageStrength;
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
     * The prompt.
     *
     * @return the prompt, never blank
     */
    public String prompt() {
        return prompt;
    }

    /**
     * The negative prompt.
     *
     * @return the prompt, or empty
     */
    public Optional<String> negativePrompt() {
        return Optional.ofNullable(negativePrompt);
    }

    /**
     * The base checkpoint to generate with, as the service names it.
     *
     * @return the model, or empty for the provider's default
     */
    public Optional<String> baseModel() {
        return Optional.ofNullable(baseModel);
    }

    /**
     * The LoRAs to apply, in order.
     *
     * @return an unmodifiable list, possibly empty
     */
    public List<LoraWeight> loras() {
        return loras;
    }

    /**
     * The image width in pixels.
     *
     * @return the width, or empty for the default
     */
    public OptionalInt width() {
        return width == null ? OptionalInt.empty() : OptionalInt.of(width);
    }

    /**
     * The image height in pixels.
     *
     * @return the height, or empty for the default
     */
    public OptionalInt height() {
        return height == null ? OptionalInt.empty() : OptionalInt.of(height);
    }

    /**
     * The sampling steps.
     *
     * @return the steps, or empty for the default
     */
    public OptionalInt steps() {
        return steps == null ? OptionalInt.empty() : OptionalInt.of(steps);
    }

    /**
     * The classifier-free guidance scale.
     *
     * @return the scale, or empty for the default
     */
    public OptionalDouble guidanceScale() {
        return guidanceScale == null ? OptionalDouble.empty() : OptionalDouble.of(guidanceScale);
    }

    /**
     * The random seed.
     *
     * @return the seed, or empty for a random one
     */
    public OptionalLong seed() {
        return seed == null ? OptionalLong.empty() : OptionalLong.of(seed);
    }

    /**
     * The sampler name, as the service names it.
     *
     * @return the sampler, or empty for the default
     */
    public Optional<String> sampler() {
        return Optional.ofNullable(sampler);
    }

    /**
     * How many images to generate.
     *
     * @return at least 1
     */
    public int imageCount() {
        return imageCount;
    }

    /**
     * The init image for image-to-image.
     *
     * @return the image, or empty for text-to-image
     */
    public Optional<TrainingImage> initImage() {
        return Optional.ofNullable(initImage);
    }

    /**
     * How far image-to-image may move from the init image, 0 to 1.
     *
     * @return the strength, or empty for the default
     */
    public OptionalDouble initImageStrength() {
        return initImageStrength == null ? OptionalDouble.empty() : OptionalDouble.of(initImageStrength);
    }

    /**
     * Provider-specific options the neutral type does not name.
     *
     * @return an unmodifiable map
     */
    public Map<String, Object> providerOptions() {
        return providerOptions;
    }

    private List<Object> values() {
        return Arrays.asList(
                prompt,
                negativePrompt,
                baseModel,
                loras,
                width,
                height,
                steps,
                guidanceScale,
                seed,
                sampler,
                imageCount,
                initImage,
                initImageStrength,
                providerOptions);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof GenerationRequest other && values().equals(other.values());
    }

    @Override
    public int hashCode() {
        return values().hashCode();
    }

    /** Lists the settings but not the prompt, which may be private. */
    @Override
    public String toString() {
        return "GenerationRequest{loras=" + loras + ", size=" + width + "x" + height + ", steps=" + steps
                + ", imageCount=" + imageCount + ", img2img=" + (initImage != null) + "}";
    }

    /** Builds a {@link GenerationRequest}. Not thread-safe. */
    public static final class Builder {
        private @Nullable String prompt;
        private @Nullable String negativePrompt;
        private @Nullable String baseModel;
        private final List<LoraWeight> loras = new ArrayList<>();
        private @Nullable Integer width;
        private @Nullable Integer height;
        private @Nullable Integer steps;
        private @Nullable Double guidanceScale;
        private @Nullable Long seed;
        private @Nullable String sampler;
        private int imageCount = 1;
        private @Nullable TrainingImage initImage;
        private @Nullable Double initImageStrength;
        private final Map<String, Object> providerOptions = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Sets the prompt (required).
         *
         * @param prompt the prompt
         * @return this builder
         */
        public Builder prompt(String prompt) {
            this.prompt = Objects.requireNonNull(prompt, "prompt == null");
            return this;
        }

        /**
         * Sets the negative prompt.
         *
         * @param negativePrompt the prompt, or null
         * @return this builder
         */
        public Builder negativePrompt(@Nullable String negativePrompt) {
            this.negativePrompt = negativePrompt;
            return this;
        }

        /**
         * Sets the base checkpoint.
         *
         * @param baseModel the model, or null for the provider's default
         * @return this builder
         */
        public Builder baseModel(@Nullable String baseModel) {
            this.baseModel = baseModel;
            return this;
        }

        /**
         * Adds a LoRA.
         *
         * @param model the trained model's name
         * @param strength 0 to 1
         * @return this builder
         */
        public Builder addLora(String model, double strength) {
            loras.add(LoraWeight.of(model, strength));
            return this;
        }

        /**
         * Sets the image size.
         *
         * @param width the width in pixels
         * @param height the height in pixels
         * @return this builder
         */
        public Builder size(int width, int height) {
            this.width = width;
            this.height = height;
            return this;
        }

        /**
         * Sets the sampling steps.
         *
         * @param steps the steps, or null for the default
         * @return this builder
         */
        public Builder steps(@Nullable Integer steps) {
            this.steps = steps;
            return this;
        }

        /**
         * Sets the guidance scale.
         *
         * @param guidanceScale the scale, or null for the default
         * @return this builder
         */
        public Builder guidanceScale(@Nullable Double guidanceScale) {
            this.guidanceScale = guidanceScale;
            return this;
        }

        /**
         * Sets the seed.
         *
         * @param seed the seed, or null for a random one
         * @return this builder
         */
        public Builder seed(@Nullable Long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets the sampler.
         *
         * @param sampler the sampler, or null for the default
         * @return this builder
         */
        public Builder sampler(@Nullable String sampler) {
            this.sampler = sampler;
            return this;
        }

        /**
         * Sets how many images to generate (default 1).
         *
         * @param imageCount at least 1
         * @return this builder
         */
        public Builder imageCount(int imageCount) {
            this.imageCount = imageCount;
            return this;
        }

        /**
         * Sets the init image, which makes this an image-to-image request.
         *
         * @param initImage the image, or null for text-to-image
         * @return this builder
         */
        public Builder initImage(@Nullable TrainingImage initImage) {
            this.initImage = initImage;
            return this;
        }

        /**
         * Sets the image-to-image strength.
         *
         * @param initImageStrength 0 to 1, or null for the default
         * @return this builder
         */
        public Builder initImageStrength(@Nullable Double initImageStrength) {
            this.initImageStrength = initImageStrength;
            return this;
        }

        /**
         * Sets one provider-specific option.
         *
         * @param key the option key
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
         * @throws NullPointerException when the prompt is missing; every other check (blank prompt, counts,
         *     ranges) is the provider's, through {@link ProviderCapabilities#validate(String, GenerationRequest)}
         */
        public GenerationRequest build() {
            return new GenerationRequest(this);
        }
    }
}
