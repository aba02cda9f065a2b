package dev.loraport;

import java.util.Objects;

/**
 * A trained LoRA to apply during generation, with its strength.
 *
 * @param model the model name a {@link TrainingModel} or task carries, as the service expects it
 * @param strength how strongly to apply it, 0 to 1 (providers may narrow this)
 * @since 0.1
 */
public record LoraWeight(String model, double strength) {

    /**
     * Rejects a null model. A blank model or a strength the provider does not take is rejected by the
     * provider before any call ({@link ProviderCapabilities#validate(String, GenerationRequest)}), as an
     * {@link InvalidRequestException} naming {@code loras[i]}.
     *
     * @param model the model name a {@link TrainingModel} or task carries, as the service expects it
     * @param strength how strongly to apply it, 0 to 1 (providers may narrow this)
     */
    public LoraWeight {
        Objects.requireNonNull(model, "model == null");
    }

    /**
     * A LoRA at the given strength.
     *
     * @param model the model name
     * @param strength 0 to 1
     * @return the weight
     */
    public static LoraWeight of(String model, double strength) {
        return new LoraWeight(model, strength);
    }
}
