package dev.loraport.cli;

import dev.loraport.TaskId;
import dev.loraport.TrainingTask;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Prints one job's current state. */
@Command(name = "status", description = "Show one job's status.")
final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    LoraportCommand parent;

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Parameters(paramLabel = "TASK", description = "the job id, or a ref printed by train (provider:id)")
    String task;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
        CliContext ctx = global.apply(parent.ctx);
        TaskArg arg = TaskArg.parse(task, ctx);
        TrainingTask t = ctx.provider().status(TaskId.of(arg.id()));
        ctx.out.println(json ? Render.json(Render.task(t)) : Render.taskLine(t));
        return ExitCodes.OK;
    }
}
