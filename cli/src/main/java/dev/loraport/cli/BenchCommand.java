package dev.loraport.cli;

import dev.loraport.cli.TrainingWorkload.Lane;
import dev.loraport.cli.TrainingWorkload.TaskRun;
import dev.loraport.simulators.Endpoint;
import dev.loraport.simulators.Fault;
import dev.loraport.simulators.SimulatorServer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * The job-lifecycle benchmark: the same training workload on every provider (embedded simulators unless
 * {@code --real}), optionally under a fault profile, measured from submission to READY. Writes the figures as
 * JSON, an HTML page and a PNG chart, and prints a table.
 */
@Command(
        name = "bench",
        description = "Run the same training workload on every provider and compare time to accept, time to READY, "
                + "calls, retries and failures; writes bench.json, report.html and lifecycle.png.")
final class BenchCommand implements Callable<Integer> {

    /** Fault profiles, scripted on the embedded simulators before the first call. */
    enum FaultProfile {
        /** No injected faults. */
        NONE("no injected faults"),
        /** A share of polls (status and list) and image uploads fail with 5xx. */
        FLAKY("20% of status and list calls fail with 503, 10% of uploads with 502"),
        /** Every third poll (status or list) is answered 429 without Retry-After. */
        THROTTLED("every 3rd status and list call is refused with 429 (no Retry-After: the client backs off)"),
        /** The first create takes effect on the service but its response is lost. */
        LOST_CREATE("the first create is accepted but its response is lost (connection reset)"),
        /** All of the above at once. */
        CHAOS("flaky + throttled + lost-create");

        final String description;

        FaultProfile(String description) {
            this.description = description;
        }

        String cliName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static FaultProfile parse(String value) {
            for (FaultProfile p : values()) {
                if (p.cliName().equals(value.trim().toLowerCase(Locale.ROOT))) {
                    return p;
                }
            }
            throw new UsageException("--faults: unknown profile '" + value + "'; allowed: "
                    + Arrays.stream(values()).map(FaultProfile::cliName).collect(Collectors.joining(", ")));
        }

        void apply(SimulatorServer sim) {
            if (this == FLAKY || this == CHAOS) {
                // The watcher refreshes several tasks from list pages, so polls are faulted on both endpoints.
                sim.failRandomly(0.2, 7, Endpoint.STATUS, Fault.serverError(503));
                sim.failRandomly(0.2, 13, Endpoint.LIST, Fault.serverError(503));
                sim.failRandomly(0.1, 11, Endpoint.UPLOAD, Fault.serverError(502));
            }
            if (this == THROTTLED || this == CHAOS) {
                sim.failEvery(3, Endpoint.STATUS, Fault.rateLimited());
                sim.failEvery(3, Endpoint.LIST, Fault.rateLimited());
            }
            if (this == LOST_CREATE || this == CHAOS) {
                sim.failNext(Endpoint.CREATE, Fault.acceptedButLost());
            }
        }
    }

    static final int MAX_JOBS = 50;

    @ParentCommand
    LoraportCommand parent;

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Mixin
    ServiceOptions service = new ServiceOptions();

    @Mixin
    PollOptions poll = new PollOptions();

    @Option(names = "--real", description = "run on the configured real service (spends money: one training per job)")
    boolean real;

    // No picocli default: with --real every job is a paid training, so the default depends on --real.
    @Option(
            names = "--jobs",
            paramLabel = "N",
            description = "trainings per provider, 1 to " + MAX_JOBS + " (default 3 on the simulators, 1 with --real)")
    @Nullable
    Integer jobsOption;

    @Option(
            names = "--faults",
            defaultValue = "none",
            paramLabel = "PROFILE",
            description = "fault profile on the simulators: none, flaky, throttled, lost-create, chaos "
                    + "(default ${DEFAULT-VALUE})")
    String faults;

    @Option(
            names = "--out",
            defaultValue = "loraport-out/bench",
            paramLabel = "DIR",
            description = "where to write bench.json, report.html and lifecycle.png (default ${DEFAULT-VALUE})")
    Path out;

    // No picocli default: a real training takes far longer than a simulated one.
    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            description = "how long to wait for every training to end (default PT5M on the simulators, PT2H with "
                    + "--real)")
    @Nullable
    Duration timeoutOption;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = global.apply(parent.ctx);
        service.apply(ctx);
        poll.apply(ctx);
        int jobs = jobsOption != null ? jobsOption : real ? 1 : 3;
        Duration timeout = TrainingWorkload.timeout(timeoutOption, real, Duration.ofMinutes(5));
        if (jobs < 1 || jobs > MAX_JOBS) {
            throw new UsageException("--jobs: " + jobs + " is out of range; allowed 1 to " + MAX_JOBS);
        }
        FaultProfile profile = FaultProfile.parse(faults);
        if (real && profile != FaultProfile.NONE) {
            throw new UsageException("--faults: " + profile.cliName()
                    + " is injected by the simulators only; allowed with --real: none");
        }
        PrintWriter log = global.json ? ctx.err : ctx.out;
        List<Lane> lanes = real
                ? List.of(TrainingWorkload.realLane(ctx, true))
                : TrainingWorkload.simulatedLanes(ctx, profile::apply, true);
        log.println("loraport bench: " + jobs + " training(s) per provider on " + lanes.size()
                + (real ? " real service(s)" : " simulated services (time x" + (int) ctx.simulatorSpeed + ")")
                + ", faults: " + profile.cliName());
        log.flush();

        Instant started = Instant.now();
        long t0 = System.nanoTime();
        boolean ended;
        // Closed however the run ends, so stderr is never left going through bars nobody draws any more.
        try (ProgressView view = ctx.progressView(log)) {
            ended = TrainingWorkload.run(lanes, jobs, timeout, (lane, job) -> {}, (lane, job) -> {
                if (!global.json) {
                    view.update(lane.label(job), job.task);
                }
            });
        }
        double wallSeconds = (System.nanoTime() - t0) / 1e9;

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("started", started.toString());
        result.put("faults", profile.cliName());
        result.put("faultDescription", profile.description);
        result.put("jobsPerProvider", jobs);
        result.put("real", real);
        result.put("simulatorSpeed", real ? null : ctx.simulatorSpeed);
        result.put("wallSeconds", round(wallSeconds));
        List<Map<String, Object>> providers = new ArrayList<>();
        for (Lane lane : lanes) {
            providers.add(BenchFigures.of(ctx, lane));
        }
        result.put("providers", providers);

        Files.createDirectories(out);
        Path jsonFile = out.resolve("bench.json");
        Files.writeString(jsonFile, Render.json(result));
        BenchReport.Written written = BenchReport.write(result, out);
        if (global.json) {
            ctx.out.println(Render.json(result));
        } else {
            printTable(ctx.out, providers);
        }
        log.println(
                "wrote " + jsonFile + ", " + written.html() + (written.chart() != null ? ", " + written.chart() : ""));
        if (written.chartError() != null) {
            ctx.err.println("loraport: no chart: " + written.chartError());
        }
        if (!ended) {
            return ExitCode.UNAVAILABLE.code();
        }
        boolean allReady = lanes.stream().allMatch(l -> l.runs.stream().allMatch(TaskRun::ready));
        return allReady ? ExitCode.OK.code() : ExitCode.JOB_FAILED.code();
    }

    /** Nearest-rank percentile of sorted values, or null when there are none. */
    static Long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return null;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static void printTable(PrintWriter out, List<Map<String, Object>> providers) {
        LongFunction<String> secs = s -> Render.duration(Duration.ofSeconds(s));
        List<List<String>> rows = new ArrayList<>();
        for (Map<String, Object> m : providers) {
            @SuppressWarnings("unchecked")
            Map<String, Object> h = (Map<String, Object>) m.get("headline");
            Object acceptP50 = m.get("acceptSecondsP50");
            Object readyP50 = m.get("readySecondsP50");
            rows.add(List.of(
                    String.valueOf(m.get("provider")),
                    m.get("ready") + "/" + m.get("jobs"),
                    acceptP50 == null ? "-" : secs.apply((Long) acceptP50),
                    readyP50 == null ? "-" : secs.apply((Long) readyP50),
                    String.valueOf(m.get("apiCallsPerJob")),
                    h.get("faultsInjected") + "/" + h.get("faultsAbsorbed"),
                    String.valueOf(h.get("retries")),
                    String.valueOf(h.get("lostCreatesReconciled")),
                    h.get("duplicateTrainings") == null ? "n/a" : String.valueOf(h.get("duplicateTrainings"))));
        }
        boolean simulated = providers.stream().anyMatch(m -> "simulated".equals(m.get("clock")));
        out.println();
        out.print(Render.table(
                List.of(
                        "provider",
                        "READY",
                        "accept p50",
                        "to READY p50",
                        "calls/job",
                        "faults in/absorbed",
                        "retries",
                        "lost creates found",
                        "duplicates"),
                rows));
        out.println(simulated ? "times on the simulators' clock (simulated time)" : "times on the wall clock");
    }
}
