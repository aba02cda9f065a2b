package dev.loraport.cli;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The option of the commands that poll a job until it ends. */
final class PollOptions {

    @Option(
            names = "--poll-min",
            paramLabel = "DURATION",
            description = "shortest wait between status polls (default 5s, 200ms on the embedded simulators)")
    @Nullable
    Duration pollMin;

    CliContext apply(CliContext ctx) {
        ctx.pollFloor = pollMin;
        return ctx;
    }
}
