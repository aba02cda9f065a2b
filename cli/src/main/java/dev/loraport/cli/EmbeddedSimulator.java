package dev.loraport.cli;

import dev.loraport.ProviderConfig;
import dev.loraport.simulators.NovitaSimulator;
import dev.loraport.simulators.ReplicateSimulator;
import dev.loraport.simulators.SimulatorServer;
import dev.loraport.simulators.StableDiffusionApiSimulator;
import dev.loraport.simulators.VirtualClock;

/** A simulator started in this process on a sped-up clock, with a configuration pointing at it. */
final class EmbeddedSimulator implements AutoCloseable {

    static final String[] IDS = {"novita", "stablediffusionapi", "replicate"};

    final SimulatorServer simulator;
    final VirtualClock clock;

    private EmbeddedSimulator(SimulatorServer simulator, VirtualClock clock) {
        this.simulator = simulator;
        this.clock = clock;
    }

    static EmbeddedSimulator start(String id, double speed, int port) {
        VirtualClock clock = VirtualClock.scaled(speed);
        SimulatorServer sim = switch (id) {
            case "novita" -> NovitaSimulator.builder().clock(clock).port(port).build();
            case "stablediffusionapi" ->
                StableDiffusionApiSimulator.builder().clock(clock).port(port).build();
            case "replicate" ->
                ReplicateSimulator.builder().clock(clock).port(port).build();
            default ->
                throw new UsageException(
                        "no simulator for provider '" + id + "'; simulators exist for: " + String.join(", ", IDS));
        };
        sim.start();
        return new EmbeddedSimulator(sim, clock);
    }

    String baseUrl() {
        return simulator.baseUrl();
    }

    /** The simulator's configuration with decorator settings for a local, sped-up service. */
    ProviderConfig config() {
        return simulator.config().toBuilder()
                // Polls come every few hundred milliseconds here; a paid API's 2/s default would only slow the demo.
                .option("ratelimit.permits-per-second", "50")
                .option("retry.initial-backoff", "100ms")
                .option("reconcile.delay", "100ms")
                .build();
    }

    @Override
    public void close() {
        simulator.close();
    }
}
