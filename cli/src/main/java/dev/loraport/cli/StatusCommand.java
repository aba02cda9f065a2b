package dev.loraport.cli;

import dev.loraport.TaskId;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingTask;
import dev.loraport.watch.TaskRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Prints one job's current state, or that of every job the local store knows for the configured provider. */
@Command(
        name = "status",
        description = {
            "Show one job's status; without TASK, that of every job of the configured provider in the local store"
                    + " (--store)."
        })
final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    LoraportCommand parent;

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Mixin
    ServiceOptions service = new ServiceOptions();

    @Parameters(
            arity = "0..1",
            paramLabel = "TASK",
            description = "the job id, or a ref printed by train (provider:id); default: every local job")
    @Nullable
    String task;

    @Override
    public Integer call() {
        CliContext ctx = global.apply(parent.ctx);
        service.apply(ctx);
        if (task != null) {
            TaskArg arg = TaskArg.parse(task, ctx);
            TrainingTask t = ctx.provider().status(TaskId.of(arg.id()));
            ctx.out.println(global.json ? Render.json(Render.task(t)) : Render.taskLine(t));
            return ended(t) ? ExitCode.JOB_FAILED.code() : ExitCode.OK.code();
        }
        List<TaskRef> refs = LocalJobs.ofConfiguredProvider(ctx, "status");
        TrainingProvider provider = ctx.provider();
        List<Map<String, Object>> rows = new ArrayList<>();
        int code = ExitCode.OK.code();
        for (TaskRef ref : refs) {
            try {
                TrainingTask t = provider.status(ref.taskId());
                rows.add(Render.task(t));
                if (ended(t) && code == ExitCode.OK.code()) {
                    code = ExitCode.JOB_FAILED.code();
                }
                if (!global.json) {
                    ctx.out.println(Render.taskLine(t));
                }
            } catch (RuntimeException e) {
                // One job gone at the service (or one failed call) must not hide the others.
                ctx.err.println("loraport: " + ref.providerId() + ":" + ref.taskId() + ": " + e.getMessage());
                if (code == ExitCode.OK.code()) {
                    code = ExitCode.codeOf(e);
                }
            }
        }
        if (global.json) {
            ctx.out.println(Render.json(rows));
        } else if (refs.isEmpty()) {
            ctx.out.println(LocalJobs.none(ctx));
        }
        return code;
    }

    /** FAILED or CANCELED: what a script checking {@code status} must not take for success. */
    private static boolean ended(TrainingTask t) {
        return t.status() == dev.loraport.TrainingStatus.FAILED || t.status() == dev.loraport.TrainingStatus.CANCELED;
    }
}
