package dev.loraport.provider.novita.internal;

import dev.loraport.ProviderCapabilities;
import dev.loraport.TrainingImage;
import dev.loraport.TrainingKind;
import java.util.List;

/** What Novita's v3 training and generation APIs accept (providers.md A.3, A.4, A.7). */
public final class NovitaCapabilities {

    /** The documented base_model enum (A.3.1, 17 values). */
    public static final List<String> BASE_MODELS = List.of(
            "v1-5-pruned-emaonly",
            "stable-diffusion-xl-base-1.0",
            "dreamshaperXL09Alpha_alpha2Xl10_91562",
            "protovisionXLHighFidelity3D_release0630Bakedvae_154359",
            "epicrealism_naturalSin_121250",
            "chilloutmix_NiPrunedFp32Fix",
            "abyssorangemix3AOM3_aom3a3_10864",
            "dreamshaper_8_93211",
            "WFChild_v1.0",
            "majichenmixrealistic_v10",
            "realisticVisionV51_v51VAE_94301",
            "sdxlUnstableDiffusers_v11_216694",
            "realisticVisionV40_v40VAE_81510",
            "epicrealismXL_v10_247189",
            "somboy_v10_172675",
            "yesmixXL_v10_283329",
            "animagineXLV31_v31_325600");

    /** The documented samplers of txt2img. */
    public static final String[] SAMPLERS = {
        "Euler a",
        "Euler",
        "LMS",
        "Heun",
        "DPM2",
        "DPM2 a",
        "DPM++ 2S a",
        "DPM++ 2M",
        "DPM++ SDE",
        "DPM fast",
        "DPM adaptive",
        "LMS Karras",
        "DPM2 Karras",
        "DPM2 a Karras",
        "DPM++ 2S a Karras",
        "DPM++ 2M Karras",
        "DPM++ SDE Karras",
        "DDIM",
        "PLMS",
        "UniPC"
    };

    /** Provider option: {@code face_crop_region} ratio, a number above 0 up to 10 (more than 1 keeps more). */
    public static final String OPTION_CROP_RATIO = "face_crop_region.ratio";

    /** Provider option: {@code resize} width in pixels, 1 to 4096. */
    public static final String OPTION_RESIZE_WIDTH = "resize.width";

    /** Provider option: {@code resize} height in pixels, 1 to 4096. */
    public static final String OPTION_RESIZE_HEIGHT = "resize.height";

    /** Provider option: {@code face_restore} method; only {@code gfpgan_1.4} is documented. */
    public static final String OPTION_RESTORE_METHOD = "face_restore.method";

    /** Provider option: {@code face_restore} upscale factor, 1 to 4. */
    public static final String OPTION_RESTORE_UPSCALE = "face_restore.upscale";

    /** The largest local image this adapter sends, for training and as img2img's base64 image. */
    public static final long MAX_IMAGE_BYTES = 10L << 20;

    private NovitaCapabilities() {}

    /**
     * The capabilities.
     *
     * @param checkBaseModel whether to check base_model against the documented enum (it grows over time)
     * @return the capabilities
     */
    public static ProviderCapabilities of(boolean checkBaseModel) {
        return ProviderCapabilities.builder()
                .trainingKinds(TrainingKind.SUBJECT, TrainingKind.STYLE)
                .baseModels(checkBaseModel ? BASE_MODELS : List.of())
                .images(1, 50)
                .imageFormats("png", "jpeg", "webp")
                .imageSources(TrainingImage.Source.FILE, TrainingImage.Source.BYTES)
                .captionLength(1, 1024)
                .require(TrainingKind.SUBJECT, "instancePrompt", "classPrompt")
                .require(TrainingKind.STYLE, ProviderCapabilities.CAPTION)
                .trainingValues("classPrompt", "person")
                .trainingValues(
                        "scheduler",
                        "constant",
                        "linear",
                        "cosine",
                        "cosine_with_restarts",
                        "polynomial",
                        "constant_with_warmup")
                .trainingNumbers("learningRate", 1e-4, 1e-5, 1e-6, 2e-4, 5e-5)
                .trainingRange("steps", 1, 100_000)
                .trainingRange("width", 1, 4096)
                .trainingRange("height", 1, 4096)
                .trainingRange("batchSize", 1, 4)
                .trainingRange("seed", 1, Long.MAX_VALUE)
                .trainingRange("warmupSteps", 0, 100_000)
                .trainingRange("priorLossWeight", Double.MIN_VALUE, 1e9)
                .trainingRange("loraRank", 4, 128)
                .trainingRange("loraAlpha", 4, 128)
                .trainingRange("textEncoderRank", 4, 128)
                .trainingRange("textEncoderAlpha", 4, 128)
                // Sent in expert_setting besides the ranged fields above (providers.md A.3).
                .trainingFields("instancePrompt", "classPrompt", "trainTextEncoder", "priorPreservation")
                // The dataset components (A.3: face_crop_region, resize, face_restore); numbers are checked by
                // the adapter, which knows their ranges.
                .trainingOption(OPTION_CROP_RATIO)
                .trainingOption(OPTION_RESIZE_WIDTH)
                .trainingOption(OPTION_RESIZE_HEIGHT)
                .trainingOption(OPTION_RESTORE_METHOD, "gfpgan_1.4")
                .trainingOption(OPTION_RESTORE_UPSCALE)
                // No documented per-image limit; 10 MiB is ours, as for img2img's base64 image (README).
                .maxImageBytes(MAX_IMAGE_BYTES)
                .loras(5, 0, 1)
                .generationRange("width", 128, 2048)
                .generationRange("height", 128, 2048)
                .generationRange("imageCount", 1, 8)
                .generationRange("steps", 1, 100)
                .generationRange("guidanceScale", 1, 30)
                .generationRange("seed", -1, Long.MAX_VALUE)
                .generationRange("initImageStrength", 0, 1)
                .generationValues("sampler", SAMPLERS)
                .generationFields("baseModel", "negativePrompt")
                .noGenerationOptions()
                .supportsCancel(false)
                .supportsDelete(false)
                .supportsList(true)
                .listIncludesStatus(true)
                .listIncludesNames(true)
                .supportsGenerate(true)
                .supportsImg2img(true)
                .supportsWebhooks(false)
                .build();
    }
}
