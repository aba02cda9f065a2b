package dev.loraport.provider.novita;

import dev.loraport.ProviderConfig;
import dev.loraport.TrainingProvider;
import dev.loraport.simulators.NovitaSimulator;
import dev.loraport.simulators.ProviderSimulator;
import dev.loraport.testkit.SimulatorExtension;
import dev.loraport.testkit.TrainingProviderContract;
import org.junit.jupiter.api.extension.RegisterExtension;

class NovitaContractTest extends TrainingProviderContract {

    final NovitaSimulator novita = NovitaSimulator.create();

    @RegisterExtension
    final SimulatorExtension novitaRunning = SimulatorExtension.of(novita);

    @Override
    protected ProviderSimulator simulator() {
        return novita;
    }

    @Override
    protected TrainingProvider provider(ProviderConfig config) {
        return NovitaTrainingProvider.from(config);
    }

    @Override
    protected Class<? extends TrainingProvider> expectedProviderClass() {
        return NovitaTrainingProvider.class;
    }

    @Override
    protected boolean reportsFailureReason() {
        // Novita's training status has no reason field (providers.md A.8).
        return false;
    }
}
