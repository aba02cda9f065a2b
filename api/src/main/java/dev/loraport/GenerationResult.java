package dev.loraport;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a finished generation produced.
 *
 * @param images the images, in the service's order; unmodifiable, never empty for a success
 * @param taskId the service's id of the generation task, or null when it has none
 * @since 0.1
 */
public record GenerationResult(
        List<GeneratedImage> images, @Nullable String taskId) {

    /**
     * Copies the image list.
     *
     * @param images the images, in the service's order; unmodifiable, never empty for a success
     * @param taskId the service's id of the generation task, or null when it has none
     */
    public GenerationResult {
        images = List.copyOf(Objects.requireNonNull(images, "images == null"));
    }

    /**
     * The generation task's id.
     *
     * @return the id, or empty
     */
    public Optional<String> taskIdValue() {
        return Optional.ofNullable(taskId);
    }
}
