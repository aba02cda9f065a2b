package dev.loraport.spring.boot;

import dev.loraport.ProviderConfig;
import dev.loraport.simulators.ProviderSimulator;
import java.util.ArrayList;
import java.util.List;

/** A started simulator's configuration as the {@code loraport.<id>.*} properties of the starter. */
final class SimulatorProperties {

    private SimulatorProperties() {}

    static String[] of(ProviderSimulator simulator, String... more) {
        ProviderConfig c = simulator.config();
        String p = "loraport." + simulator.providerId() + ".";
        List<String> out = new ArrayList<>();
        c.apiKey().ifPresent(k -> out.add(p + "api-key=" + k));
        c.baseUrl().ifPresent(u -> out.add(p + "base-url=" + u));
        c.options().forEach((k, v) -> out.add(p + "options." + k + "=" + v));
        out.addAll(List.of(more));
        return out.toArray(String[]::new);
    }
}
