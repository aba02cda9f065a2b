package dev.loraport;

import java.util.Objects;

/**
 * The service's identifier of one training job.
 *
 * @param value the identifier as the service spells it; never blank
 * @since 0.1
 */
public record TaskId(String value) {

    /**
     * Rejects a null or blank identifier.
     *
     * @param value the identifier as the service spells it; never blank
     */
    public TaskId {
        Objects.requireNonNull(value, "value == null");
        if (value.isBlank()) {
            throw new IllegalArgumentException("task id is blank");
        }
    }

    /**
     * Wraps a service identifier.
     *
     * @param value the identifier; never blank
     * @return the task id
     */
    public static TaskId of(String value) {
        return new TaskId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
