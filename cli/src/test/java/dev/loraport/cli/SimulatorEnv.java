package dev.loraport.cli;

import dev.loraport.simulators.NovitaSimulator;
import dev.loraport.simulators.StableDiffusionApiSimulator;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** The environment the CLI tests give the command to reach a simulator of this JVM, as `loraport simulate` prints it. */
final class SimulatorEnv {

    private SimulatorEnv() {}

    /**
     * {@code provider} configured on its simulator (novita, else ModelsLab), with backoffs and polls short enough for
     * simulators at x1000, and the user's folder under {@code dir}.
     */
    static Map<String, String> of(
            String provider, NovitaSimulator novita, StableDiffusionApiSimulator modelslab, Path dir) {
        Map<String, String> env = new HashMap<>();
        env.put("LORAPORT_PROVIDER", provider);
        String prefix = "LORAPORT_" + provider.toUpperCase(Locale.ROOT) + "_";
        boolean isNovita = provider.equals("novita");
        env.put(prefix + "BASE_URL", isNovita ? novita.baseUrl() : modelslab.baseUrl());
        env.put(prefix + "API_KEY", isNovita ? novita.apiKey() : modelslab.apiKey());
        env.put(prefix + "RETRY_INITIAL_BACKOFF", "10ms");
        env.put(prefix + "RECONCILE_DELAY", "10ms");
        env.put(prefix + "RATELIMIT_PERMITS_PER_SECOND", "500");
        env.put(prefix + "GENERATE_POLL_INTERVAL", "20ms");
        // As `loraport simulate` prints it: the simulators here run at x1000, so the CLI polls on their time.
        env.put("LORAPORT_SIMULATOR_SPEED", "1000");
        // Never the real home folder: a command that picks the default store keeps it here.
        env.put("LORAPORT_HOME", dir.resolve("home").toString());
        return env;
    }
}
