package dev.loraport.cli;

import dev.loraport.Page;
import dev.loraport.TrainingTask;
import dev.loraport.watch.TaskRef;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Lists every job of the account, across all pages, or the jobs the local store knows. */
@Command(
        name = "list",
        description = {
            "List the account's jobs (all pages); with --local, the jobs the local store (--store) knows, without"
                    + " calling any service."
        })
final class ListCommand implements Callable<Integer> {

    @ParentCommand
    LoraportCommand parent;

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Mixin
    ServiceOptions service = new ServiceOptions();

    @Option(
            names = "--local",
            description = "list the jobs of the local store: submitted here and not yet seen ending, of every"
                    + " provider; endedBy says why a wait stopped early")
    boolean local;

    @Option(
            names = "--page-size",
            defaultValue = "50",
            description = "items per request, 1..100 (default ${DEFAULT-VALUE})")
    int pageSize;

    @Override
    public Integer call() {
        CliContext ctx = global.apply(parent.ctx);
        service.apply(ctx);
        if (pageSize < 1 || pageSize > 100) {
            throw new UsageException("--page-size: " + pageSize + " is out of range; allowed 1..100");
        }
        if (local) {
            return listLocal(ctx);
        }
        dev.loraport.TrainingProvider provider = ctx.provider();
        List<TrainingTask> tasks = Page.streamAll(provider, pageSize).toList();
        hintAtFetchStatus(ctx, provider.info().id(), tasks);
        if (global.json) {
            ctx.out.println(Render.json(tasks.stream().map(Render::task).toList()));
            return ExitCode.OK.code();
        }
        List<List<String>> rows = new ArrayList<>();
        for (TrainingTask t : tasks) {
            rows.add(List.of(
                    t.id().value(),
                    t.name().orElse(""),
                    t.status().name(),
                    t.rawStatus().orElse(""),
                    t.createdAt().map(Object::toString).orElse("")));
        }
        ctx.out.print(Render.table(List.of("id", "name", "status", "raw", "created"), rows));
        ctx.out.println(tasks.size() + " job(s)");
        return ExitCode.OK.code();
    }

    private int listLocal(CliContext ctx) {
        // The store a configured service's jobs go to; no provider is opened, so no simulator starts either.
        List<TaskRef> refs = ctx.store().load();
        if (global.json) {
            ctx.out.println(Render.json(refs.stream().map(LocalJobs::json).toList()));
            return ExitCode.OK.code();
        }
        List<List<String>> rows = new ArrayList<>();
        for (TaskRef r : refs) {
            rows.add(List.of(
                    r.providerId(),
                    r.taskId().value(),
                    r.clientReference() == null ? "" : r.clientReference(),
                    r.createdAt().toString(),
                    r.endedBy() == null ? "" : r.endedBy()));
        }
        ctx.out.print(Render.table(List.of("provider", "id", "client-ref", "created", "ended-by"), rows));
        ctx.out.println(refs.size() + " local job(s) " + LocalJobs.where(ctx));
        return ExitCode.OK.code();
    }

    /**
     * Some services' list (ModelsLab's) answers ids only: their rows show UNKNOWN with no name or date until the
     * adapter is told to fetch each job's status. Says so on stderr, so the table on stdout stays a table.
     */
    static void hintAtFetchStatus(CliContext ctx, String providerId, List<TrainingTask> tasks) {
        long sparse = tasks.stream()
                .filter(t -> t.status() == dev.loraport.TrainingStatus.UNKNOWN
                        || t.name().filter(n -> !n.isBlank()).isEmpty())
                .count();
        if (sparse == 0 || ctx.config().booleanOption("list.fetch-status", false)) {
            return;
        }
        String env = "LORAPORT_" + providerId.toUpperCase(java.util.Locale.ROOT) + "_LIST_FETCH_STATUS=true";
        ctx.err.println("loraport: " + sparse + " job(s) show UNKNOWN or no name/date because " + providerId
                + "'s list answers ids only; set loraport." + providerId + ".list.fetch-status=true (or " + env
                + ") to fetch each job's status, one call per job");
        ctx.err.flush();
    }
}
