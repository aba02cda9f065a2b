package dev.loraport.cli;

import dev.loraport.Page;
import dev.loraport.TrainingTask;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Lists every job of the account, across all pages. */
@Command(name = "list", description = "List the account's jobs (all pages).")
final class ListCommand implements Callable<Integer> {

    @ParentCommand
    LoraportCommand parent;

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Option(
            names = "--page-size",
            defaultValue = "50",
            description = "items per request, 1..100 (default ${DEFAULT-VALUE})")
    int pageSize;

    @Override
    public Integer call() {
        CliContext ctx = global.apply(parent.ctx);
        if (pageSize < 1 || pageSize > 100) {
            throw new UsageException("--page-size: " + pageSize + " is out of range; allowed 1..100");
        }
        List<TrainingTask> tasks = Page.streamAll(ctx.provider(), pageSize).toList();
        if (json) {
            ctx.out.println(Render.json(tasks.stream().map(Render::task).toList()));
            return ExitCodes.OK;
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
        return ExitCodes.OK;
    }
}
