package dev.loraport.cli;

import dev.loraport.ProviderConfig;
import dev.loraport.TrainingProvider;
import dev.loraport.decorators.LoraportMetrics;
import dev.loraport.decorators.ProviderStack;
import dev.loraport.internal.config.ConfigValues;
import dev.loraport.simulators.VirtualClock;
import dev.loraport.spi.TrainingProviders;
import dev.loraport.watch.TaskStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * What every command shares: output streams, the configuration (properties file, then environment, then
 * flags, the same keys as the library) and the providers it opened, closed at the end.
 */
final class CliContext implements AutoCloseable {
    // The embedded simulators' jobs end with the command: they are journaled here, never in a file.
    private final TaskStore journal = TaskStore.inMemory();
    private @Nullable TaskStore store;
    private LocalStore.@Nullable Choice storeChoice;

    final PrintWriter out;
    final PrintWriter err;
    final Map<String, String> environment;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<AutoCloseable> resources = new ArrayList<>();

    @Nullable
    Path configFile;

    @Nullable
    String providerFlag;

    /** {@code --store}: a file, a folder, or {@value LocalStore#NONE}; null when not given. */
    @Nullable
    String storeFlag;

    boolean verbose;
    boolean json;
    double simulatorSpeed = 120;
    boolean simulated;

    @Nullable
    Duration pollFloor;

    /** The clock of the simulator {@link #provider()} embedded, when it embedded one. */
    @Nullable
    VirtualClock embeddedClock;

    CliContext(PrintWriter out, PrintWriter err, Map<String, String> environment) {
        this.out = out;
        this.err = err;
        this.environment = environment;
    }

    /**
     * A progress view on {@code target}: bars redrawn in place on a terminal, plain lines elsewhere and none under
     * {@code --json}. {@code LORAPORT_PROGRESS} overrides the terminal check: {@code auto} (default), {@code
     * always} (bars even when piped, as under {@code script} or a CI log viewer that renders ANSI) or {@code
     * never}. The caller closes it, in a {@code finally}: until then stderr goes through it.
     */
    ProgressView progressView(PrintWriter target) {
        return new ProgressView(target, !json && progressTerminal());
    }

    /** Whether bars are drawn in place, from {@code LORAPORT_PROGRESS}; a bad value is a usage error. */
    boolean progressTerminal() {
        String mode =
                environment.getOrDefault("LORAPORT_PROGRESS", "auto").trim().toLowerCase(Locale.ROOT);
        return switch (mode) {
            case "auto" -> System.console() != null;
            case "always" -> true;
            case "never" -> false;
            default ->
                throw new UsageException(
                        "LORAPORT_PROGRESS: unknown value '" + mode + "'; allowed: auto, always, never");
        };
    }

    /** Every {@code loraport.*} key: the config file, then the environment over it, then the flags over both. */
    Map<String, String> properties() {
        Map<String, String> props = new LinkedHashMap<>();
        if (configFile != null) {
            if (!Files.isRegularFile(configFile)) {
                throw new UsageException("--config: file not found: " + configFile);
            }
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(configFile)) {
                p.load(in);
            } catch (IOException e) {
                throw new UsageException("--config: cannot read " + configFile + ": " + e.getMessage());
            }
            p.stringPropertyNames().stream().sorted().forEach(k -> props.put(k, p.getProperty(k)));
        }
        String id = providerFlag;
        if (id == null) {
            id = environment.get("LORAPORT_PROVIDER");
        }
        if (id == null) {
            id = props.get("loraport.provider");
        }
        props.putAll(ProviderConfig.propertiesFromEnvironment(
                id == null ? null : id.trim().toLowerCase(Locale.ROOT), environment));
        if (id != null) {
            props.put("loraport.provider", id.trim().toLowerCase(Locale.ROOT));
        }
        return props;
    }

    /** The configuration the flags, environment and file give, read once per question. */
    ProviderConfig config() {
        return ProviderConfig.fromMap(properties());
    }

    /** Whether the configuration points at a service (a key or a base URL), rather than nothing. */
    boolean hasRealService() {
        return isReal(config());
    }

    static boolean isReal(ProviderConfig c) {
        return c.providerId().isPresent()
                && (c.apiKey().isPresent() || c.baseUrl().isPresent());
    }

    /** The configured provider behind the full decorator stack, or an embedded simulator when none is configured. */
    TrainingProvider provider() {
        ProviderConfig config = config();
        String id = config.providerId().orElse(null);
        if (id != null && !TrainingProviders.available().contains(id)) {
            throw new UsageException("unknown provider '" + id + "'; available: " + TrainingProviders.available());
        }
        if (!isReal(config)) {
            String simId = id != null ? id : "novita";
            EmbeddedSimulator sim = EmbeddedSimulator.start(simId, simulatorSpeed, 0);
            resources.add(sim);
            simulated = true;
            embeddedClock = sim.clock;
            err.println("loraport: no service configured; using the embedded " + simId + " simulator at "
                    + sim.baseUrl() + " (time x" + (int) simulatorSpeed + ")");
            err.flush();
            return openEmbedded(sim.config());
        }
        return open(config);
    }

    /** A configured service behind the full stack, journaling its creates in {@link #store()}. */
    TrainingProvider open(ProviderConfig config) {
        return open(config, store());
    }

    /** A simulator this command started behind the full stack, journaling in memory: its jobs end with it. */
    TrainingProvider openEmbedded(ProviderConfig config) {
        return open(config, journal);
    }

    /** Like {@link #openEmbedded(ProviderConfig)}, with every logical call and attempt recorded. */
    TrainingProvider openEmbedded(ProviderConfig config, CallRecorder recorder) {
        return open(config, journal, recorder);
    }

    /** Like {@link #open(ProviderConfig)}, with every logical call and attempt recorded. */
    TrainingProvider open(ProviderConfig config, CallRecorder recorder) {
        return open(config, store(), recorder);
    }

    private TrainingProvider open(ProviderConfig config, TaskStore journal) {
        return open(config, journal, null);
    }

    private TrainingProvider open(ProviderConfig config, TaskStore journal, @Nullable CallRecorder recorder) {
        // Every stack of this command shares one store, so its creates of one account are serialised and a lost one
        // is found again; a file store also lets a later command (or another shell) find them.
        ProviderStack.Builder b =
                ProviderStack.builder().config(config).meterRegistry(meters).store(journal);
        if (recorder != null) {
            String id =
                    config.providerId().orElseThrow(() -> new UsageException("no provider id in the configuration"));
            b.adapter(recorder.inner(TrainingProviders.create(id, config)));
        }
        TrainingProvider p = b.build();
        if (recorder != null) {
            p = recorder.outer(p);
        }
        resources.add(p);
        return p;
    }

    /**
     * Which file keeps the jobs of configured services: {@code --store}, {@code loraport.store.path}, then the
     * per-user default, which a simulator in another process ({@code loraport.simulator.speed} set) does not get.
     */
    LocalStore.Choice storeChoice() {
        LocalStore.Choice c = storeChoice;
        if (c == null) {
            ProviderConfig config = config();
            boolean simulator = config.globalOption("simulator.speed").isPresent()
                    || config.globalOption("simulator.started").isPresent();
            c = LocalStore.choose(storeFlag, config.globalOption("store.path").orElse(null), simulator, environment);
            storeChoice = c;
        }
        return c;
    }

    /** The store of configured services' jobs: the file {@link #storeChoice()} names, else memory. */
    TaskStore store() {
        TaskStore s = store;
        if (s == null) {
            Path file = storeChoice().file();
            s = file == null ? journal : LocalStore.open(file);
            store = s;
        }
        return s;
    }

    /** The store of {@link #provider()}'s jobs: memory when it is an embedded simulator. */
    TaskStore providerStore() {
        return simulated ? journal : store();
    }

    /** The in-memory store the embedded simulators' stacks and watchers share. */
    TaskStore embeddedStore() {
        return journal;
    }

    /** Follows tasks of {@link #provider()} through a {@code TaskWatcher} on that provider's time. */
    TaskFollower follower() {
        return TaskFollower.forContext(this, "cli", embeddedClock);
    }

    /**
     * The speed of a simulator in another process that the configuration points at ({@code loraport.simulator.speed},
     * or {@code LORAPORT_SIMULATOR_SPEED} as {@code loraport simulate} prints it); 1 for a real service.
     */
    static double externalSimulatorSpeed(ProviderConfig config) {
        return config.globalOption("simulator.speed")
                .map(v -> {
                    double speed = ConfigValues.parseDouble("loraport.simulator.speed", v);
                    if (!(speed > 0)) {
                        throw new UsageException(
                                "loraport.simulator.speed: " + v + " is out of range; allowed a number above 0");
                    }
                    return speed;
                })
                .orElse(1.0);
    }

    /**
     * When the clock of a simulator in another process started, wall time ({@code loraport.simulator.started},
     * as {@code loraport simulate} prints it); now when not given, which is right only for a simulator started
     * just before.
     */
    static Instant externalSimulatorStart(ProviderConfig config) {
        return config.globalOption("simulator.started")
                .map(v -> {
                    try {
                        return Instant.parse(v.trim());
                    } catch (java.time.format.DateTimeParseException e) {
                        throw new UsageException("loraport.simulator.started: '" + v
                                + "' is not an instant; allowed an ISO-8601 instant such as 2026-12-02T07:00:00Z");
                    }
                })
                .orElseGet(Instant::now);
    }

    void register(AutoCloseable resource) {
        resources.add(resource);
    }

    double counter(String name, String providerId) {
        return meters.find(name).tag(LoraportMetrics.TAG_PROVIDER, providerId).counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    @Override
    public void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception ignored) {
                // Closing is best effort: the command's outcome is already decided.
            }
        }
        resources.clear();
    }
}
