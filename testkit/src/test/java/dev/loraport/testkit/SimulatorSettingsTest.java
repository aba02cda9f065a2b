package dev.loraport.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loraport.ProviderConfig;
import dev.loraport.simulators.NovitaSimulator;
import dev.loraport.simulators.StableDiffusionApiSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link Simulators}' settings: what a test adds decorator keys to reads back as the simulator's configuration. */
class SimulatorSettingsTest {

    final NovitaSimulator novita = NovitaSimulator.create();

    @RegisterExtension
    final SimulatorExtension running = SimulatorExtension.of(novita);

    final StableDiffusionApiSimulator modelslab = StableDiffusionApiSimulator.create();

    @RegisterExtension
    final SimulatorExtension modelslabRunning = SimulatorExtension.of(modelslab);

    @Test
    void theSettingsReadBackAsTheSimulatorsConfiguration() {
        assertThat(ProviderConfig.fromMap(Simulators.settings(novita))).isEqualTo(novita.config());
        assertThat(ProviderConfig.fromProperties(Simulators.properties(novita))).isEqualTo(novita.config());
        assertThat(ProviderConfig.fromMap(Simulators.settings(modelslab))).isEqualTo(modelslab.config());
        assertThat(Simulators.settings(novita))
                .containsEntry("loraport.provider", "novita")
                .containsEntry("loraport.novita.base-url", novita.baseUrl());
    }
}
