package dev.loraport.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;

/**
 * Entry point of the {@code loraport} command.
 *
 * @since 0.1
 */
public final class Main {

    private Main() {}

    /**
     * Runs the command and exits with its code: 0 success, 1 job failed, 2 usage error, 3 authentication,
     * 4 quota, 5 service unavailable.
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
        try (CliContext ctx = new CliContext(out, err, environment)) {
            CommandLine cl = new CommandLine(new LoraportCommand(ctx));
            // The library's duration syntax (500ms, 30s, PT2H) everywhere, so flags and config keys agree.
            cl.registerConverter(
                    java.time.Duration.class,
                    v -> dev.loraport.internal.config.ConfigValues.parseDuration("duration", v));
            cl.setOut(out);
            cl.setErr(err);
            cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                commandLine.getErr().println("loraport: " + message);
                if (ctx.verbose) {
                    e.printStackTrace(commandLine.getErr());
                }
                commandLine.getErr().flush();
                return ExitCodes.of(e);
            });
            int code = cl.execute(args);
            out.flush();
            err.flush();
            return code;
        }
    }
}
