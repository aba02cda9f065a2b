package dev.loraport.cli;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** Options of the commands that talk to a provider: which one, where its jobs are kept, the simulators' speed. */
final class ServiceOptions {

    @Option(names = "--provider", paramLabel = "ID", description = "provider id (overrides loraport.provider)")
    @Nullable
    String provider;

    @Option(names = "--store", paramLabel = "FILE", description = LocalStore.HELP)
    @Nullable
    String store;

    @Option(
            names = "--speed",
            paramLabel = "FACTOR",
            defaultValue = "120",
            description = "simulated time per real time on the embedded simulators (default ${DEFAULT-VALUE})")
    double speed;

    CliContext apply(CliContext ctx) {
        ctx.providerFlag = provider;
        ctx.storeFlag = store;
        ctx.simulatorSpeed = SpeedCheck.check(speed);
        return ctx;
    }
}
