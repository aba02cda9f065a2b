package dev.loraport.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loraport.simulators.NovitaSimulator;
import dev.loraport.simulators.ProviderSimulator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link SimulatorTest}: one started simulator per class, injected by its own type and its interfaces. */
@SimulatorTest(NovitaSimulator.class)
class SimulatorTestTest {

    static NovitaSimulator first;

    @BeforeAll
    static void before(NovitaSimulator novita) {
        first = novita;
    }

    @Test
    void injectsTheStartedSimulator(NovitaSimulator novita, ProviderSimulator asInterface) {
        assertThat(novita).isSameAs(first).isSameAs(asInterface);
        assertThat(novita.baseUrl()).startsWith("http://127.0.0.1:");
    }

    @Test
    void theSameSimulatorForEveryTestOfTheClass(NovitaSimulator novita) {
        assertThat(novita).isSameAs(first);
    }
}
