package dev.loraport.decorators;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and labels the observation of each logical call of a decorated provider. Implement it (or extend
 * {@link DefaultLoraportObservationConvention}) and pass it to {@link ProviderStack.Builder#observationConvention}
 * to rename the observation or change its keys; a convention registered on the {@code ObservationRegistry} for
 * {@link LoraportObservationContext} takes precedence over both. Implementations must be thread-safe and must not
 * return an API key, prompt or URL.
 *
 * @since 0.1
 */
public interface LoraportObservationConvention extends ObservationConvention<LoraportObservationContext> {

    /**
     * Applies to loraport's contexts only.
     *
     * @param context a context
     * @return whether it is a {@link LoraportObservationContext}
     */
    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof LoraportObservationContext;
    }
}
