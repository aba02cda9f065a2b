package dev.loraport.cli;

import dev.loraport.TaskId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Cancels a running job, where the service allows it. */
@Command(name = "cancel", description = "Cancel a running job (where the service offers cancel).")
final class CancelCommand implements Callable<Integer> {

    @ParentCommand
    LoraportCommand parent;

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Mixin
    ServiceOptions service = new ServiceOptions();

    @Parameters(paramLabel = "TASK", description = "the job id, or provider:id")
    String task;

    @Override
    public Integer call() {
        CliContext ctx = global.apply(parent.ctx);
        service.apply(ctx);
        TaskArg arg = TaskArg.parse(task, ctx);
        var provider = ctx.provider();
        provider.cancel(TaskId.of(arg.id()));
        if (global.json) {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("provider", provider.info().id());
            m.put("id", arg.id());
            m.put("cancelRequested", true);
            ctx.out.println(Render.json(m));
        } else {
            ctx.out.println("cancel requested: " + provider.info().id() + ":" + arg.id());
        }
        return ExitCode.OK.code();
    }
}
