package dev.loraport.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code loraport help [COMMAND]}: the usage of loraport or of one command, as picocli prints it, or under
 * {@code --json} the same as data (options, parameters, subcommands), for scripts and tools that build on the
 * command. In place of picocli's own help command, which has no {@code --json}.
 */
@Command(
        name = "help",
        helpCommand = true,
        description = "Show the usage of loraport or of one command; with --json, as data.")
final class HelpCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(
            arity = "0..1",
            paramLabel = "COMMAND",
            description = "the command to explain (default: loraport itself)")
    @Nullable
    String command;

    @Option(names = "--json", description = "print the usage as JSON on stdout (see docs/cli-json.md)")
    boolean json;

    @Override
    public Integer call() {
        CommandLine root = spec.commandLine().getParent();
        CommandLine target = root;
        if (command != null) {
            target = root.getSubcommands().get(command);
            if (target == null) {
                throw new UsageException("help: unknown command '" + command + "'; allowed: "
                        + String.join(", ", root.getSubcommands().keySet()));
            }
        }
        var out = spec.commandLine().getOut();
        if (json) {
            out.println(Render.json(describe(target)));
        } else {
            target.usage(out);
        }
        out.flush();
        return ExitCode.OK.code();
    }

    private static Map<String, Object> describe(CommandLine cl) {
        CommandSpec s = cl.getCommandSpec();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", s.qualifiedName());
        m.put("description", String.join("\n", s.usageMessage().description()));
        m.put("usage", cl.getUsageMessage(CommandLine.Help.Ansi.OFF));
        List<Map<String, Object>> options = new ArrayList<>();
        for (OptionSpec o : s.options()) {
            Map<String, Object> om = new LinkedHashMap<>();
            om.put("names", List.of(o.names()));
            om.put("paramLabel", o.arity().max() == 0 ? null : o.paramLabel());
            om.put("description", String.join(" ", o.description()));
            om.put("required", o.required());
            om.put("defaultValue", o.defaultValue());
            options.add(om);
        }
        m.put("options", options);
        List<Map<String, Object>> parameters = new ArrayList<>();
        for (PositionalParamSpec p : s.positionalParameters()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("paramLabel", p.paramLabel());
            pm.put("description", String.join(" ", p.description()));
            pm.put("required", p.arity().min() > 0);
            parameters.add(pm);
        }
        m.put("parameters", parameters);
        m.put("subcommands", new ArrayList<>(cl.getSubcommands().keySet()));
        return m;
    }
}
