package dev.loraport;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What a service supports: training kinds, base models, image limits, parameter ranges and optional
 * operations. Requests are checked against it with {@link #validate(String, TrainingRequest)} and
 * {@link #validate(String, GenerationRequest)} before any network call. Immutable and thread-safe.
 *
 * <p>Parameter constraints are keyed by the request builder's field names: for training {@code width},
 * {@code height}, {@code steps}, {@code learningRate}, {@code scheduler}, {@code warmupSteps},
 * {@code loraRank}, {@code loraAlpha}, {@code textEncoderRank}, {@code textEncoderAlpha}, {@code batchSize},
 * {@code seed}, {@code priorLossWeight}, {@code instancePrompt}, {@code classPrompt}; for generation
 * {@code baseModel}, {@code width}, {@code height}, {@code steps}, {@code guidanceScale}, {@code seed},
 * {@code sampler}, {@code imageCount}, {@code initImageStrength}.
 *
 * @since 0.1
 */
public final class ProviderCapabilities {

    /** The field name that stands for every image's caption in {@link Builder#require}. */
    public static final String CAPTION = "caption";

    private final Set<TrainingKind> trainingKinds;
    private final Set<String> baseModels;
    private final Range imageCount;
    private final Set<String> imageFormats;
    private final Set<TrainingImage.Source> imageSources;
    private final @Nullable Range captionLength;
    private final Map<TrainingKind, Set<String>> required;
    private final Map<String, Range> trainingRanges;
    private final Map<String, Set<String>> trainingValues;
    private final Map<String, Range> generationRanges;
    private final Map<String, Set<String>> generationValues;
    private final int maxLoras;
    private final Range loraStrength;
    private final boolean cancel;
    private final boolean delete;
    private final boolean list;
    private final boolean listIncludesStatus;
    private final boolean listIncludesNames;
    private final boolean generate;
    private final boolean img2img;
    private final boolean webhooks;

    private ProviderCapabilities(Builder b) {
        this.trainingKinds = Collections.unmodifiableSet(EnumSet.copyOf(b.trainingKinds));
        this.baseModels = Collections.unmodifiableSet(new LinkedHashSet<>(b.baseModels));
        this.imageCount = b.imageCount;
        this.imageFormats = Collections.unmodifiableSet(new TreeSet<>(b.imageFormats));
        this.imageSources = Collections.unmodifiableSet(
                b.imageSources.isEmpty() ? EnumSet.noneOf(TrainingImage.Source.class) : EnumSet.copyOf(b.imageSources));
        this.captionLength = b.captionLength;
        Map<TrainingKind, Set<String>> req = new EnumMap<>(TrainingKind.class);
        b.required.forEach((k, v) -> req.put(k, Collections.unmodifiableSet(new LinkedHashSet<>(v))));
        this.required = Collections.unmodifiableMap(req);
        this.trainingRanges = Collections.unmodifiableMap(new LinkedHashMap<>(b.trainingRanges));
        this.trainingValues = copy(b.trainingValues);
        this.generationRanges = Collections.unmodifiableMap(new LinkedHashMap<>(b.generationRanges));
        this.generationValues = copy(b.generationValues);
        this.maxLoras = b.maxLoras;
        this.loraStrength = b.loraStrength;
        this.cancel = b.cancel;
        this.delete = b.delete;
        this.list = b.list;
        this.listIncludesStatus = b.listIncludesStatus;
        this.listIncludesNames = b.listIncludesNames;
        this.generate = b.generate;
        this.img2img = b.img2img;
        this.webhooks = b.webhooks;
    }

    private static Map<String, Set<String>> copy(Map<String, Set<String>> in) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        in.forEach((k, v) -> out.put(k, Collections.unmodifiableSet(new LinkedHashSet<>(v))));
        return Collections.unmodifiableMap(out);
    }

    /**
     * A new builder; by default nothing is supported and nothing is constrained.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The training kinds offered.
     *
     * @return an unmodifiable set
     */
    public Set<TrainingKind> trainingKinds() {
        return trainingKinds;
    }

    /**
     * The base models accepted for training.
     *
     * @return an unmodifiable set; empty means any value is sent to the service unchecked
     */
    public Set<String> baseModels() {
        return baseModels;
    }

    /**
     * How many training images a job takes.
     *
     * @return the range of allowed counts
     */
    public Range imageCount() {
        return imageCount;
    }

    /**
     * The smallest number of training images.
     *
     * @return the minimum
     */
    public int minImages() {
        return (int) imageCount.min();
    }

    /**
     * The largest number of training images.
     *
     * @return the maximum
     */
    public int maxImages() {
        return (int) imageCount.max();
    }

    /**
     * The image formats accepted, as {@link TrainingImage#format()} names them.
     *
     * @return an unmodifiable set; empty means unchecked
     */
    public Set<String> imageFormats() {
        return imageFormats;
    }

    /**
     * Where images may come from (local files, bytes, URLs).
     *
     * @return an unmodifiable set; empty means unchecked
     */
    public Set<TrainingImage.Source> imageSources() {
        return imageSources;
    }

    /**
     * The allowed caption length.
     *
     * @return the range, or empty when unchecked
     */
    public Optional<Range> captionLength() {
        return Optional.ofNullable(captionLength);
    }

    /**
     * The fields a training kind requires ({@code instancePrompt}, {@code classPrompt}, {@link #CAPTION}).
     *
     * @param kind the training kind
     * @return an unmodifiable set, possibly empty
     */
    public Set<String> requiredFields(TrainingKind kind) {
        return required.getOrDefault(kind, Set.of());
    }

    /**
     * The numeric ranges of training parameters, by field name.
     *
     * @return an unmodifiable map
     */
    public Map<String, Range> trainingRanges() {
        return trainingRanges;
    }

    /**
     * The allowed values of enumerated training parameters, by field name. Numbers are written as
     * {@link Range} prints them ({@code 0.0001} as {@code 1.0E-4}).
     *
     * @return an unmodifiable map
     */
    public Map<String, Set<String>> trainingValues() {
        return trainingValues;
    }

    /**
     * The numeric ranges of generation parameters, by field name.
     *
     * @return an unmodifiable map
     */
    public Map<String, Range> generationRanges() {
        return generationRanges;
    }

    /**
     * The allowed values of enumerated generation parameters, by field name.
     *
     * @return an unmodifiable map
     */
    public Map<String, Set<String>> generationValues() {
        return generationValues;
    }

    /**
     * How many LoRAs one generation may apply.
     *
     * @return the maximum, 0 when generation with LoRAs is not offered
     */
    public int maxLoras() {
        return maxLoras;
    }

    /**
     * The allowed LoRA strength.
     *
     * @return the range
     */
    public Range loraStrength() {
        return loraStrength;
    }

    /**
     * Whether a running job can be cancelled.
     *
     * @return the flag
     */
    public boolean supportsCancel() {
        return cancel;
    }

    /**
     * Whether a job or its model can be deleted.
     *
     * @return the flag
     */
    public boolean supportsDelete() {
        return delete;
    }

    /**
     * Whether the account's jobs can be listed.
     *
     * @return the flag
     */
    public boolean supportsList() {
        return list;
    }

    /**
     * Whether a listing carries each job's full status, so one list call can refresh many jobs.
     *
     * @return the flag
     */
    public boolean listIncludesStatus() {
        return listIncludesStatus;
    }

    /**
     * Whether a listing shows each job's name as it was submitted, so a job can be found again by the client
     * reference its name carries. When false, the library finds a job whose create response was lost by
     * comparing listings taken before and after the create.
     *
     * @return the flag
     */
    public boolean listIncludesNames() {
        return listIncludesNames;
    }

    /**
     * Whether images can be generated with trained LoRAs.
     *
     * @return the flag
     */
    public boolean supportsGenerate() {
        return generate;
    }

    /**
     * Whether image-to-image generation is offered.
     *
     * @return the flag
     */
    public boolean supportsImg2img() {
        return img2img;
    }

    /**
     * Whether the service can call a webhook when a job changes.
     *
     * @return the flag
     */
    public boolean supportsWebhooks() {
        return webhooks;
    }

    /**
     * Checks a training request against these capabilities.
     *
     * @param providerId the provider id, for the exception
     * @param request the request
     * @throws InvalidRequestException listing every violation, each naming the field, value and what is allowed
     */
    public void validate(String providerId, TrainingRequest request) {
        List<InvalidRequestException.Violation> v = new ArrayList<>();
        if (!trainingKinds.contains(request.kind())) {
            v.add(violation("kind", request.kind() + " is not supported; allowed: " + trainingKinds));
        }
        if (!baseModels.isEmpty() && !baseModels.contains(request.baseModel())) {
            v.add(violation("baseModel", "'" + request.baseModel() + "' is not supported; allowed: " + baseModels));
        }
        int n = request.images().size();
        if (!imageCount.contains(n)) {
            v.add(violation("images", n + " given; allowed " + imageCount + " images"));
        }
        Set<String> req = requiredFields(request.kind());
        for (int i = 0; i < n; i++) {
            TrainingImage image = request.images().get(i);
            String field = "images[" + i + "]";
            if (!imageSources.isEmpty() && !imageSources.contains(image.source())) {
                v.add(violation(
                        field,
                        image.source() + " image '" + image.fileName() + "' is not accepted; allowed sources: "
                                + imageSources));
            } else if (!imageFormats.isEmpty()
                    && (image.source() != TrainingImage.Source.URL
                            || !image.format().isEmpty())
                    && !imageFormats.contains(image.format())) {
                v.add(violation(
                        field,
                        "format '" + image.format() + "' of '" + image.fileName() + "' is not supported; allowed: "
                                + imageFormats));
            }
            Optional<String> caption = image.caption();
            if (caption.isEmpty() && req.contains(CAPTION)) {
                v.add(violation(field + ".caption", "required for " + request.kind() + " training"));
            }
            if (caption.isPresent()
                    && captionLength != null
                    && !captionLength.contains(caption.get().length())) {
                v.add(violation(
                        field + ".caption",
                        "length " + caption.get().length() + " is out of range; allowed " + captionLength
                                + " characters"));
            }
        }
        Map<String, @Nullable Object> values = new LinkedHashMap<>();
        values.put("instancePrompt", request.instancePrompt().orElse(null));
        values.put("classPrompt", request.classPrompt().orElse(null));
        values.put("width", request.width().isPresent() ? request.width().getAsInt() : null);
        values.put("height", request.height().isPresent() ? request.height().getAsInt() : null);
        values.put("steps", request.steps().isPresent() ? request.steps().getAsInt() : null);
        values.put(
                "learningRate",
                request.learningRate().isPresent() ? request.learningRate().getAsDouble() : null);
        values.put("scheduler", request.scheduler().orElse(null));
        values.put(
                "warmupSteps",
                request.warmupSteps().isPresent() ? request.warmupSteps().getAsInt() : null);
        values.put(
                "loraRank", request.loraRank().isPresent() ? request.loraRank().getAsInt() : null);
        values.put(
                "loraAlpha",
                request.loraAlpha().isPresent() ? request.loraAlpha().getAsInt() : null);
        values.put(
                "textEncoderRank",
                request.textEncoderRank().isPresent()
                        ? request.textEncoderRank().getAsInt()
                        : null);
        values.put(
                "textEncoderAlpha",
                request.textEncoderAlpha().isPresent()
                        ? request.textEncoderAlpha().getAsInt()
                        : null);
        values.put(
                "batchSize",
                request.batchSize().isPresent() ? request.batchSize().getAsInt() : null);
        values.put("seed", request.seed().isPresent() ? request.seed().getAsLong() : null);
        values.put(
                "priorLossWeight",
                request.priorLossWeight().isPresent()
                        ? request.priorLossWeight().getAsDouble()
                        : null);
        for (String field : req) {
            if (!field.equals(CAPTION)
                    && (values.get(field) == null
                            || values.get(field).toString().isBlank())) {
                v.add(violation(field, "required for " + request.kind() + " training"));
            }
        }
        check(values, trainingRanges, trainingValues, v);
        throwIfAny(providerId, "create", v);
    }

    /**
     * Checks a generation request against these capabilities.
     *
     * @param providerId the provider id, for the exception
     * @param request the request
     * @throws InvalidRequestException listing every violation
     * @throws UnsupportedCapabilityException when generation, or image-to-image, is not offered
     */
    public void validate(String providerId, GenerationRequest request) {
        if (!generate) {
            throw UnsupportedCapabilityException.of(providerId, "generate");
        }
        if (request.initImage().isPresent() && !img2img) {
            throw UnsupportedCapabilityException.of(providerId, "img2img");
        }
        List<InvalidRequestException.Violation> v = new ArrayList<>();
        if (request.loras().size() > maxLoras) {
            v.add(violation("loras", request.loras().size() + " given; allowed at most " + maxLoras));
        }
        for (int i = 0; i < request.loras().size(); i++) {
            double s = request.loras().get(i).strength();
            if (!loraStrength.contains(s)) {
                v.add(violation(
                        "loras[" + i + "].strength", Range.format(s) + " is out of range; allowed " + loraStrength));
            }
        }
        Map<String, @Nullable Object> values = new LinkedHashMap<>();
        values.put("baseModel", request.baseModel().orElse(null));
        values.put("width", request.width().isPresent() ? request.width().getAsInt() : null);
        values.put("height", request.height().isPresent() ? request.height().getAsInt() : null);
        values.put("steps", request.steps().isPresent() ? request.steps().getAsInt() : null);
        values.put(
                "guidanceScale",
                request.guidanceScale().isPresent() ? request.guidanceScale().getAsDouble() : null);
        values.put("seed", request.seed().isPresent() ? request.seed().getAsLong() : null);
        values.put("sampler", request.sampler().orElse(null));
        values.put("imageCount", request.imageCount());
        values.put(
                "initImageStrength",
                request.initImageStrength().isPresent()
                        ? request.initImageStrength().getAsDouble()
                        : null);
        check(values, generationRanges, generationValues, v);
        throwIfAny(providerId, "generate", v);
    }

    private static void check(
            Map<String, @Nullable Object> values,
            Map<String, Range> ranges,
            Map<String, Set<String>> allowed,
            List<InvalidRequestException.Violation> out) {
        values.forEach((field, value) -> {
            if (value == null) {
                return;
            }
            Range range = ranges.get(field);
            if (range != null && value instanceof Number num && !range.contains(num.doubleValue())) {
                out.add(violation(field, display(value) + " is out of range; allowed " + range));
            }
            Set<String> set = allowed.get(field);
            if (set != null && !set.contains(display(value))) {
                out.add(violation(field, "'" + display(value) + "' is not allowed; allowed: " + set));
            }
        });
    }

    private static String display(Object value) {
        return value instanceof Number n ? Range.format(n.doubleValue()) : value.toString();
    }

    private static InvalidRequestException.Violation violation(String field, String problem) {
        return new InvalidRequestException.Violation(field, problem);
    }

    private static void throwIfAny(String providerId, String op, List<InvalidRequestException.Violation> v) {
        if (!v.isEmpty()) {
            throw new InvalidRequestException(providerId, op, v);
        }
    }

    private List<Object> values() {
        return Arrays.asList(
                trainingKinds,
                baseModels,
                imageCount,
                imageFormats,
                imageSources,
                captionLength,
                required,
                trainingRanges,
                trainingValues,
                generationRanges,
                generationValues,
                maxLoras,
                loraStrength,
                cancel,
                delete,
                list,
                listIncludesStatus,
                listIncludesNames,
                generate,
                img2img,
                webhooks);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof ProviderCapabilities other && values().equals(other.values());
    }

    @Override
    public int hashCode() {
        return values().hashCode();
    }

    @Override
    public String toString() {
        return "ProviderCapabilities{kinds=" + trainingKinds + ", baseModels=" + baseModels.size() + ", images="
                + imageCount + ", formats=" + imageFormats + ", sources=" + imageSources + ", cancel=" + cancel
                + ", delete=" + delete + ", list=" + list + ", generate=" + generate + ", img2img=" + img2img
                + ", webhooks=" + webhooks + "}";
    }

    /** Builds {@link ProviderCapabilities}. Not thread-safe. */
    public static final class Builder {
        private final Set<TrainingKind> trainingKinds = EnumSet.noneOf(TrainingKind.class);
        private final Set<String> baseModels = new LinkedHashSet<>();
        private Range imageCount = Range.of(1, Integer.MAX_VALUE);
        private final Set<String> imageFormats = new TreeSet<>();
        private final Set<TrainingImage.Source> imageSources = EnumSet.noneOf(TrainingImage.Source.class);
        private @Nullable Range captionLength;
        private final Map<TrainingKind, Set<String>> required = new EnumMap<>(TrainingKind.class);
        private final Map<String, Range> trainingRanges = new LinkedHashMap<>();
        private final Map<String, Set<String>> trainingValues = new LinkedHashMap<>();
        private final Map<String, Range> generationRanges = new LinkedHashMap<>();
        private final Map<String, Set<String>> generationValues = new LinkedHashMap<>();
        private int maxLoras;
        private Range loraStrength = Range.of(0, 1);
        private boolean cancel;
        private boolean delete;
        private boolean list;
        private boolean listIncludesStatus;
        private boolean listIncludesNames;
        private boolean generate;
        private boolean img2img;
        private boolean webhooks;

        private Builder() {}

        /**
         * Sets the training kinds offered.
         *
         * @param kinds the kinds
         * @return this builder
         */
        public Builder trainingKinds(TrainingKind... kinds) {
            trainingKinds.clear();
            trainingKinds.addAll(Arrays.asList(kinds));
            return this;
        }

        /**
         * Sets the base models accepted for training; leave empty to send any value unchecked.
         *
         * @param models the model ids
         * @return this builder
         */
        public Builder baseModels(Collection<String> models) {
            baseModels.clear();
            baseModels.addAll(models);
            return this;
        }

        /**
         * Sets how many training images a job takes.
         *
         * @param min the fewest
         * @param max the most
         * @return this builder
         */
        public Builder images(int min, int max) {
            imageCount = Range.of(min, max);
            return this;
        }

        /**
         * Sets the image formats accepted.
         *
         * @param formats lowercase formats such as {@code png}, {@code jpeg}, {@code webp}
         * @return this builder
         */
        public Builder imageFormats(String... formats) {
            imageFormats.clear();
            for (String f : formats) {
                imageFormats.add(f.toLowerCase(Locale.ROOT));
            }
            return this;
        }

        /**
         * Sets where images may come from.
         *
         * @param sources the accepted sources
         * @return this builder
         */
        public Builder imageSources(TrainingImage.Source... sources) {
            imageSources.clear();
            imageSources.addAll(Arrays.asList(sources));
            return this;
        }

        /**
         * Sets the allowed caption length.
         *
         * @param min the shortest
         * @param max the longest
         * @return this builder
         */
        public Builder captionLength(int min, int max) {
            captionLength = Range.of(min, max);
            return this;
        }

        /**
         * Marks fields as required for a training kind.
         *
         * @param kind the kind
         * @param fields {@code instancePrompt}, {@code classPrompt}, or {@link #CAPTION} for every image's caption
         * @return this builder
         */
        public Builder require(TrainingKind kind, String... fields) {
            required.computeIfAbsent(kind, k -> new LinkedHashSet<>()).addAll(Arrays.asList(fields));
            return this;
        }

        /**
         * Sets the numeric range of a training parameter.
         *
         * @param field the builder's field name, such as {@code loraRank}
         * @param min the smallest allowed value
         * @param max the largest allowed value
         * @return this builder
         */
        public Builder trainingRange(String field, double min, double max) {
            trainingRanges.put(Objects.requireNonNull(field, "field == null"), Range.of(min, max));
            return this;
        }

        /**
         * Sets the allowed values of an enumerated training parameter.
         *
         * @param field the builder's field name, such as {@code scheduler}
         * @param allowed the allowed values
         * @return this builder
         */
        public Builder trainingValues(String field, String... allowed) {
            trainingValues.put(
                    Objects.requireNonNull(field, "field == null"), new LinkedHashSet<>(Arrays.asList(allowed)));
            return this;
        }

        /**
         * Sets the allowed values of an enumerated numeric training parameter (such as a learning-rate list).
         *
         * @param field the builder's field name
         * @param allowed the allowed numbers
         * @return this builder
         */
        public Builder trainingNumbers(String field, double... allowed) {
            Set<String> set = new LinkedHashSet<>();
            for (double d : allowed) {
                set.add(Range.format(d));
            }
            trainingValues.put(Objects.requireNonNull(field, "field == null"), set);
            return this;
        }

        /**
         * Sets the numeric range of a generation parameter.
         *
         * @param field the builder's field name, such as {@code steps}
         * @param min the smallest allowed value
         * @param max the largest allowed value
         * @return this builder
         */
        public Builder generationRange(String field, double min, double max) {
            generationRanges.put(Objects.requireNonNull(field, "field == null"), Range.of(min, max));
            return this;
        }

        /**
         * Sets the allowed values of an enumerated generation parameter.
         *
         * @param field the builder's field name, such as {@code sampler}
         * @param allowed the allowed values
         * @return this builder
         */
        public Builder generationValues(String field, String... allowed) {
            generationValues.put(
                    Objects.requireNonNull(field, "field == null"), new LinkedHashSet<>(Arrays.asList(allowed)));
            return this;
        }

        /**
         * Sets how many LoRAs one generation may apply and at which strength.
         *
         * @param max the most LoRAs
         * @param minStrength the lowest strength
         * @param maxStrength the highest strength
         * @return this builder
         */
        public Builder loras(int max, double minStrength, double maxStrength) {
            maxLoras = max;
            loraStrength = Range.of(minStrength, maxStrength);
            return this;
        }

        /**
         * Sets whether jobs can be cancelled.
         *
         * @param value the flag
         * @return this builder
         */
        public Builder supportsCancel(boolean value) {
            cancel = value;
            return this;
        }

        /**
         * Sets whether jobs can be deleted.
         *
         * @param value the flag
         * @return this builder
         */
        public Builder supportsDelete(boolean value) {
            delete = value;
            return this;
        }

        /**
         * Sets whether jobs can be listed.
         *
         * @param value the flag
         * @return this builder
         */
        public Builder supportsList(boolean value) {
            list = value;
            return this;
        }

        /**
         * Sets whether a listing carries each job's full status.
         *
         * @param value the flag
         * @return this builder
         */
        public Builder listIncludesStatus(boolean value) {
            listIncludesStatus = value;
            return this;
        }

        /**
         * Sets whether a listing shows each job's submitted name.
         *
         * @param value the flag
         * @return this builder
         */
        public Builder listIncludesNames(boolean value) {
            listIncludesNames = value;
            return this;
        }

        /**
         * Sets whether generation is offered.
         *
         * @param value the flag
         * @return this builder
         */
        public Builder supportsGenerate(boolean value) {
            generate = value;
            return this;
        }

        /**
         * Sets whether image-to-image is offered.
         *
         * @param value the flag
         * @return this builder
         */
        public Builder supportsImg2img(boolean value) {
            img2img = value;
            return this;
        }

        /**
         * Sets whether webhooks are offered.
         *
         * @param value the flag
         * @return this builder
         */
        public Builder supportsWebhooks(boolean value) {
            webhooks = value;
            return this;
        }

        /**
         * Builds the capabilities.
         *
         * @return the capabilities
         */
        public ProviderCapabilities build() {
            return new ProviderCapabilities(this);
        }
    }

    /**
     * An inclusive range of allowed numbers.
     *
     * @param min the smallest allowed value
     * @param max the largest allowed value
     * @since 0.1
     */
    public record Range(double min, double max) {

        /**
         * Rejects a range whose min is above its max.
         *
         * @param min the smallest allowed value
         * @param max the largest allowed value
         */
        public Range {
            if (!(min <= max)) {
                throw new IllegalArgumentException("min " + min + " > max " + max);
            }
        }

        /**
         * The range min..max.
         *
         * @param min the smallest allowed value
         * @param max the largest allowed value
         * @return the range
         */
        public static Range of(double min, double max) {
            return new Range(min, max);
        }

        /**
         * Whether a value lies in the range.
         *
         * @param value the value
         * @return {@code true} when min ≤ value ≤ max
         */
        public boolean contains(double value) {
            return value >= min && value <= max;
        }

        /** Reads {@code 4..128}, or {@code 0.1..1} for fractions. */
        @Override
        public String toString() {
            return format(min) + ".." + format(max);
        }

        static String format(double value) {
            if (value == Math.rint(value) && Math.abs(value) < 1e15) {
                return Long.toString((long) value);
            }
            return Double.toString(value);
        }
    }
}
