package dev.loraport.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Entry point of the {@code loraport} command.
 *
 * @since 0.1
 */
public final class Main {

    private Main() {}

    /**
     * Runs the command and exits with its code; the README's "Exit codes" table lists them (0 success, 1 job
     * failed, 2 usage error, 3 authentication, 4 quota, 5 service unavailable, 6 not found, 7 rejected, 130
     * interrupted).
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, out, err, System.getenv()));
    }

    /**
     * Runs the command in-process, for tests and embedding.
     *
     * @param args the command line
     * @param out standard output
     * @param err standard error
     * @param environment the environment variables to read configuration from
     * @return the exit code
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> environment) {
        // Known before parsing, so that even an option picocli cannot parse is reported as JSON.
        boolean json = wantsJson(args);
        try (CliContext ctx = new CliContext(out, err, environment)) {
            CommandLine cl = commandLine(ctx);
            cl.setOut(out);
            cl.setErr(err);
            cl.setParameterExceptionHandler((ex, arguments) -> {
                String message = ex.getMessage();
                if (ex instanceof UnmatchedArgumentException u
                        && !u.getSuggestions().isEmpty()) {
                    message += " (did you mean: " + String.join(", ", u.getSuggestions()) + "?)";
                }
                return fail(ex.getCommandLine(), json, ExitCode.USAGE, message);
            });
            cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                if (ctx.verbose) {
                    e.printStackTrace(commandLine.getErr());
                }
                return fail(commandLine, json || ctx.json, ExitCode.of(e), message);
            });
            int code = cl.execute(args);
            out.flush();
            err.flush();
            return code;
        }
    }

    /** The command tree with its converters and parser settings, for {@link #run} and for the completion script. */
    static CommandLine commandLine(CliContext ctx) {
        CommandLine cl = new CommandLine(new LoraportCommand(ctx));
        // The library's duration syntax (500ms, 30s, PT2H) everywhere, so flags and config keys agree.
        cl.registerConverter(
                java.time.Duration.class, v -> dev.loraport.internal.config.ConfigValues.parseDuration("duration", v));
        // --kind subject as well as --kind SUBJECT.
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }

    /**
     * Reports an error: one line and a hint on stderr, or under {@code --json} one JSON object on stdout with the
     * code and what it means.
     */
    private static int fail(CommandLine commandLine, boolean json, ExitCode code, String message) {
        String command = commandLine.getCommandSpec().qualifiedName();
        String hint = "Try '" + command + " --help' for more information.";
        if (json) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("error", message);
            error.put("exitCode", code.code());
            error.put("meaning", code.id());
            error.put("description", code.meaning());
            if (code == ExitCode.USAGE) {
                error.put("hint", hint);
            }
            commandLine.getOut().println(Render.json(error));
            commandLine.getOut().flush();
        } else {
            PrintWriter err = commandLine.getErr();
            err.println("loraport: " + message);
            if (code == ExitCode.USAGE) {
                err.println(hint);
            }
            err.flush();
        }
        return code.code();
    }

    private static boolean wantsJson(String[] args) {
        for (String a : args) {
            if (a.equals("--")) {
                return false;
            }
            if (a.equals("--json")) {
                return true;
            }
        }
        return false;
    }

    /** The README's exit-code table rows, from the enum; a test checks the README holds each of them. */
    static List<String> exitCodeTable() {
        return java.util.Arrays.stream(ExitCode.values())
                .map(c -> "| " + c.code() + " | `" + c.id() + "` | " + c.meaning() + " |")
                .toList();
    }
}
