package dev.loraport.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Runs the simulators standalone so other processes (or the CLI itself) can talk to them. */
@Command(name = "simulate", description = "Run the service simulators standalone and print how to reach them.")
final class SimulateCommand implements Callable<Integer> {

    @ParentCommand
    LoraportCommand parent;

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Option(
            names = "--speed",
            paramLabel = "FACTOR",
            defaultValue = "120",
            description = "simulated time per real time (default ${DEFAULT-VALUE})")
    double speed;

    @Option(
            names = "--only",
            paramLabel = "ID",
            description = "run only this simulator: novita, stablediffusionapi or replicate (default: all)")
    @Nullable
    String only;

    @Option(names = "--novita-port", defaultValue = "0", description = "port, 0 for any free one")
    int novitaPort;

    @Option(names = "--stablediffusionapi-port", defaultValue = "0", description = "port, 0 for any free one")
    int sdaPort;

    @Option(names = "--replicate-port", defaultValue = "0", description = "port, 0 for any free one")
    int replicatePort;

    @Option(names = "--for", paramLabel = "DURATION", description = "stop after this long (default: until Ctrl-C)")
    @Nullable
    Duration runFor;

    @Option(
            names = "--env-file",
            paramLabel = "FILE",
            description = "also write the settings to FILE as KEY=VALUE lines (for docker --env-file, dotenv, or"
                    + " `set -a; . FILE; set +a` in a shell)")
    @Nullable
    Path envFile;

    /** Released when the simulators should stop; tests count it down. */
    final CountDownLatch stop = new CountDownLatch(1);

    private int port(String id) {
        return switch (id) {
            case "novita" -> novitaPort;
            case "stablediffusionapi" -> sdaPort;
            default -> replicatePort;
        };
    }

    @Override
    public Integer call() throws InterruptedException {
        CliContext ctx = global.apply(parent.ctx);
        ctx.simulatorSpeed = SpeedCheck.check(speed);
        if (only != null && !List.of(EmbeddedSimulator.IDS).contains(only)) {
            throw new UsageException(
                    "--only: '" + only + "' is not a simulator; allowed: " + String.join(", ", EmbeddedSimulator.IDS));
        }
        List<EmbeddedSimulator> sims = new ArrayList<>();
        for (String id : EmbeddedSimulator.IDS) {
            if (only == null || only.equals(id)) {
                EmbeddedSimulator sim = EmbeddedSimulator.start(id, ctx.simulatorSpeed, port(id));
                ctx.register(sim);
                sims.add(sim);
            }
        }
        // Every line is a comment or an export, so that `eval "$(loraport simulate ...)"` and `. file` work as is.
        List<String> lines = new ArrayList<>();
        lines.add("# loraport simulators running (time x" + speed(ctx.simulatorSpeed) + "); Ctrl-C stops them.");
        EmbeddedSimulator first = sims.get(0);
        lines.add("LORAPORT_PROVIDER=" + first.simulator.providerId());
        for (EmbeddedSimulator other : sims.subList(1, sims.size())) {
            lines.add("# or: LORAPORT_PROVIDER=" + other.simulator.providerId());
        }
        // Lets wait and train --wait in another shell poll on the simulator's time, not the wall clock's: its
        // speed and the wall-clock instant its clock started give the same time there as here.
        lines.add("LORAPORT_SIMULATOR_STARTED=" + first.clock.start());
        lines.add("LORAPORT_SIMULATOR_SPEED=" + speed(ctx.simulatorSpeed));
        for (EmbeddedSimulator sim : sims) {
            String upper = sim.simulator.providerId().toUpperCase(java.util.Locale.ROOT);
            lines.add("# " + sim.simulator.providerId());
            lines.add("LORAPORT_" + upper + "_BASE_URL=" + sim.baseUrl());
            lines.add("LORAPORT_" + upper + "_API_KEY=" + sim.simulator.apiKey());
        }
        if (global.json) {
            // One object of the settings, KEY to value, for a script that reads JSON rather than sources a shell.
            java.util.Map<String, Object> settings = new java.util.LinkedHashMap<>();
            for (String line : lines) {
                if (!line.startsWith("#")) {
                    int eq = line.indexOf('=');
                    settings.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            ctx.out.println(Render.json(settings));
        } else {
            for (String line : lines) {
                ctx.out.println(line.startsWith("#") ? line : "export " + line);
            }
        }
        if (envFile != null) {
            try {
                Path parent = envFile.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                // Written whole, then moved in place: a reader that sees the file sees all of it.
                Path tmp = envFile.resolveSibling(envFile.getFileName() + ".tmp");
                Files.write(tmp, lines, StandardCharsets.UTF_8);
                Files.move(tmp, envFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UsageException("--env-file: cannot write " + envFile + ": " + e.getMessage());
            }
        }
        ctx.out.flush();
        if (runFor != null) {
            stop.await(runFor.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            stop.await();
        }
        return ExitCode.OK.code();
    }

    private static String speed(double speed) {
        return speed == Math.rint(speed) ? String.valueOf((long) speed) : String.valueOf(speed);
    }
}
