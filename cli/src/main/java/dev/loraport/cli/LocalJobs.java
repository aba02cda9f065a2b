package dev.loraport.cli;

import dev.loraport.ProviderConfig;
import dev.loraport.watch.TaskRef;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The jobs the local store knows, as {@code list --local}, {@code status} and {@code wait} without TASK read them. */
final class LocalJobs {

    private LocalJobs() {}

    /**
     * The stored jobs of the configured provider. Requires a configured service: without one the command would start
     * an embedded simulator, which knows none of them.
     */
    static List<TaskRef> ofConfiguredProvider(CliContext ctx, String command) {
        ProviderConfig config = ctx.config();
        if (!CliContext.isReal(config)) {
            throw new UsageException(command + ": TASK is required when no service is configured; without it, "
                    + command + " reads the local store's jobs of the configured provider (set LORAPORT_PROVIDER"
                    + " and its API key)");
        }
        String id = config.providerId().orElseThrow();
        return ctx.store().load().stream()
                .filter(r -> r.providerId().equals(id))
                .toList();
    }

    /** Where the store is, for a footer: the file and what chose it, or why there is none. */
    static String where(CliContext ctx) {
        LocalStore.Choice c = ctx.storeChoice();
        Path file = c.file();
        return file == null ? "in memory only (" + c.source() + ")" : "in " + file + " (" + c.source() + ")";
    }

    /** The line printed when the store holds no job of the configured provider. */
    static String none(CliContext ctx) {
        return "no local jobs of " + ctx.config().providerId().orElse("any provider") + " " + where(ctx);
    }

    /** One stored job as JSON fields. */
    static Map<String, Object> json(TaskRef ref) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("provider", ref.providerId());
        m.put("id", ref.taskId().value());
        m.put("ref", ref.providerId() + ":" + ref.taskId().value());
        m.put("clientReference", ref.clientReference());
        m.put("createdAt", ref.createdAt().toString());
        m.put("endedBy", ref.endedBy());
        return m;
    }
}
