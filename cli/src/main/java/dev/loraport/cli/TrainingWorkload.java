package dev.loraport.cli;

import dev.loraport.ProviderConfig;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import dev.loraport.decorators.LoraportMetrics;
import dev.loraport.simulators.Endpoint;
import dev.loraport.simulators.SampleImages;
import dev.loraport.simulators.SimulatorServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The training workload {@code demo} and {@code bench} share: the same small subject LoRA submitted to each
 * provider, then every task followed through the library's {@code TaskWatcher} until it ends, with what each
 * step took.
 *
 * <p>A {@link TaskRun} is written only by its own thread while it runs and read after {@link #run} returns.
 */
final class TrainingWorkload {

    private TrainingWorkload() {}

    /** One provider's part of a run: its client, its simulator when embedded, and its jobs. */
    static final class Lane {
        final String id;
        final TrainingProvider provider;
        final @Nullable EmbeddedSimulator sim;
        final TaskFollower follower;
        /** Every call of this lane, when the command records them ({@code bench}); else null. */
        final @Nullable CallRecorder calls;

        final List<TaskRun> runs = new ArrayList<>();

        Lane(
                String id,
                TrainingProvider provider,
                @Nullable EmbeddedSimulator sim,
                TaskFollower follower,
                @Nullable CallRecorder calls) {
            this.id = id;
            this.provider = provider;
            this.sim = sim;
            this.follower = follower;
            this.calls = calls;
        }

        /** The service's time: simulated on an embedded simulator, the wall clock on a real service. */
        Instant now() {
            return sim != null ? sim.clock.now() : Instant.now();
        }

        String label(TaskRun job) {
            return runs.size() == 1 ? id : id + " #" + job.index;
        }
    }

    /** A status or progress the client saw, and when on the service's clock. */
    record Seen(Instant at, TrainingStatus status, @Nullable Integer progressPercent) {}

    /** One training job, from submission to its last status. */
    static final class TaskRun {
        final int index;

        /** What the watcher reported, in order; written under this run's lock. */
        final List<Seen> seen = new ArrayList<>();

        @Nullable
        Instant submittedAt;

        /** When the client first saw a terminal status, on the service's clock. */
        @Nullable
        Instant endSeenAt;

        @Nullable
        TrainingTask task;

        long acceptMillis;

        @Nullable
        Instant acceptedAt;

        /** Service time from accepted to first seen in a terminal status. */
        @Nullable
        Duration toEnd;

        @Nullable
        Path image;

        @Nullable
        String error;

        TaskRun(int index) {
            this.index = index;
        }

        boolean pending() {
            return task != null && !task.status().isTerminal();
        }

        boolean ready() {
            return task != null && task.status() == TrainingStatus.READY && error == null;
        }
    }

    /** The configured real service as one lane; refuses when none is configured, so money is never spent by default. */
    static Lane realLane(CliContext ctx, boolean record) {
        ProviderConfig config = ctx.config();
        if (!CliContext.isReal(config)) {
            throw new UsageException("--real: no service configured; set LORAPORT_PROVIDER and its API key, "
                    + "or drop --real to run on the simulators");
        }
        String id = config.providerId().orElseThrow();
        CallRecorder calls = record ? new CallRecorder(Instant::now) : null;
        return new Lane(
                id,
                calls != null ? ctx.open(config, calls) : ctx.open(config),
                null,
                TaskFollower.forContext(ctx, id, null),
                calls);
    }

    /**
     * One lane per embedded simulator, each behind the full decorator stack, faults scripted by {@code faults}
     * before the first call, every call recorded when {@code record}. Says so when a real service is configured but
     * left alone.
     */
    static List<Lane> simulatedLanes(CliContext ctx, Consumer<SimulatorServer> faults, boolean record) {
        if (ctx.hasRealService()) {
            ctx.err.println("loraport: a real service is configured, but this runs on the simulators; "
                    + "add --real to spend money on it.");
        }
        List<Lane> lanes = new ArrayList<>();
        for (String id : EmbeddedSimulator.IDS) {
            EmbeddedSimulator sim = EmbeddedSimulator.start(id, ctx.simulatorSpeed, 0);
            ctx.register(sim);
            faults.accept(sim.simulator);
            CallRecorder calls = record ? new CallRecorder(sim.clock::now) : null;
            lanes.add(new Lane(
                    id,
                    calls != null ? ctx.openEmbedded(sim.config(), calls) : ctx.openEmbedded(sim.config()),
                    sim,
                    TaskFollower.forContext(ctx, id, sim.clock),
                    calls));
        }
        ctx.simulated = true;
        return lanes;
    }

    /** Requests the service received: counted by the simulator when embedded, else attempts the client made. */
    static long apiCalls(CliContext ctx, Lane lane) {
        return lane.sim != null
                ? lane.sim.simulator.requestCount(Endpoint.ANY)
                : (long) ctx.counter(LoraportMetrics.ATTEMPTS, lane.id);
    }

    /** Calls the retry decorator repeated on this lane. */
    static long retries(CliContext ctx, Lane lane) {
        return (long) ctx.counter(LoraportMetrics.RETRIES, lane.id);
    }

    /** How long to wait when {@code --timeout} is not given: real trainings take tens of minutes. */
    static Duration timeout(@Nullable Duration option, boolean real, Duration simulated) {
        if (option != null) {
            if (option.isNegative() || option.isZero()) {
                throw new UsageException("--timeout: " + option + " is out of range; allowed a positive duration");
            }
            return option;
        }
        return real ? Duration.ofHours(2) : simulated;
    }

    /** An error's message, or its type when it has none, so a failed job always says something. */
    static String describe(RuntimeException e) {
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /** The workload: six small face images, 500 steps, on the provider's first base model. */
    static TrainingRequest request(TrainingProvider provider) {
        String baseModel =
                provider.info().capabilities().baseModels().stream().findFirst().orElse("v1-5-pruned-emaonly");
        // A service that names the fields it takes (Replicate's flux trainer: a trigger word, no class prompt)
        // refuses any other, so the class prompt goes only where it is accepted.
        boolean takesClassPrompt = provider.info()
                .capabilities()
                .trainingFields()
                .map(fields -> fields.contains("classPrompt"))
                .orElse(true);
        return TrainingRequest.builder()
                .name("loraport-demo")
                .kind(TrainingKind.SUBJECT)
                .baseModel(baseModel)
                .images(SampleImages.pngs(6))
                .instancePrompt("a photo of ohwx person")
                .classPrompt(takesClassPrompt ? "person" : null)
                .steps(500)
                .build();
    }

    /**
     * Runs {@code count} jobs on every lane at once, one thread per job: each submits the workload, timing its
     * acceptance, then follows its task through its lane's watcher until it ends. Running them side by
     * side keeps one job's upload out of another's time to READY. A refused or lost submission is recorded on
     * its job, never retried here (the provider's retry decorator decides that).
     *
     * @return false when the time ran out first; each job still running then says so in its error
     */
    static boolean run(
            List<Lane> lanes,
            int count,
            Duration timeout,
            BiConsumer<Lane, TaskRun> onAccepted,
            BiConsumer<Lane, TaskRun> onUpdate)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Callable<Boolean>> work = new ArrayList<>();
        for (Lane lane : lanes) {
            TrainingRequest request = request(lane.provider);
            for (int i = 1; i <= count; i++) {
                TaskRun job = new TaskRun(i);
                lane.runs.add(job);
                work.add(() -> follow(lane, job, request, deadline, timeout, onAccepted, onUpdate));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(work.size(), r -> {
            Thread t = new Thread(r, "loraport-job");
            t.setDaemon(true);
            return t;
        });
        try {
            boolean ended = true;
            for (Future<Boolean> f : pool.invokeAll(work)) {
                ended &= f.get();
            }
            return ended;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a job's thread failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static boolean follow(
            Lane lane,
            TaskRun job,
            TrainingRequest request,
            long deadline,
            Duration timeout,
            BiConsumer<Lane, TaskRun> onAccepted,
            BiConsumer<Lane, TaskRun> onUpdate)
            throws InterruptedException {
        long t0 = System.nanoTime();
        job.submittedAt = lane.now();
        if (lane.calls != null) {
            lane.calls.onJobThread(job.index);
        }
        try {
            job.task = lane.provider.create(request);
        } catch (RuntimeException e) {
            job.error = describe(e);
            return true;
        }
        job.acceptMillis = (System.nanoTime() - t0) / 1_000_000;
        job.acceptedAt = lane.now();
        if (lane.calls != null) {
            lane.calls.taskOfJob(job.task.id(), job.index);
        }
        synchronized (job) {
            job.seen.add(new Seen(
                    job.acceptedAt,
                    job.task.status(),
                    job.task.progressPercent().isPresent()
                            ? job.task.progressPercent().getAsInt()
                            : null));
        }
        onAccepted.accept(lane, job);
        try {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            lane.follower.await(lane.provider, job.task.id(), job.task, left, t -> {
                synchronized (job) {
                    job.task = t;
                    Instant now = lane.now();
                    Integer progress = t.progressPercent().isPresent()
                            ? t.progressPercent().getAsInt()
                            : null;
                    Seen last = job.seen.isEmpty() ? null : job.seen.get(job.seen.size() - 1);
                    // The watcher reports the terminal task twice (as a status and as the result): once is the truth.
                    if (last == null
                            || last.status() != t.status()
                            || !Objects.equals(last.progressPercent(), progress)) {
                        job.seen.add(new Seen(now, t.status(), progress));
                    }
                    if (t.status().isTerminal() && job.toEnd == null) {
                        job.toEnd = Duration.between(job.acceptedAt, now);
                        job.endSeenAt = now;
                    }
                }
                onUpdate.accept(lane, job);
            });
            return true;
        } catch (TaskFollower.WaitTimeoutException e) {
            job.error = e.getMessage();
            return false;
        } catch (RuntimeException e) {
            // The task may still be running, but this run cannot follow it and says why.
            job.error = describe(e);
            return true;
        }
    }
}
