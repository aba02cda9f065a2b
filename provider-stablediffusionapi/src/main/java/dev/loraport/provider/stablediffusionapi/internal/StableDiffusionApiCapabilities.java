package dev.loraport.provider.stablediffusionapi.internal;

import dev.loraport.ProviderCapabilities;
import dev.loraport.TrainingImage;
import dev.loraport.TrainingKind;
import java.util.List;

/** What ModelsLab's training and v6 generation APIs accept (providers.md B.2-B.11; choices in the README). */
public final class StableDiffusionApiCapabilities {

    /** {@code base_model_type} of lora_fine_tune: SDXL (the service default) or SD 1.5 ("normal"). */
    public static final List<String> BASE_MODELS = List.of("sdxl", "normal");

    private StableDiffusionApiCapabilities() {}

    /**
     * The capabilities.
     *
     * @return the capabilities
     */
    public static ProviderCapabilities of() {
        return ProviderCapabilities.builder()
                .trainingKinds(TrainingKind.SUBJECT, TrainingKind.STYLE)
                .baseModels(BASE_MODELS)
                .images(1, 50)
                .imageFormats("png", "jpeg", "webp")
                .imageSources(TrainingImage.Source.FILE, TrainingImage.Source.BYTES, TrainingImage.Source.URL)
                .require(TrainingKind.SUBJECT, "instancePrompt", "classPrompt")
                .require(TrainingKind.STYLE, "instancePrompt", "classPrompt")
                // 2023 docs: "2 x images, max 2000"; the 2026 OpenAPI says 10..50 but its own examples break that.
                .trainingRange("steps", 1, 2000)
                .trainingRange("seed", 0, Long.MAX_VALUE)
                .loras(5, 0.1, 1)
                .generationRange("width", 256, 1024)
                .generationRange("height", 256, 1024)
                .generationRange("imageCount", 1, 4)
                .generationRange("steps", 1, 50)
                .generationRange("guidanceScale", 1, 20)
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
