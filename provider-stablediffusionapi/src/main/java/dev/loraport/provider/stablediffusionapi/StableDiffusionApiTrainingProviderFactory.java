package dev.loraport.provider.stablediffusionapi;

import dev.loraport.ProviderConfig;
import dev.loraport.TrainingProvider;
import dev.loraport.spi.TrainingProviderFactory;

/**
 * Registers ModelsLab with {@link java.util.ServiceLoader} as provider id {@code stablediffusionapi}. Stateless
 * and thread-safe.
 *
 * @since 0.1
 */
public final class StableDiffusionApiTrainingProviderFactory implements TrainingProviderFactory {

    /** Creates the factory; ServiceLoader calls this. */
    public StableDiffusionApiTrainingProviderFactory() {}

    @Override
    public String id() {
        return StableDiffusionApiTrainingProvider.ID;
    }

    @Override
    public TrainingProvider create(ProviderConfig config) {
        return StableDiffusionApiTrainingProvider.from(config);
    }
}
