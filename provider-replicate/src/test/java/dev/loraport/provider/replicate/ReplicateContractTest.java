package dev.loraport.provider.replicate;

import dev.loraport.ProviderConfig;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingRequest;
import dev.loraport.simulators.ProviderSimulator;
import dev.loraport.simulators.ReplicateSimulator;
import dev.loraport.simulators.SampleImages;
import dev.loraport.testkit.SimulatorExtension;
import dev.loraport.testkit.TrainingProviderContract;
import org.junit.jupiter.api.extension.RegisterExtension;

class ReplicateContractTest extends TrainingProviderContract {

    final ReplicateSimulator replicate = ReplicateSimulator.create();

    @RegisterExtension
    final SimulatorExtension replicateRunning = SimulatorExtension.of(replicate);

    @Override
    protected ProviderSimulator simulator() {
        return replicate;
    }

    @Override
    protected TrainingProvider provider(ProviderConfig config) {
        return ReplicateTrainingProvider.from(config);
    }

    @Override
    protected Class<? extends TrainingProvider> expectedProviderClass() {
        return ReplicateTrainingProvider.class;
    }

    @Override
    protected boolean reportsDeploying() {
        // Replicate keeps a training "processing" until the version is pushed (providers.md Part C).
        return false;
    }

    @Override
    protected TrainingRequest sampleRequest(TrainingKind kind) {
        // The flux trainer takes a trigger word (instancePrompt) and no class prompt.
        return TrainingRequest.builder()
                .name("contract")
                .kind(kind)
                .baseModel(ReplicateTrainingProvider.DEFAULT_TRAINER)
                .images(SampleImages.pngs(3))
                .instancePrompt("ohwx")
                .steps(100)
                .build();
    }
}
