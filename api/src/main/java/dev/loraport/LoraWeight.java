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
     * Rejects a null or blank model and a strength outside 0..1.
     *
     * @param model the model name a {@link TrainingModel} or task carries, as the service expects it
     * @param strength how strongly to apply it, 0 to 1 (providers may narrow this)
     */
    public LoraWeight {
        Objects.requireNonNull(model, "model == null");
        if (model.isBlank()) {
            throw new IllegalArgumentException("model is blank");
        }
        if (!(strength >= 0 && strength <= 1)) {
            throw new IllegalArgumentException("strength: " + strength + " is out of range; allowed 0..1");
        }
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
