package dev.loraport;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A model produced by a training job, as the service names it.
 *
 * @param name the name to pass to generation (for example a LoRA file name)
 * @param status the neutral state of this model: usually {@link TrainingStatus#DEPLOYING} or
 *     {@link TrainingStatus#READY}
 * @param rawStatus the service's own status string for the model, if it sent one
 * @since 0.1
 */
public record TrainingModel(
        String name, TrainingStatus status, @Nullable String rawStatus) {

    /**
     * Rejects null name and status.
     *
     * @param name the name to pass to generation (for example a LoRA file name)
     * @param status the neutral state of this model: usually {@link TrainingStatus#DEPLOYING} or {
     * @param rawStatus the service's own status string for the model, if it sent one
     */
    public TrainingModel {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(status, "status == null");
    }
}
