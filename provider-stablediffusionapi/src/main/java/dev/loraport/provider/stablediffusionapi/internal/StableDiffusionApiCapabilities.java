package dev.loraport.provider.stablediffusionapi.internal;

import dev.loraport.ProviderCapabilities;
import dev.loraport.TrainingImage;
import dev.loraport.TrainingKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What ModelsLab's training and v6 generation APIs accept (providers.md B.2-B.11; choices in the README). Each
 * training endpoint takes its own fields and options: {@link #forEndpoint(String)} has the rules of one,
 * {@link #of()} their union (what {@code info().capabilities()} reports).
 */
public final class StableDiffusionApiCapabilities {

    /** {@code base_model_type} of lora_fine_tune: SDXL (the service default) or SD 1.5 ("normal"). */
    public static final List<String> BASE_MODELS = List.of("sdxl", "normal");

    /** The LoRA endpoint, the default. */
    public static final String LORA = "lora_fine_tune";

    /** DreamBooth v1. */
    public static final String DREAMBOOTH = "fine_tune";

    /** DreamBooth v2, with unet and text-encoder settings. */
    public static final String DREAMBOOTH_V2 = "fine_tune_v2";

    /** The training endpoints, in the order the docs list them. */
    public static final List<String> ENDPOINTS = List.of(LORA, DREAMBOOTH, DREAMBOOTH_V2);

    /** Option: which endpoint trains. */
    public static final String OPTION_ENDPOINT = "endpoint";

    /** Option: {@code training_type}, every endpoint. */
    public static final String OPTION_TRAINING_TYPE = "training_type";

    /** Option: {@code lora_type}, lora_fine_tune only. */
    public static final String OPTION_LORA_TYPE = "lora_type";

    /** Option: {@code negative_prompt}, lora_fine_tune only. */
    public static final String OPTION_NEGATIVE_PROMPT = "negative_prompt";

    /** Option: {@code wandb_key}, lora_fine_tune only (OpenAPI). */
    public static final String OPTION_WANDB_KEY = "wandb_key";

    /** Option: {@code base_model_id}, required by the DreamBooth endpoints. */
    public static final String OPTION_BASE_MODEL_ID = "base_model_id";

    /** Option: {@code learning_rate_unet}, fine_tune_v2 only (the neutral {@code learningRate} sends it too). */
    public static final String OPTION_LR_UNET = "learning_rate_unet";

    /** Option: {@code steps_unet}, fine_tune_v2 only (the neutral {@code steps} sends it too). */
    public static final String OPTION_STEPS_UNET = "steps_unet";

    /** Option: {@code learning_rate_text_encoder}, fine_tune_v2 only. */
    public static final String OPTION_LR_TEXT_ENCODER = "learning_rate_text_encoder";

    /** Option: {@code steps_text_encoder}, fine_tune_v2 only. */
    public static final String OPTION_STEPS_TEXT_ENCODER = "steps_text_encoder";

    /** {@code training_type}: the OpenAPI says {@code women}, the prose {@code female}; both are sent as given. */
    public static final String[] TRAINING_TYPES = {"men", "women", "female", "couple", "null"};

    /** {@code lora_type} values. */
    public static final String[] LORA_TYPES = {"lora", "lycoris"};

    /** The most steps lora_fine_tune and fine_tune take ({@code max_train_steps}: "2 x images, max 2000"). */
    public static final int MAX_TRAIN_STEPS = 2000;

    /** The most unet or text-encoder steps fine_tune_v2 is sent: undocumented, ours (defaults 1500 and 350). */
    public static final int MAX_V2_STEPS = 10_000;

    /** The largest local image: {@code base64_crop} takes at most 5 MB. */
    public static final long MAX_IMAGE_BYTES = 5L * 1024 * 1024;

    /** The v6 {@code scheduler} enum (OpenAPI {@code SchedulerEnum}); the neutral {@code sampler} is sent as it. */
    public static final String[] SCHEDULERS = {
        "DDPMScheduler",
        "DDIMScheduler",
        "PNDMScheduler",
        "LMSDiscreteScheduler",
        "EulerDiscreteScheduler",
        "EulerAncestralDiscreteScheduler",
        "DPMSolverMultistepScheduler",
        "HeunDiscreteScheduler",
        "KDPM2DiscreteScheduler",
        "DPMSolverSinglestepScheduler",
        "KDPM2AncestralDiscreteScheduler",
        "UniPCMultistepScheduler",
        "DDIMInverseScheduler",
        "DEISMultistepScheduler",
        "IPNDMScheduler",
        "KarrasVeScheduler",
        "ScoreSdeVeScheduler",
        "LCMScheduler"
    };

    /** The fine_tune_v2 learning-rate enum, as the service spells it ({@code 1e-5}..{@code 6e-10}). */
    public static final List<String> LEARNING_RATES = learningRates();

    private StableDiffusionApiCapabilities() {}

    private static List<String> learningRates() {
        List<String> out = new ArrayList<>();
        for (int e = 5; e <= 10; e++) {
            out.add("1e-" + e);
        }
        for (int m = 2; m <= 6; m++) {
            out.add(m + "e-0");
            for (int e = 1; e <= 10; e++) {
                out.add(m + "e-" + e);
            }
        }
        return List.copyOf(out);
    }

    /**
     * A learning rate as the fine_tune_v2 enum spells it, when it is one of them.
     *
     * @param value the rate
     * @return the spelling, such as {@code 1e-6}, or null when the enum has no such rate
     */
    public static @Nullable String learningRate(double value) {
        for (String s : LEARNING_RATES) {
            if (Double.parseDouble(s) == value) {
                return s;
            }
        }
        return null;
    }

    /**
     * A learning rate option as the fine_tune_v2 enum spells it.
     *
     * @param text the option value, such as {@code 1e-6} or {@code 0.000001}
     * @return the spelling, or null when it is not one of the enum's rates
     */
    public static @Nullable String learningRate(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (LEARNING_RATES.contains(t)) {
            return t;
        }
        try {
            return learningRate(Double.parseDouble(t));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The union of every endpoint's rules: what {@code info().capabilities()} reports.
     *
     * @return the capabilities
     */
    public static ProviderCapabilities of() {
        return build(null);
    }

    /**
     * The rules of one training endpoint.
     *
     * @param endpoint one of {@link #ENDPOINTS}
     * @return the capabilities
     */
    public static ProviderCapabilities forEndpoint(String endpoint) {
        if (!ENDPOINTS.contains(endpoint)) {
            throw new IllegalArgumentException("unknown endpoint " + endpoint);
        }
        return build(endpoint);
    }

    /**
     * The neutral optional training fields an endpoint sends.
     *
     * @param endpoint one of {@link #ENDPOINTS}
     * @return the field names
     */
    public static Set<String> fields(String endpoint) {
        return endpoint.equals(DREAMBOOTH_V2)
                ? Set.of("instancePrompt", "classPrompt", "steps", "seed", "learningRate")
                : Set.of("instancePrompt", "classPrompt", "steps", "seed");
    }

    /**
     * The provider options an endpoint takes.
     *
     * @param endpoint one of {@link #ENDPOINTS}
     * @return the option keys
     */
    public static Set<String> options(String endpoint) {
        return switch (endpoint) {
            case LORA ->
                Set.of(
                        OPTION_ENDPOINT,
                        OPTION_TRAINING_TYPE,
                        OPTION_LORA_TYPE,
                        OPTION_NEGATIVE_PROMPT,
                        OPTION_WANDB_KEY);
            case DREAMBOOTH -> Set.of(OPTION_ENDPOINT, OPTION_TRAINING_TYPE, OPTION_BASE_MODEL_ID);
            default ->
                Set.of(
                        OPTION_ENDPOINT,
                        OPTION_TRAINING_TYPE,
                        OPTION_BASE_MODEL_ID,
                        OPTION_LR_UNET,
                        OPTION_STEPS_UNET,
                        OPTION_LR_TEXT_ENCODER,
                        OPTION_STEPS_TEXT_ENCODER);
        };
    }

    private static ProviderCapabilities build(@Nullable String endpoint) {
        boolean all = endpoint == null;
        boolean v2 = all || endpoint.equals(DREAMBOOTH_V2);
        ProviderCapabilities.Builder b = ProviderCapabilities.builder()
                .trainingKinds(TrainingKind.SUBJECT, TrainingKind.STYLE)
                .baseModels(BASE_MODELS)
                .images(1, 50)
                .imageFormats("png", "jpeg", "webp")
                .imageSources(TrainingImage.Source.FILE, TrainingImage.Source.BYTES, TrainingImage.Source.URL)
                .maxImageBytes(MAX_IMAGE_BYTES)
                .require(TrainingKind.SUBJECT, "instancePrompt", "classPrompt")
                .require(TrainingKind.STYLE, "instancePrompt", "classPrompt")
                // max_train_steps: the 2023 docs say "2 x images, max 2000"; the 2026 OpenAPI says 10..50 but its
                // own examples break that. fine_tune_v2 sends steps as steps_unet (default 1500, no documented cap).
                .trainingRange("steps", 1, v2 ? MAX_V2_STEPS : MAX_TRAIN_STEPS)
                .trainingRange("seed", 0, Long.MAX_VALUE)
                .trainingFields("instancePrompt", "classPrompt")
                .trainingOption(OPTION_ENDPOINT, ENDPOINTS.toArray(String[]::new))
                .trainingOption(OPTION_TRAINING_TYPE, TRAINING_TYPES);
        if (v2) {
            b.trainingNumbers(
                    "learningRate",
                    LEARNING_RATES.stream().mapToDouble(Double::parseDouble).toArray());
        }
        if (all || endpoint.equals(LORA)) {
            b.trainingOption(OPTION_LORA_TYPE, LORA_TYPES)
                    .trainingOption(OPTION_NEGATIVE_PROMPT)
                    .trainingOption(OPTION_WANDB_KEY);
        }
        if (all || !endpoint.equals(LORA)) {
            b.trainingOption(OPTION_BASE_MODEL_ID);
        }
        if (v2) {
            b.trainingOption(OPTION_LR_UNET, LEARNING_RATES.toArray(String[]::new))
                    .trainingOption(OPTION_STEPS_UNET)
                    .trainingOption(OPTION_LR_TEXT_ENCODER, LEARNING_RATES.toArray(String[]::new))
                    .trainingOption(OPTION_STEPS_TEXT_ENCODER);
        }
        return b.loras(5, 0.1, 1)
                .generationRange("width", 256, 1024)
                .generationRange("height", 256, 1024)
                .generationRange("imageCount", 1, 4)
                .generationRange("steps", 1, 50)
                .generationRange("guidanceScale", 1, 20)
                // seed: an integer, or null (not set) for a random one; no negative sentinel is documented.
                .generationRange("seed", 0, Long.MAX_VALUE)
                .generationValues("sampler", SCHEDULERS)
                .generationFields("baseModel", "negativePrompt")
                .noGenerationOptions()
                .supportsCancel(true)
                .supportsDelete(true)
                .supportsList(true)
                .listIncludesStatus(false)
                .listIncludesNames(false)
                .supportsGenerate(true)
                .supportsImg2img(false)
                .supportsWebhooks(true)
                .build();
    }
}
