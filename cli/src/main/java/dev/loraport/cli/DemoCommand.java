package dev.loraport.cli;

import dev.loraport.GenerationRequest;
import dev.loraport.GenerationResult;
import dev.loraport.ProviderConfig;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import dev.loraport.decorators.LoraportMetrics;
import dev.loraport.testkit.Endpoint;
import dev.loraport.testkit.Fault;
import dev.loraport.testkit.SampleImages;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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

    @Option(
            names = "--timeout",
            defaultValue = "PT2M",
            description = "how long to wait for training (default ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--json", description = "print the comparison as JSON")
    boolean json;

    /** One provider's run. */
    private static final class Run {
        final String id;
        final TrainingProvider provider;
        final @Nullable EmbeddedSimulator sim;

        @Nullable
        TrainingTask task;

        long acceptMillis;

        @Nullable
        Instant acceptedAt;

        @Nullable
        Duration toReady;

        @Nullable
        Path image;

        @Nullable
        String error;

        Run(String id, TrainingProvider provider, @Nullable EmbeddedSimulator sim) {
            this.id = id;
            this.provider = provider;
            this.sim = sim;
        }

        Instant now() {
            return sim != null ? sim.clock.now() : Instant.now();
        }
    }

    @Override
    public Integer call() throws Exception {
        CliContext ctx = global.apply(parent.ctx);
        if (!(faultRate >= 0 && faultRate < 1)) {
            throw new UsageException("--fault-rate: " + faultRate + " is out of range; allowed 0 to below 1");
        }
        List<Run> runs = new ArrayList<>();
        if (real) {
            ProviderConfig config = ctx.config();
            if (!CliContext.isReal(config)) {
                throw new UsageException("--real: no service configured; set LORAPORT_PROVIDER and its API key, "
                        + "or drop --real to run on the simulators");
            }
            runs.add(new Run(config.providerId().orElseThrow(), ctx.open(config), null));
        } else {
            if (ctx.hasRealService()) {
                ctx.err.println("loraport: a real service is configured, but the demo runs on the simulators; "
                        + "add --real to spend money on it.");
            }
            for (String id : EmbeddedSimulator.IDS) {
                EmbeddedSimulator sim = EmbeddedSimulator.start(id, ctx.simulatorSpeed, 0);
                ctx.register(sim);
                if (faultRate > 0) {
                    sim.simulator.failRandomly(faultRate, 42, Endpoint.STATUS, Fault.serverError(503));
                }
                runs.add(new Run(id, ctx.open(sim.config()), sim));
            }
            ctx.simulated = true;
            (json ? ctx.err : ctx.out)
                    .println("loraport demo: training one subject LoRA on " + runs.size()
                            + " simulated services (time x" + (int) ctx.simulatorSpeed
                            + (faultRate > 0
                                    ? ", " + Math.round(faultRate * 100) + "% of status calls fail with 503"
                                    : "")
                            + ")");
        }

        for (Run run : runs) {
            TrainingRequest request = request(run.provider);
            long t0 = System.nanoTime();
            try {
                run.task = run.provider.create(request);
                run.acceptMillis = (System.nanoTime() - t0) / 1_000_000;
                run.acceptedAt = run.now();
                (json ? ctx.err : ctx.out).println("submitted " + run.id + ":" + run.task.id());
            } catch (RuntimeException e) {
                run.error = e.getMessage();
            }
        }

        ProgressView view = new ProgressView(ctx.out, !json && System.console() != null);
        JobWaiter waiter = JobWaiter.forContext(ctx);
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean pending = true;
        while (pending) {
            pending = false;
            Duration sleep = Duration.ofSeconds(1);
            for (Run run : runs) {
                if (run.task == null || run.task.status().isTerminal()) {
                    continue;
                }
                try {
                    run.task = run.provider.status(run.task.id());
                } catch (RuntimeException e) {
                    run.error = e.getMessage();
                    continue;
                }
                if (!json) {
                    view.update(run.id, run.task);
                }
                if (run.task.status().isTerminal()) {
                    run.toReady = Duration.between(run.acceptedAt, run.now());
                } else {
                    pending = true;
                    Duration next = waiter.nextPoll(run.task);
                    sleep = next.compareTo(sleep) < 0 ? next : sleep;
                }
            }
            if (pending) {
                if (System.nanoTime() > deadline) {
                    throw new JobWaiter.WaitTimeoutException(runs.get(0).task, timeout);
                }
                Thread.sleep(sleep.toMillis());
            }
        }

        for (Run run : runs) {
            if (run.task != null
                    && run.task.status() == TrainingStatus.READY
                    && !run.task.models().isEmpty()) {
                try {
                    GenerationResult result = run.provider.generate(GenerationRequest.builder()
                            .prompt("a portrait photo of ohwx person, studio light")
                            .addLora(run.task.models().get(0).name(), 0.7)
                            .build());
                    run.image = GenerateCommand.save(result, out, run.id).get(0);
                } catch (RuntimeException e) {
                    run.error = "generate: " + e.getMessage();
                }
            }
        }
        report(ctx, runs);
        boolean allReady = runs.stream()
                .allMatch(r -> r.task != null && r.task.status() == TrainingStatus.READY && r.error == null);
        return allReady ? ExitCodes.OK : ExitCodes.JOB_FAILED;
    }

    private static TrainingRequest request(TrainingProvider provider) {
        String baseModel =
                provider.info().capabilities().baseModels().stream().findFirst().orElse("v1-5-pruned-emaonly");
        return TrainingRequest.builder()
                .name("loraport-demo")
                .kind(TrainingKind.SUBJECT)
                .baseModel(baseModel)
                .images(SampleImages.pngs(6))
                .instancePrompt("a photo of ohwx person")
                .classPrompt("person")
                .steps(500)
                .build();
    }

    private void report(CliContext ctx, List<Run> runs) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Run run : runs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("provider", run.id);
            m.put("task", run.task == null ? null : run.task.id().value());
            m.put("acceptMillis", run.task == null ? null : run.acceptMillis);
            m.put("readySimulatedSeconds", run.toReady == null ? null : run.toReady.toSeconds());
            m.put(
                    "apiCalls",
                    run.sim != null
                            ? run.sim.simulator.requestCount(Endpoint.ANY)
                            : (long) ctx.counter(LoraportMetrics.ATTEMPTS, run.id));
            m.put("retries", (long) ctx.counter(LoraportMetrics.RETRIES, run.id));
            m.put(
                    "status",
                    run.task == null ? "NOT SUBMITTED" : run.task.status().name());
            m.put("image", run.image == null ? null : run.image.toString());
            m.put("error", run.error);
            rows.add(m);
        }
        if (json) {
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
