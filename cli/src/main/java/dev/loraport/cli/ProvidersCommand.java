package dev.loraport.cli;

import dev.loraport.ProviderConfig;
import dev.loraport.ProviderInfo;
import dev.loraport.TrainingProvider;
import dev.loraport.spi.TrainingProviders;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** Lists the providers found on the class path and what each supports. */
@Command(name = "providers", description = "List the providers found and their capabilities.")
final class ProvidersCommand implements Callable<Integer> {

    @ParentCommand
    LoraportCommand parent;

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Override
    public Integer call() {
        CliContext ctx = global.apply(parent.ctx);
        List<ProviderInfo> infos = new ArrayList<>();
        for (String id : TrainingProviders.available()) {
            // Creating an adapter makes no call; the placeholder key only satisfies its builder.
            try (TrainingProvider p = TrainingProviders.create(
                    id, ProviderConfig.builder().providerId(id).apiKey("unused").build())) {
                infos.add(p.info());
            }
        }
        if (global.json) {
            ctx.out.println(Render.json(infos.stream().map(Render::provider).toList()));
            return ExitCode.OK.code();
        }
        List<List<String>> rows = new ArrayList<>();
        for (ProviderInfo i : infos) {
            var c = i.capabilities();
            rows.add(List.of(
                    i.id(),
                    i.displayName(),
                    c.trainingKinds().toString(),
                    c.imageCount().toString(),
                    c.baseModels().isEmpty()
                            ? "any"
                            : Integer.toString(c.baseModels().size()),
                    yes(c.supportsCancel()) + "/" + yes(c.supportsList()) + "/" + yes(c.supportsGenerate())));
        }
        ctx.out.print(
                Render.table(List.of("id", "name", "kinds", "images", "base models", "cancel/list/generate"), rows));
        return ExitCode.OK.code();
    }

    private static String yes(boolean b) {
        return b ? "yes" : "no";
    }
}
