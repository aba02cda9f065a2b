package dev.loraport.provider.novita;

import dev.loraport.ProviderConfig;
import dev.loraport.TrainingProvider;
import dev.loraport.spi.TrainingProviderFactory;

/**
 * Registers Novita with {@link java.util.ServiceLoader} as provider id {@code novita}. Stateless and
 * thread-safe.
 *
 * @since 0.1
 */
public final class NovitaTrainingProviderFactory implements TrainingProviderFactory {

    /** Creates the factory; ServiceLoader calls this. */
    public NovitaTrainingProviderFactory() {}

    @Override
    public String id() {
        return NovitaTrainingProvider.ID;
    }

    @Override
    public TrainingProvider create(ProviderConfig config) {
        return NovitaTrainingProvider.from(config);
    }
}
