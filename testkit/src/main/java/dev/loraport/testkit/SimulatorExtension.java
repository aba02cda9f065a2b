package dev.loraport.testkit;

import dev.loraport.simulators.SimulatorServer;
import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a simulator around JUnit 5 tests: registered on an instance field, it starts the simulator before each
 * test and stops it after; on a static field, once for the whole class. The simulators themselves know no test
 * framework.
 *
 * <pre>{@code
 * final NovitaSimulator novita = NovitaSimulator.create();
 * @RegisterExtension final SimulatorExtension running = SimulatorExtension.of(novita);
 * }</pre>
 *
 * <p>Thread-safe as far as the simulator is.
 *
 * @since 0.1
 */
public final class SimulatorExtension
        implements BeforeEachCallback, AfterEachCallback, BeforeAllCallback, AfterAllCallback {

    private final SimulatorServer simulator;
    private volatile boolean perClass;

    private SimulatorExtension(SimulatorServer simulator) {
        this.simulator = simulator;
    }

    /**
     * Runs a simulator around each test, or around the class when the field is static.
     *
     * @param simulator the simulator; not started yet
     * @return the extension to register
     */
    public static SimulatorExtension of(SimulatorServer simulator) {
        return new SimulatorExtension(Objects.requireNonNull(simulator, "simulator == null"));
    }

    /**
     * The simulator this extension runs.
     *
     * @return the simulator
     */
    public SimulatorServer simulator() {
        return simulator;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        simulator.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        simulator.stop();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        simulator.start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            simulator.stop();
        }
    }
}
