package dev.loraport.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The top command: only dispatches to subcommands. */
@Command(
        name = "loraport",
        mixinStandardHelpOptions = true,
        // Every subcommand answers --help (and --version) too.
        scope = ScopeType.INHERIT,
        version = "loraport 0.1.0-SNAPSHOT",
        description = "Train LoRA models on hosted services (or the embedded simulators) through one interface.",
        subcommands = {
            DemoCommand.class,
            BenchCommand.class,
            ProvidersCommand.class,
            TrainCommand.class,
            StatusCommand.class,
            WaitCommand.class,
            ListCommand.class,
            CancelCommand.class,
            GenerateCommand.class,
            SimulateCommand.class,
            CompletionCommand.class,
            HelpCommand.class
        })
final class LoraportCommand implements Runnable {

    final CliContext ctx;

    @Spec
    CommandSpec spec;

    LoraportCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "choose a subcommand; try: loraport demo, or loraport help");
    }
}
