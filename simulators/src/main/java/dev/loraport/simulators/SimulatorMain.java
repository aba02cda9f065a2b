package dev.loraport.simulators;

import java.time.Duration;
import java.util.Locale;

/**
 * Runs one simulator standalone on a real-time clock sped up by a factor, so code in any language can test
 * against it over HTTP:
 *
 * <pre>{@code
 * java -cp <testkit and its dependencies> dev.loraport.testkit.SimulatorMain --provider novita --port 8089 \
 *     --seed 3 --speed 60
 * }</pre>
 *
 * <p>{@code --seed N} starts the account with N finished jobs. The {@code loraport simulate} command runs both
 * simulators the same way from the CLI's runnable jar.
 *
 * @since 0.1
 */
public final class SimulatorMain {

    private SimulatorMain() {}

    /**
     * Starts the simulator and blocks until the process is stopped.
     *
     * @param args {@code --provider novita|stablediffusionapi}, {@code --port N} (0: any free one),
     *     {@code --seed N} finished jobs, {@code --speed X} virtual seconds per real second
     * @throws InterruptedException when interrupted while running
     */
    public static void main(String[] args) throws InterruptedException {
        SimulatorServer sim = start(args);
        System.out.println(sim.providerId() + " simulator at " + sim.baseUrl() + " (key: " + sim.apiKey() + ")");
        Runtime.getRuntime().addShutdownHook(new Thread(sim::stop));
        Thread.currentThread().join();
    }

    /**
     * Starts the simulator described by the arguments and returns it, running.
     *
     * @param args as for {@link #main(String[])}
     * @return the running simulator; the caller stops it
     * @throws IllegalArgumentException naming a bad argument and the allowed values
     */
    public static SimulatorServer start(String[] args) {
        String provider = "novita";
        int port = 0;
        int seed = 0;
        double speed = 60;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--provider" -> provider = value.toLowerCase(Locale.ROOT);
                case "--port" -> port = Integer.parseInt(value);
                case "--seed" -> seed = Integer.parseInt(value);
                case "--speed" -> speed = Double.parseDouble(value);
                default ->
                    throw new IllegalArgumentException(
                            "unknown argument '" + args[i] + "'; allowed: --provider, --port, --seed, --speed");
            }
            i++;
        }
        VirtualClock clock = VirtualClock.scaled(speed);
        SimulatorServer sim = switch (provider) {
            case "novita" -> NovitaSimulator.builder().clock(clock).port(port).build();
            case "stablediffusionapi" ->
                StableDiffusionApiSimulator.builder().clock(clock).port(port).build();
            case "replicate" ->
                ReplicateSimulator.builder().clock(clock).port(port).build();
            default ->
                throw new IllegalArgumentException("--provider: '" + provider
                        + "' is not simulated; allowed: novita, stablediffusionapi, replicate");
        };
        sim.start();
        for (int i = 0; i < seed; i++) {
            sim.seedTask("seeded-" + (i + 1), Duration.ofHours(1 + i));
        }
        return sim;
    }
}
