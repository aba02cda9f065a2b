package dev.loraport.provider.novita;

import dev.loraport.ProviderConfig;
import dev.loraport.TrainingProvider;
import dev.loraport.testkit.ProviderSimulator;
import dev.loraport.testkit.TrainingProviderContract;
import dev.loraport.testkit.novita.NovitaSimulator;
import org.junit.jupiter.api.extension.RegisterExtension;

class NovitaContractTest extends TrainingProviderContract {

    @RegisterExtension
    final NovitaSimulator novita = NovitaSimulator.create();

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
