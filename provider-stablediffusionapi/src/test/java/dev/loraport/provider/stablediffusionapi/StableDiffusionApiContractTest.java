package dev.loraport.provider.stablediffusionapi;

import dev.loraport.ProviderConfig;
import dev.loraport.TrainingProvider;
import dev.loraport.simulators.ProviderSimulator;
import dev.loraport.simulators.StableDiffusionApiSimulator;
import dev.loraport.testkit.SimulatorExtension;
import dev.loraport.testkit.TrainingProviderContract;
import org.junit.jupiter.api.extension.RegisterExtension;

class StableDiffusionApiContractTest extends TrainingProviderContract {

    final StableDiffusionApiSimulator modelslab = StableDiffusionApiSimulator.create();

    @RegisterExtension
    final SimulatorExtension modelslabRunning = SimulatorExtension.of(modelslab);

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
