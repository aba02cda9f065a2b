package dev.loraport.cli;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** Options every subcommand takes. */
final class GlobalOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "a properties file with loraport.* keys")
    @Nullable
    Path config;

    @Option(names = "--provider", paramLabel = "ID", description = "provider id (overrides loraport.provider)")
    @Nullable
    String provider;

    @Option(names = "--store", paramLabel = "FILE", description = LocalStore.HELP)
    @Nullable
    String store;

    @Option(names = "--verbose", description = "print stack traces of errors")
    boolean verbose;

    @Option(
            names = "--speed",
            paramLabel = "FACTOR",
            defaultValue = "120",
            description = "simulated time per real time on the embedded simulators (default ${DEFAULT-VALUE})")
    double speed;

    @Option(
            names = "--poll-min",
            paramLabel = "DURATION",
            description = "shortest wait between status polls (default 5s, 200ms on the embedded simulators)")
    @Nullable
    Duration pollMin;

    CliContext apply(CliContext ctx) {
        ctx.pollFloor = pollMin;
        ctx.configFile = config;
        ctx.providerFlag = provider;
        ctx.storeFlag = store;
        ctx.verbose = verbose;
        if (!(speed > 0)) {
            throw new UsageException("--speed: " + speed + " is out of range; allowed > 0");
        }
        ctx.simulatorSpeed = speed;
        return ctx;
    }
}
