package dev.loraport.provider.stablediffusionapi;

import dev.loraport.ProviderConfig;
import dev.loraport.TrainingProvider;
import dev.loraport.testkit.ProviderSimulator;
import dev.loraport.testkit.TrainingProviderContract;
import dev.loraport.testkit.stablediffusionapi.StableDiffusionApiSimulator;
import org.junit.jupiter.api.extension.RegisterExtension;

class StableDiffusionApiContractTest extends TrainingProviderContract {

    @RegisterExtension
    final StableDiffusionApiSimulator modelslab = StableDiffusionApiSimulator.create();

    @Override
    protected ProviderSimulator simulator() {
        return modelslab;
    }

    @Override
    protected TrainingProvider provider(ProviderConfig config) {
        return StableDiffusionApiTrainingProvider.from(config);
    }

    @Override
    protected Class<? extends TrainingProvider> expectedProviderClass() {
        return StableDiffusionApiTrainingProvider.class;
    }

    @Override
    protected boolean usesErrorBodiesWithHttp200() {
        return true;
    }
}
