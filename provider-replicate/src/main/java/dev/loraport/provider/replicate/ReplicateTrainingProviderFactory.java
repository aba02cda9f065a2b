package dev.loraport.provider.replicate;

import dev.loraport.ProviderConfig;
import dev.loraport.TrainingProvider;
import dev.loraport.spi.TrainingProviderFactory;

/**
 * Registers Replicate with {@link java.util.ServiceLoader} as provider id {@code replicate}. Stateless and
 * thread-safe.
 *
 * @since 0.2
 */
public final class ReplicateTrainingProviderFactory implements TrainingProviderFactory {

    /** Creates the factory; ServiceLoader calls this. */
    public ReplicateTrainingProviderFactory() {}

    @Override
    public String id() {
        return ReplicateTrainingProvider.ID;
    }

    @Override
    public TrainingProvider create(ProviderConfig config) {
        return ReplicateTrainingProvider.from(config);
    }
}
