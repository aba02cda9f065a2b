package dev.loraport.decorators;

import dev.loraport.Operation;
import io.micrometer.observation.Observation;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one logical call of a decorated provider is about, as an {@link io.micrometer.observation.ObservationConvention}
 * ({@link LoraportObservationConvention}) reads it: the provider id, the operation, and, when known, the task id
 * and the create's client reference. The error, if the call failed, is {@link #getError()}. Never holds an API key,
 * prompt or URL.
 *
 * <p>One context belongs to one call; the decorator sets the task id from a create's answer on the calling thread
 * before the observation stops. Not thread-safe beyond that hand-off, as {@link Observation.Context} is not.
 *
 * @since 0.1
 */
public final class LoraportObservationContext extends Observation.Context {

    private final String providerId;
    private final Operation operation;
    private @Nullable String taskId;
    private final @Nullable String clientReference;

    /**
     * A context for one call.
     *
     * @param providerId the provider id, such as {@code novita}
     * @param operation the operation
     * @param taskId the task id the caller named, or null (create, list, generate)
     * @param clientReference the create's client reference, or null
     */
    public LoraportObservationContext(
            String providerId, Operation operation, @Nullable String taskId, @Nullable String clientReference) {
        this.providerId = Objects.requireNonNull(providerId, "providerId == null");
        this.operation = Objects.requireNonNull(operation, "operation == null");
        this.taskId = taskId;
        this.clientReference = clientReference;
    }

    /**
     * The provider id.
     *
     * @return the id, never null
     */
    public String providerId() {
        return providerId;
    }

    /**
     * The operation.
     *
     * @return the operation, never null
     */
    public Operation operation() {
        return operation;
    }

    /**
     * The task id: the one the caller named, or the one a create or status answer carried.
     *
     * @return the task id, or null while unknown
     */
    public @Nullable String taskId() {
        return taskId;
    }

    /**
     * The create's client reference.
     *
     * @return the reference, or null when the call is not a create or its request named none
     */
    public @Nullable String clientReference() {
        return clientReference;
    }

    void taskId(String id) {
        this.taskId = id;
    }
}
