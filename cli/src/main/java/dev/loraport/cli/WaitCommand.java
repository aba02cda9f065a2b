package dev.loraport.cli;

import dev.loraport.TaskId;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import dev.loraport.watch.TaskRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Waits for a job submitted earlier (for example after Ctrl-C in train --wait), or for every local job. */
@Command(
        name = "wait",
        description = {
            "Wait for a job to end, with a progress bar; without TASK, for every job of the configured provider in"
                    + " the local store (--store). A job that ends leaves the store; one still running at --timeout"
                    + " stays, marked."
        })
final class WaitCommand implements Callable<Integer> {

    @ParentCommand
    LoraportCommand parent;

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Mixin
    ServiceOptions service = new ServiceOptions();

    @Mixin
    PollOptions poll = new PollOptions();

    @Parameters(
            arity = "0..1",
            paramLabel = "TASK",
            description = "the job id, or provider:id; default: every local job")
    @Nullable
    String task;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "PT2H",
            description = "how long to wait (default ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    public Integer call() throws InterruptedException {
        CliContext ctx = global.apply(parent.ctx);
        service.apply(ctx);
        poll.apply(ctx);
        if (task == null) {
            return waitForLocalJobs(ctx);
        }
        TaskArg arg = TaskArg.parse(task, ctx);
        TrainingProvider provider = ctx.provider();
        TaskId id = TaskId.of(arg.id());
        TaskFollower follower = ctx.follower();
        // The stored ref, when there is one, keeps its client reference and submission time.
        TaskRef ref = ctx.providerStore().load().stream()
                .filter(r -> r.providerId().equals(provider.info().id())
                        && r.taskId().equals(id))
                .findFirst()
                .orElseGet(() -> TaskRef.of(provider.info().id(), id, follower.now()));
        TrainingTask done;
        // Closed however the wait ends, so stderr is never left going through bars nobody draws any more.
        try (ProgressView view = ctx.progressView(ctx.out)) {
            done = follower.await(provider, ref, null, timeout, t -> {
                if (!global.json) {
                    view.update(t.providerId(), t);
                }
            });
        }
        ctx.out.println(global.json ? Render.json(Render.task(done)) : Render.taskLine(done));
        return done.status() == TrainingStatus.READY ? ExitCode.OK.code() : ExitCode.JOB_FAILED.code();
    }

    private int waitForLocalJobs(CliContext ctx) throws InterruptedException {
        List<TaskRef> refs = LocalJobs.ofConfiguredProvider(ctx, "wait");
        if (refs.isEmpty()) {
            if (global.json) {
                ctx.out.println(Render.json(List.of()));
            } else {
                ctx.out.println(LocalJobs.none(ctx));
            }
            return ExitCode.OK.code();
        }
        TrainingProvider provider = ctx.provider();
        if (!global.json) {
            ctx.out.println("waiting for " + refs.size() + " local job(s) of "
                    + provider.info().id());
            ctx.out.flush();
        }
        // One watcher for all of them: it refreshes many jobs with one list call where the service allows.
        List<TaskFollower.Outcome> outcomes = ctx.follower().awaitAll(provider, refs, timeout, t -> {});
        List<Map<String, Object>> rows = new ArrayList<>();
        int code = ExitCode.OK.code();
        for (TaskFollower.Outcome o : outcomes) {
            TrainingTask t = o.task();
            RuntimeException error = o.error();
            if (error != null) {
                ctx.err.println("loraport: " + error.getMessage());
                if (code == ExitCode.OK.code() || code == ExitCode.JOB_FAILED.code()) {
                    code = ExitCode.codeOf(error);
                }
            } else if (t != null && t.status() != TrainingStatus.READY && code == ExitCode.OK.code()) {
                code = ExitCode.JOB_FAILED.code();
            }
            if (t != null) {
                rows.add(Render.task(t));
                if (!global.json) {
                    ctx.out.println(Render.taskLine(t));
                }
            }
        }
        if (global.json) {
            ctx.out.println(Render.json(rows));
        }
        return code;
    }
}
