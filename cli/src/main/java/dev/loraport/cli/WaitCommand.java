package dev.loraport.cli;

import dev.loraport.TaskId;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Waits for a job submitted earlier (for example after Ctrl-C in train --wait). */
@Command(name = "wait", description = "Wait for a job to end, with a progress bar.")
final class WaitCommand implements Callable<Integer> {

    @ParentCommand
    LoraportCommand parent;

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Parameters(paramLabel = "TASK", description = "the job id, or provider:id")
    String task;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "PT2H",
            description = "how long to wait (default ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        CliContext ctx = global.apply(parent.ctx);
        TaskArg arg = TaskArg.parse(task, ctx);
        TrainingProvider provider = ctx.provider();
        ProgressView view = new ProgressView(ctx.out, !json && System.console() != null);
        TrainingTask done = ctx.follower().await(provider, TaskId.of(arg.id()), null, timeout, t -> {
            if (!json) {
                view.update(t.providerId(), t);
            }
        });
        ctx.out.println(json ? Render.json(Render.task(done)) : Render.taskLine(done));
        return done.status() == TrainingStatus.READY ? ExitCodes.OK : ExitCodes.JOB_FAILED;
    }
}
