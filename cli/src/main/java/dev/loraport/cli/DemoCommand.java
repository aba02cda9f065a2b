package dev.loraport.cli;

import dev.loraport.GenerationRequest;
import dev.loraport.GenerationResult;
import dev.loraport.cli.TrainingWorkload.Lane;
import dev.loraport.cli.TrainingWorkload.TaskRun;
import dev.loraport.simulators.Endpoint;
import dev.loraport.simulators.Fault;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * The main job: trains the same small subject LoRA on every provider, shows a progress bar per job, generates
 * one image with each trained LoRA and prints a side-by-side table. Runs on embedded simulators unless
 * {@code --real} is given with a configured service, so it never spends money by accident.
 */
@Command(
        name = "demo",
        description = "Train one LoRA on each provider (embedded simulators unless --real) and compare.")
final class DemoCommand implements Callable<Integer> {

    @ParentCommand
    LoraportCommand parent;

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Mixin
    ServiceOptions service = new ServiceOptions();

    @Mixin
    PollOptions poll = new PollOptions();

    @Option(names = "--real", description = "use the configured real service (spends money)")
    boolean real;

    @Option(
            names = "--out",
            defaultValue = "loraport-out/demo",
            paramLabel = "DIR",
            description = "where to save images")
    Path out;

    @Option(
            names = "--fault-rate",
            defaultValue = "0.1",
            description =
                    "share of status calls the simulators fail with 503, to show retries (default ${DEFAULT-VALUE})")
    double faultRate;

    // No picocli default: a real training takes far longer than a simulated one.
    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            description = "how long to wait for training (default PT2M on the simulators, PT2H with --real)")
    @Nullable
    Duration timeoutOption;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = global.apply(parent.ctx);
        service.apply(ctx);
        poll.apply(ctx);
        if (!(faultRate >= 0 && faultRate < 1)) {
            throw new UsageException("--fault-rate: " + faultRate + " is out of range; allowed 0 to below 1");
        }
        Duration timeout = TrainingWorkload.timeout(timeoutOption, real, Duration.ofMinutes(2));
        PrintWriter log = global.json ? ctx.err : ctx.out;
        List<Lane> lanes;
        if (real) {
            lanes = List.of(TrainingWorkload.realLane(ctx, false));
        } else {
            lanes = TrainingWorkload.simulatedLanes(
                    ctx,
                    sim -> {
                        if (faultRate > 0) {
                            sim.failRandomly(faultRate, 42, Endpoint.STATUS, Fault.serverError(503));
                        }
                    },
                    false);
            log.println("loraport demo: training one subject LoRA on " + lanes.size()
                    + " simulated services (time x" + (int) ctx.simulatorSpeed
                    + (faultRate > 0 ? ", " + Math.round(faultRate * 100) + "% of status calls fail with 503" : "")
                    + ")");
        }

        boolean ended;
        // Closed however the run ends, so stderr is never left going through bars nobody draws any more.
        try (ProgressView view = ctx.progressView(ctx.out)) {
            ended = TrainingWorkload.run(
                    lanes,
                    1,
                    timeout,
                    (lane, job) -> {
                        String line = "submitted " + lane.id + ":" + job.task.id();
                        if (global.json) {
                            log.println(line);
                        } else {
                            view.note(line);
                        }
                    },
                    (lane, job) -> {
                        if (!global.json) {
                            view.update(lane.label(job), job.task);
                        }
                    });
        }

        for (Lane lane : lanes) {
            TaskRun job = lane.runs.get(0);
            if (job.ready() && !job.task.models().isEmpty()) {
                try {
                    GenerationResult result = lane.provider.generate(GenerationRequest.builder()
                            .prompt("a portrait photo of ohwx person, studio light")
                            .addLora(job.task.models().get(0).name(), 0.7)
                            .build());
                    job.image = GenerateCommand.save(result, out, lane.id, true).get(0);
                } catch (RuntimeException e) {
                    job.error = "generate: " + e.getMessage();
                }
            }
        }
        report(ctx, lanes);
        if (!ended) {
            return ExitCode.UNAVAILABLE.code();
        }
        return lanes.stream().allMatch(l -> l.runs.get(0).ready()) ? ExitCode.OK.code() : ExitCode.JOB_FAILED.code();
    }

    private void report(CliContext ctx, List<Lane> lanes) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Lane run : lanes) {
            TaskRun job = run.runs.get(0);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("provider", run.id);
            m.put("task", job.task == null ? null : job.task.id().value());
            m.put("acceptMillis", job.task == null ? null : job.acceptMillis);
            m.put("readySimulatedSeconds", job.ready() && job.toEnd != null ? job.toEnd.toSeconds() : null);
            m.put("apiCalls", TrainingWorkload.apiCalls(ctx, run));
            m.put("retries", TrainingWorkload.retries(ctx, run));
            m.put(
                    "status",
                    job.task == null ? "NOT SUBMITTED" : job.task.status().name());
            m.put("image", job.image == null ? null : job.image.toString());
            m.put("error", job.error);
            rows.add(m);
        }
        if (global.json) {
            ctx.out.println(Render.json(rows));
            return;
        }
        List<List<String>> table = new ArrayList<>();
        for (Map<String, Object> m : rows) {
            table.add(List.of(
                    String.valueOf(m.get("provider")),
                    m.get("acceptMillis") == null ? "-" : m.get("acceptMillis") + " ms",
                    m.get("readySimulatedSeconds") == null
                            ? "-"
                            : Render.duration(Duration.ofSeconds((Long) m.get("readySimulatedSeconds"))),
                    String.valueOf(m.get("apiCalls")),
                    String.valueOf(m.get("retries")),
                    String.valueOf(m.get("status")),
                    m.get("image") == null ? String.valueOf(m.get("error")) : String.valueOf(m.get("image"))));
        }
        ctx.out.println();
        ctx.out.print(Render.table(
                List.of(
                        "provider",
                        "accepted in",
                        "READY after (simulated)",
                        "API calls",
                        "retries",
                        "status",
                        "image"),
                table));
    }
}
