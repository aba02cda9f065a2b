package dev.loraport.cli;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** Options every subcommand takes: configuration file, stack traces and JSON output. */
final class GlobalOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "a properties file with loraport.* keys")
    @Nullable
    Path config;

    @Option(names = "--verbose", description = "print stack traces of errors")
    boolean verbose;

    @Option(
            names = "--json",
            description = "print JSON on stdout; an error too, as {error, exitCode, meaning} (see docs/cli-json.md)")
    boolean json;

    CliContext apply(CliContext ctx) {
        ctx.configFile = config;
        ctx.verbose = verbose;
        ctx.json = json;
        // Checked before any command runs: train --wait would otherwise create (and bill) the job first.
        ctx.progressTerminal();
        return ctx;
    }
}
