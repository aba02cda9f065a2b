package dev.loraport.decorators;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * loraport's default observation convention: the observation is named {@link LoraportMetrics#REQUESTS}
 * ({@code loraport.requests}), so the timer a meter handler derives from it keeps the name and the low-cardinality
 * tags of loraport's timer: {@code provider}, {@code operation}, {@code outcome} ({@link LoraportMetrics.Outcome}),
 * {@code exception} (the simple class name, or {@code none}). The task id ({@value #TASK_ID}) and the client
 * reference ({@value #CLIENT_REFERENCE}) are high-cardinality keys, for traces only, set when known. Stateless and
 * thread-safe.
 *
 * @since 0.1
 */
public class DefaultLoraportObservationConvention implements LoraportObservationConvention {

    /** The shared instance. */
    public static final DefaultLoraportObservationConvention INSTANCE = new DefaultLoraportObservationConvention();

    /** High-cardinality key: the provider's task id. */
    public static final String TASK_ID = "loraport.task.id";

    /** High-cardinality key: the create's client reference. */
    public static final String CLIENT_REFERENCE = "loraport.client.reference";

    /** A convention; subclasses override what they change. */
    public DefaultLoraportObservationConvention() {}

    /**
     * The observation's name.
     *
     * @return {@code loraport.requests}
     */
    @Override
    public String getName() {
        return LoraportMetrics.REQUESTS;
    }

    /**
     * The span name.
     *
     * @param context the call
     * @return {@code loraport <operation>}, such as {@code loraport create}
     */
    @Override
    public String getContextualName(LoraportObservationContext context) {
        return "loraport " + context.operation().id();
    }

    /**
     * The provider, operation, outcome and exception keys, as loraport's timer is tagged.
     *
     * @param context the call; its error is read, so call this once it has stopped
     * @return four key values
     */
    @Override
    public KeyValues getLowCardinalityKeyValues(LoraportObservationContext context) {
        Throwable error = context.getError();
        return KeyValues.of(
                KeyValue.of(LoraportMetrics.TAG_PROVIDER, context.providerId()),
                KeyValue.of(LoraportMetrics.TAG_OPERATION, context.operation().id()),
                KeyValue.of(
                        LoraportMetrics.TAG_OUTCOME,
                        LoraportMetrics.Outcome.of(error).asTag()),
                KeyValue.of(
                        LoraportMetrics.TAG_EXCEPTION,
                        error == null ? "none" : error.getClass().getSimpleName()));
    }

    /**
     * The task id and the client reference, each only when known.
     *
     * @param context the call
     * @return zero to two key values
     */
    @Override
    public KeyValues getHighCardinalityKeyValues(LoraportObservationContext context) {
        KeyValues values = KeyValues.empty();
        String task = context.taskId();
        if (task != null) {
            values = values.and(TASK_ID, task);
        }
        String reference = context.clientReference();
        if (reference != null) {
            values = values.and(CLIENT_REFERENCE, reference);
        }
        return values;
    }
}
