package dev.loraport;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /**
     * Text lengths checked when an adapter declares none: {@code name} 1..128, the training prompts and
     * captions 0..1024, the generation {@code prompt} 1..1024 and {@code negativePrompt} 0..1024 characters.
     */
    public static final Map<String, Range> DEFAULT_TEXT_LENGTHS = Map.of(
            "name",
            Range.of(1, 128),
            "instancePrompt",
            Range.of(0, 1024),
            "classPrompt",
            Range.of(0, 1024),
            CAPTION,
            Range.of(0, 1024),
            "prompt",
            Range.of(1, 1024),
            "negativePrompt",
            Range.of(0, 1024));

    private static final java.util.regex.Pattern CLIENT_REFERENCE = java.util.regex.Pattern.compile("[a-z0-9-]{4,40}");
    private static final Set<String> URL_SCHEMES = new TreeSet<>(Set.of("https", "http"));

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
    private final @Nullable Set<String> trainingFields;
    private final @Nullable Set<String> generationFields;
    private final @Nullable Map<String, Set<String>> trainingOptions;
    private final @Nullable Map<String, Set<String>> generationOptions;
    private final Map<String, Range> textLengths;
    private final long maxImageBytes;

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
        Set<String> requiredFields = new TreeSet<>();
        required.values().forEach(requiredFields::addAll);
        requiredFields.remove(CAPTION);
        this.trainingFields = b.trainingFields == null
                ? null
                : supported(b.trainingFields, trainingRanges, trainingValues, requiredFields);
        this.generationFields = b.generationFields == null
                ? null
                : supported(b.generationFields, generationRanges, generationValues, Set.of());
        this.trainingOptions = b.trainingOptions == null ? null : copy(b.trainingOptions);
        this.generationOptions = b.generationOptions == null ? null : copy(b.generationOptions);
        Map<String, Range> lengths = new LinkedHashMap<>(DEFAULT_TEXT_LENGTHS);
        lengths.putAll(b.textLengths);
        this.textLengths = Collections.unmodifiableMap(lengths);
        this.maxImageBytes = b.maxImageBytes;
    }

    private static Set<String> supported(
            Set<String> declared, Map<String, Range> ranges, Map<String, Set<String>> values, Set<String> required) {
        Set<String> all = new TreeSet<>(declared);
        all.addAll(ranges.keySet());
        all.addAll(values.keySet());
        all.addAll(required);
        return Collections.unmodifiableSet(all);
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
     * The optional training fields this service takes: those declared with
     * {@link Builder#trainingFields(String...)} plus every field with a range, a value list or a requirement.
     * A request that sets any other optional field is rejected, so nothing is dropped silently.
     *
     * @return an unmodifiable set, or empty when the adapter declares none (then no field is refused as
     *     unsupported)
     */
    public Optional<Set<String>> trainingFields() {
        return Optional.ofNullable(trainingFields);
    }

    /**
     * The optional generation fields this service takes (see {@link #trainingFields()}).
     *
     * @return an unmodifiable set, or empty when the adapter declares none
     */
    public Optional<Set<String>> generationFields() {
        return Optional.ofNullable(generationFields);
    }

    /**
     * The provider options a training request may carry, each with its allowed values (an empty set allows
     * any non-blank value).
     *
     * @return an unmodifiable map, or empty when the adapter declares none (then options are unchecked)
     */
    public Optional<Map<String, Set<String>>> trainingOptions() {
        return Optional.ofNullable(trainingOptions);
    }

    /**
     * The provider options a generation request may carry (see {@link #trainingOptions()}).
     *
     * @return an unmodifiable map, or empty when the adapter declares none
     */
    public Optional<Map<String, Set<String>>> generationOptions() {
        return Optional.ofNullable(generationOptions);
    }

    /**
     * The allowed length of a text field ({@code name}, {@code instancePrompt}, {@code classPrompt},
     * {@link #CAPTION}, {@code prompt}, {@code negativePrompt}), in UTF-16 characters.
     *
     * @param field the field
     * @return the range, or empty when unchecked
     */
    public Optional<Range> textLength(String field) {
        if (field.equals(CAPTION) && captionLength != null) {
            return Optional.of(captionLength);
        }
        return Optional.ofNullable(textLengths.get(field));
    }

    /**
     * The largest local training image (file or bytes) accepted.
     *
     * @return bytes, 0 when unchecked
     */
    public long maxImageBytes() {
        return maxImageBytes;
    }

    /**
     * The format an encoded image's first bytes show.
     *
     * @param header at least the first 12 bytes of the image (fewer are read as far as they go)
     * @return {@code png}, {@code jpeg} or {@code webp}, or empty when the bytes are none of these
     */
    public static Optional<String> imageFormatOf(byte[] header) {
        byte[] b = header;
        if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return Optional.of("png");
        }
        if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
            return Optional.of("jpeg");
        }
        if (b.length >= 12
                && b[0] == 'R'
                && b[1] == 'I'
                && b[2] == 'F'
                && b[3] == 'F'
                && b[8] == 'W'
                && b[9] == 'E'
                && b[10] == 'B'
                && b[11] == 'P') {
            return Optional.of("webp");
        }
        return Optional.empty();
    }

    /**
     * Checks a training request against these capabilities, without any network call: every field, every
     * local image (present, a regular file, not empty, not too large, and an image by its first bytes), every
     * image URL (absolute {@code https} or {@code http}), text lengths and characters, and provider options.
     *
     * @param providerId the provider id, for the exception
     * @param request the request
     * @throws InvalidRequestException listing every violation, each naming the field, value and what is allowed
     */
    public void validate(String providerId, TrainingRequest request) {
        List<InvalidRequestException.Violation> v = new ArrayList<>();
        text("name", request.name(), false, v);
        request.clientReference().ifPresent(ref -> {
            if (!CLIENT_REFERENCE.matcher(ref).matches()) {
                v.add(violation(
                        "clientReference",
                        "'" + clip(ref) + "' is not allowed; use 4 to 40 characters of a-z, 0-9 and '-'"));
            }
        });
        if (!trainingKinds.contains(request.kind())) {
            v.add(violation("kind", request.kind() + " is not supported; allowed: " + trainingKinds));
        }
        if (!baseModels.isEmpty() && !baseModels.contains(request.baseModel())) {
            v.add(violation(
                    "baseModel", "'" + clip(request.baseModel()) + "' is not supported; allowed: " + baseModels));
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
                        image.source() + " image '" + clip(image.fileName()) + "' is not accepted; allowed sources: "
                                + imageSources));
            } else if (!imageFormats.isEmpty()
                    && (image.source() != TrainingImage.Source.URL
                            || !image.format().isEmpty())
                    && !imageFormats.contains(image.format())) {
                v.add(violation(
                        field,
                        "format '" + image.format() + "' of '" + clip(image.fileName())
                                + "' is not supported; allowed: " + imageFormats));
            } else {
                String problem = imageProblem(image);
                if (problem != null) {
                    v.add(violation(field, problem));
                }
            }
            Optional<String> caption = image.caption();
            if (caption.isEmpty() && req.contains(CAPTION)) {
                v.add(violation(field + ".caption", "required for " + request.kind() + " training"));
            }
            caption.ifPresent(c -> text(field + ".caption", CAPTION, c, true, v));
        }
        request.instancePrompt().ifPresent(t -> text("instancePrompt", t, true, v));
        request.classPrompt().ifPresent(t -> text("classPrompt", t, true, v));
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
        values.put("trainTextEncoder", request.trainTextEncoder().orElse(null));
        values.put("priorPreservation", request.priorPreservation().orElse(null));
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
        unsupported(providerId, values, trainingFields, v);
        check(values, trainingRanges, trainingValues, v);
        options(providerId, request.providerOptions(), trainingOptions, v);
        throwIfAny(providerId, "create", v);
    }

    /**
     * Checks a generation request against these capabilities, without any network call.
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
        text("prompt", request.prompt(), true, v);
        request.negativePrompt().ifPresent(t -> text("negativePrompt", t, true, v));
        if (request.loras().size() > maxLoras) {
            v.add(violation("loras", request.loras().size() + " given; allowed at most " + maxLoras));
        }
        for (int i = 0; i < request.loras().size(); i++) {
            if (request.loras().get(i).model().isBlank()) {
                v.add(violation("loras[" + i + "].model", "is blank; allowed: the id or name of a trained model"));
            }
            double s = request.loras().get(i).strength();
            if (!loraStrength.contains(s)) {
                v.add(violation(
                        "loras[" + i + "].strength", Range.format(s) + " is out of range; allowed " + loraStrength));
            }
        }
        request.initImage().ifPresent(image -> {
            String problem = imageProblem(image);
            if (problem != null) {
                v.add(violation("initImage", problem));
            }
        });
        request.baseModel()
                .filter(String::isBlank)
                .ifPresent(m ->
                        v.add(violation("baseModel", "is blank; allowed: a model name, or unset for the default")));
        if (request.initImageStrength().isPresent() && request.initImage().isEmpty()) {
            v.add(violation("initImageStrength", "is set without an initImage; allowed only together with initImage"));
        }
        Map<String, @Nullable Object> values = new LinkedHashMap<>();
        values.put("baseModel", request.baseModel().orElse(null));
        values.put("negativePrompt", request.negativePrompt().orElse(null));
        values.put("width", request.width().isPresent() ? request.width().getAsInt() : null);
        values.put("height", request.height().isPresent() ? request.height().getAsInt() : null);
        values.put("steps", request.steps().isPresent() ? request.steps().getAsInt() : null);
        values.put(
                "guidanceScale",
                request.guidanceScale().isPresent() ? request.guidanceScale().getAsDouble() : null);
        values.put("seed", request.seed().isPresent() ? request.seed().getAsLong() : null);
        values.put("sampler", request.sampler().orElse(null));
        values.put(
                "initImageStrength",
                request.initImageStrength().isPresent()
                        ? request.initImageStrength().getAsDouble()
                        : null);
        unsupported(providerId, values, generationFields, v);
        values.put("imageCount", request.imageCount());
        if (request.imageCount() < 1 && !generationRanges.containsKey("imageCount")) {
            v.add(violation("imageCount", request.imageCount() + " is out of range; allowed at least 1"));
        }
        check(values, generationRanges, generationValues, v);
        options(providerId, request.providerOptions(), generationOptions, v);
        throwIfAny(providerId, "generate", v);
    }

    private void text(String field, String value, boolean multiLine, List<InvalidRequestException.Violation> out) {
        text(field, field, value, multiLine, out);
    }

    /**
     * Length and characters of a text field. Names are one line of printable text; prompts and captions may
     * hold tabs and line breaks but no other control character, since a NUL or an escape sequence only ever
     * reaches a service by mistake and ends up in its logs and ours.
     */
    private void text(
            String field, String kind, String value, boolean multiLine, List<InvalidRequestException.Violation> out) {
        Range length = textLength(kind).orElse(null);
        if (value.isBlank() && (!multiLine || (length != null && length.min() >= 1))) {
            Range allowed = length == null ? Range.of(1, Integer.MAX_VALUE) : length;
            out.add(violation(
                    field,
                    "is blank; allowed: " + Range.format(Math.max(1, allowed.min())) + ".."
                            + Range.format(allowed.max()) + " characters, not all whitespace"));
            return;
        }
        if (length != null && !length.contains(value.length())) {
            out.add(violation(
                    field, "length " + value.length() + " is out of range; allowed " + length + " characters"));
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean allowedBreak = multiLine && (c == '\n' || c == '\r' || c == '\t');
            if (Character.isISOControl(c) && !allowedBreak) {
                out.add(violation(
                        field,
                        String.format(
                                Locale.ROOT,
                                "control character U+%04X at index %d is not allowed; allowed: printable text%s",
                                (int) c,
                                i,
                                multiLine ? ", tabs and line breaks" : " on one line")));
                return;
            }
        }
    }

    private static void unsupported(
            String providerId,
            Map<String, @Nullable Object> values,
            @Nullable Set<String> supported,
            List<InvalidRequestException.Violation> out) {
        if (supported == null) {
            return;
        }
        values.forEach((field, value) -> {
            if (value != null && !supported.contains(field)) {
                out.add(violation(field, "is not supported by " + providerId + "; fields it takes: " + supported));
            }
        });
    }

    private static void options(
            String providerId,
            Map<String, Object> given,
            @Nullable Map<String, Set<String>> declared,
            List<InvalidRequestException.Violation> out) {
        if (declared == null) {
            return;
        }
        given.forEach((key, value) -> {
            String field = "providerOptions." + key;
            Set<String> allowed = declared.get(key);
            String text = String.valueOf(value);
            if (allowed == null) {
                out.add(violation(
                        field,
                        "is not an option of " + providerId + "; options: "
                                + (declared.isEmpty() ? "none" : new TreeSet<>(declared.keySet()))));
            } else if (text.isBlank()) {
                out.add(violation(field, "is blank; allowed: " + (allowed.isEmpty() ? "a value" : allowed)));
            } else if (!allowed.isEmpty() && !allowed.contains(text)) {
                out.add(violation(field, "'" + clip(text) + "' is not allowed; allowed: " + allowed));
            }
        });
    }

    /**
     * What is wrong with one image that can be seen without a network call, or null. Reads at most 12 bytes
     * of a file: the whole file is read once, later, by the adapter.
     */
    private @Nullable String imageProblem(TrainingImage image) {
        String name = "'" + clip(image.fileName()) + "'";
        switch (image.source()) {
            case URL -> {
                URI url = image.url().orElseThrow();
                String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
                if (!URL_SCHEMES.contains(scheme)
                        || url.getHost() == null
                        || url.getHost().isEmpty()) {
                    return "URL '" + clip(url.getScheme() == null ? url.toString() : scheme + ":...")
                            + "' is not accepted; allowed: an absolute URL with scheme " + URL_SCHEMES;
                }
                return null;
            }
            case BYTES -> {
                byte[] bytes = image.bytesNoCopy();
                return contentProblem(name, bytes.length, bytes, image);
            }
            default -> {
                Path path = image.path().orElseThrow();
                if (!Files.exists(path)) {
                    return name + " does not exist" + allowedImage();
                }
                if (Files.isDirectory(path)) {
                    return name + " is a directory, not an image file" + allowedImage();
                }
                if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                    return name + " is not a readable file" + allowedImage();
                }
                byte[] header = new byte[12];
                long size;
                int read = 0;
                try (InputStream in = Files.newInputStream(path)) {
                    size = Files.size(path);
                    while (read < header.length) {
                        int r = in.read(header, read, header.length - read);
                        if (r < 0) {
                            break;
                        }
                        read += r;
                    }
                } catch (IOException e) {
                    return name + " cannot be read (" + e.getClass().getSimpleName() + ")" + allowedImage();
                }
                return contentProblem(name, size, Arrays.copyOf(header, read), image);
            }
        }
    }

    // What a local image must be, for the messages about one that is not.
    private String allowedImage() {
        Set<String> formats = imageFormats.isEmpty() ? new TreeSet<>(Set.of("jpeg", "png", "webp")) : imageFormats;
        return "; allowed: an existing, readable, non-empty image file in " + formats
                + (maxImageBytes > 0 ? " of at most " + maxImageBytes + " bytes" : "");
    }

    private @Nullable String contentProblem(String name, long size, byte[] header, TrainingImage image) {
        if (size == 0) {
            return name + " is empty (0 bytes)" + allowedImage();
        }
        if (maxImageBytes > 0 && size > maxImageBytes) {
            return name + " is " + size + " bytes; allowed at most " + maxImageBytes;
        }
        Optional<String> actual = imageFormatOf(header);
        if (actual.isEmpty()) {
            return name + " is not a PNG, JPEG or WebP image (by its first bytes)" + allowedImage();
        }
        if (!image.format().isEmpty() && !image.format().equals(actual.get())) {
            return name + " is named ." + image.format() + " but its bytes are " + actual.get()
                    + "; allowed: a file name whose extension matches its content";
        }
        if (!imageFormats.isEmpty() && !imageFormats.contains(actual.get())) {
            return name + " is " + actual.get() + "; allowed: " + imageFormats;
        }
        return null;
    }

    /** Echoes at most 64 characters of a rejected value, so a 10 KB value does not become a 10 KB message. */
    private static String clip(String value) {
        return value.length() <= 64 ? value : value.substring(0, 64) + "...(" + value.length() + " chars)";
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
                webhooks,
                trainingFields,
                generationFields,
                trainingOptions,
                generationOptions,
                textLengths,
                maxImageBytes);
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
        private @Nullable Set<String> trainingFields;
        private @Nullable Set<String> generationFields;
        private @Nullable Map<String, Set<String>> trainingOptions;
        private @Nullable Map<String, Set<String>> generationOptions;
        private final Map<String, Range> textLengths = new LinkedHashMap<>();
        private long maxImageBytes;

        private Builder() {}

        /**
         * Declares the optional training fields the adapter sends to the service, beyond those that already
         * have a range, a value list or a requirement here (booleans such as {@code trainTextEncoder} and
         * {@code priorPreservation}, free text). Once declared, a request setting any other optional field is
         * rejected as unsupported by this provider. Without this call no field is refused as unsupported.
         *
         * @param fields the request builder's field names
         * @return this builder
         */
        public Builder trainingFields(String... fields) {
            trainingFields = declare(trainingFields, fields);
            return this;
        }

        /**
         * Declares the optional generation fields the adapter sends (see {@link #trainingFields(String...)}),
         * such as {@code negativePrompt} or {@code baseModel}.
         *
         * @param fields the request builder's field names
         * @return this builder
         */
        public Builder generationFields(String... fields) {
            generationFields = declare(generationFields, fields);
            return this;
        }

        /**
         * Declares a provider option of training requests. Once any is declared (or
         * {@link #noTrainingOptions()} is called), a request with an undeclared option is rejected.
         *
         * @param key the option key
         * @param allowed its allowed values; none for any non-blank value
         * @return this builder
         */
        public Builder trainingOption(String key, String... allowed) {
            trainingOptions = declare(trainingOptions, Objects.requireNonNull(key, "key == null"), allowed);
            return this;
        }

        /**
         * Declares that training requests take no provider option at all.
         *
         * @return this builder
         */
        public Builder noTrainingOptions() {
            trainingOptions = declare(trainingOptions, null);
            return this;
        }

        /**
         * Declares a provider option of generation requests (see {@link #trainingOption(String, String...)}).
         *
         * @param key the option key
         * @param allowed its allowed values; none for any non-blank value
         * @return this builder
         */
        public Builder generationOption(String key, String... allowed) {
            generationOptions = declare(generationOptions, Objects.requireNonNull(key, "key == null"), allowed);
            return this;
        }

        /**
         * Declares that generation requests take no provider option at all.
         *
         * @return this builder
         */
        public Builder noGenerationOptions() {
            generationOptions = declare(generationOptions, null);
            return this;
        }

        // Null means "never declared, so unchecked": the first declaration turns the check on.
        private static Set<String> declare(@Nullable Set<String> fields, String... more) {
            Set<String> out = fields == null ? new LinkedHashSet<>() : fields;
            out.addAll(Arrays.asList(more));
            return out;
        }

        private static Map<String, Set<String>> declare(
                @Nullable Map<String, Set<String>> options, @Nullable String key, String... allowed) {
            Map<String, Set<String>> out = options == null ? new LinkedHashMap<>() : options;
            if (key != null) {
                out.put(key, new LinkedHashSet<>(Arrays.asList(allowed)));
            }
            return out;
        }

        /**
         * Sets the allowed length of a text field, replacing its default from {@link #DEFAULT_TEXT_LENGTHS}.
         *
         * @param field {@code name}, {@code instancePrompt}, {@code classPrompt}, {@code prompt} or
         *     {@code negativePrompt} (captions: {@link #captionLength(int, int)})
         * @param min the shortest
         * @param max the longest
         * @return this builder
         */
        public Builder textLength(String field, int min, int max) {
            textLengths.put(Objects.requireNonNull(field, "field == null"), Range.of(min, max));
            return this;
        }

        /**
         * Sets the largest local training image accepted.
         *
         * @param bytes the limit; 0 for none
         * @return this builder
         */
        public Builder maxImageBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxImageBytes: " + bytes + " is negative; allowed: 0 or more");
            }
            maxImageBytes = bytes;
            return this;
        }

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
