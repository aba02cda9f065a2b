package dev.loraport.bench;

import dev.loraport.Page;
import dev.loraport.PageRequest;
import dev.loraport.PollPolicy;
import dev.loraport.ProviderCapabilities;
import dev.loraport.ProviderConfig;
import dev.loraport.TaskId;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import dev.loraport.decorators.ProviderStack;
import dev.loraport.simulators.Endpoint;
import dev.loraport.simulators.NovitaSimulator;
import dev.loraport.simulators.SampleImages;
import dev.loraport.simulators.SimulatorServer;
import dev.loraport.simulators.StableDiffusionApiSimulator;
import dev.loraport.simulators.TaskDurations;
import dev.loraport.simulators.VirtualClock;
import dev.loraport.simulators.VirtualScheduler;
import dev.loraport.spi.ForwardingTrainingProvider;
import dev.loraport.testkit.FakeTrainingProvider;
import dev.loraport.watch.TaskListener;
import dev.loraport.watch.TaskWatcher;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * Polling cost on a virtual clock: N jobs of Novita-like duration (10 minutes), submitted as one batch, followed by the {@link TaskWatcher}
 * against a fixed-interval poller (5 s) and the Novita SDK's 0.5 s loop. Reports API calls per job, the delay
 * between a job becoming READY and the follower seeing it (p50/p99, virtual), threads and heap used.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar dev.loraport.bench.PollingCost 1000 10000}
 */
public final class PollingCost {

    /** How long every simulated job takes: 1 minute queued, 8 training (with an ETA), 1 deploying (without). */
    static final Duration JOB = Duration.ofMinutes(10);

    /** The seed of every watcher's jitter, so that a run's figures can be reproduced. */
    static final long SEED = 1;

    private PollingCost() {}

    /** One follower's figures. */
    public record Result(
            String provider,
            String follower,
            int jobs,
            double callsPerJob,
            long p50Millis,
            long p99Millis,
            int extraThreads,
            long heapBytes) {

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "%-10s %-16s %6d jobs  %8.1f calls/job  seen after p50 %6d ms p99 %6d ms  +%d threads  heap %5.1f MB",
                    provider,
                    follower,
                    jobs,
                    callsPerJob,
                    p50Millis,
                    p99Millis,
                    extraThreads,
                    heapBytes / 1e6);
        }
    }

    /**
     * Runs every follower for each job count.
     *
     * @param args job counts, default 100 1000 10000
     */
    public static void main(String[] args) {
        int[] counts = args.length == 0
                ? new int[] {100, 1_000, 10_000}
                : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        for (int n : counts) {
            for (boolean listing : new boolean[] {true, false}) {
                System.out.println(watcher(n, listing));
                System.out.println(fixed(n, listing, Duration.ofSeconds(5), "fixed 5 s"));
                System.out.println(fixed(n, listing, Duration.ofMillis(500), "Novita SDK 0.5 s"));
            }
        }
        // One job alone, then each count up to 1,000: every poll is an HTTP call, so 10,000 jobs take minutes.
        int[] simulated = IntStream.concat(
                        IntStream.of(1), Arrays.stream(counts).filter(c -> c > 1 && c <= 1_000))
                .toArray();
        for (String provider : new String[] {"novita", "stablediffusionapi"}) {
            Duration job = simulatorDurations(provider).total();
            for (int m : simulated) {
                System.out.println(onSimulator(provider, m)
                        + String.format(
                                Locale.ROOT, "  (a 5 s poller: %d calls/job)", fixedCalls(job, Duration.ofSeconds(5))));
            }
        }
        // How the figures move when the estimates are wrong, and with a lower floor.
        int n = counts[counts.length - 1];
        Duration floor = PollPolicy.DEFAULT_MIN_INTERVAL;
        System.out.println(watcher(n, false, JOB, floor, Duration.ofSeconds(10)));
        System.out.println(watcher(n, false, JOB, floor, Duration.ofSeconds(60)));
        System.out.println(watcher(n, false, PollPolicy.DEFAULT_EXPECTED_DURATION, floor, Duration.ZERO));
        System.out.println(watcher(n, true, PollPolicy.DEFAULT_EXPECTED_DURATION, floor, Duration.ZERO));
        System.out.println(watcher(n, true, JOB, Duration.ofSeconds(2), Duration.ZERO));
    }

    /** Counts calls; every poll of every follower goes through it. Can make the ETAs inexact. */
    static final class Counting extends ForwardingTrainingProvider {
        final AtomicLong calls = new AtomicLong();
        private final long etaErrorMillis;

        Counting(TrainingProvider delegate) {
            this(delegate, Duration.ZERO);
        }

        Counting(TrainingProvider delegate, Duration etaError) {
            super(delegate);
            this.etaErrorMillis = etaError.toMillis();
        }

        @Override
        public TrainingTask status(TaskId id) {
            calls.incrementAndGet();
            TrainingTask t = super.status(id);
            if (etaErrorMillis == 0 || t.eta().isEmpty()) {
                return t;
            }
            // The same error for every call about one job, as a service whose estimate of that job is off.
            long error = Math.floorMod(id.value().hashCode() * 2_654_435_761L, 2 * etaErrorMillis + 1) - etaErrorMillis;
            long eta = Math.max(0, t.eta().get().toMillis() + error);
            return t.toBuilder().eta(Duration.ofMillis(eta)).build();
        }

        @Override
        public Page<TrainingTask> list(PageRequest page) {
            calls.incrementAndGet();
            return super.list(page);
        }
    }

    private static FakeTrainingProvider service(VirtualClock clock, boolean listing, String id) {
        return FakeTrainingProvider.builder()
                .providerId(id)
                .clock(clock)
                .durations(TaskDurations.of(Duration.ofMinutes(1), Duration.ofMinutes(8), Duration.ofMinutes(1)))
                .capabilities(ProviderCapabilities.builder()
                        .trainingKinds(TrainingKind.SUBJECT)
                        .supportsList(true)
                        .listIncludesStatus(listing)
                        .build())
                .build();
    }

    private static List<TaskId> submit(TrainingProvider p, VirtualClock clock, int n) {
        TrainingRequest r = TrainingRequest.builder()
                .name("bench")
                .kind(TrainingKind.SUBJECT)
                .baseModel("m")
                .images(SampleImages.pngs(1))
                .build();
        List<TaskId> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            // Submitted as one batch spread over five seconds, so jobs do not end in step with a poller's tick.
            ids.add(p.create(r).id());
            clock.advance(Duration.ofNanos(5_000_000_000L / n));
        }
        return ids;
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    /**
     * The watcher following n jobs.
     *
     * @param n jobs
     * @param listing whether the service's list carries status (Novita) or not (ModelsLab)
     * @return the figures
     */
    public static Result watcher(int n, boolean listing) {
        return watcher(n, listing, JOB, PollPolicy.DEFAULT_MIN_INTERVAL, Duration.ZERO);
    }

    /**
     * The watcher following n jobs, told to expect a duration that may differ from the real one (10 minutes),
     * with a given poll floor.
     *
     * @param n jobs
     * @param listing whether the service's list carries status (Novita) or not (ModelsLab)
     * @param expected the duration the watcher is told to expect, which it uses where the service gives no ETA
     * @param floor the watcher's minimum poll interval
     * @param etaError how far off, at most, the ETA each status call reports is (a fixed error per job, spread
     *     evenly between minus and plus this); zero for exact ETAs
     * @return the figures
     */
    public static Result watcher(int n, boolean listing, Duration expected, Duration floor, Duration etaError) {
        VirtualClock clock = VirtualClock.manual();
        FakeTrainingProvider fake = service(clock, listing, listing ? "listing" : "status");
        Counting p = new Counting(fake, etaError);
        List<TaskId> ids = submit(p, clock, n);
        Instant start = clock.now();
        p.calls.set(0);
        int threadsBefore = Thread.activeCount();
        long heapBefore = usedHeap();
        VirtualScheduler scheduler = new VirtualScheduler(clock);
        try (TaskWatcher watcher = TaskWatcher.builder()
                .scheduler(scheduler)
                .random(new Random(SEED))
                .expectedDuration(fake.info().id(), expected)
                .minPollInterval(floor)
                .build()) {
            List<Instant> readyAt = new ArrayList<>(n);
            for (TaskId id : ids) {
                readyAt.add(fake.status(id).createdAt().orElseThrow().plus(JOB));
            }
            Seen seen = new Seen(watcher, p, ids, readyAt, clock);
            long heapWatching = usedHeap() - heapBefore;
            int threads = Thread.activeCount() - threadsBefore;
            scheduler.runFor(Duration.between(clock.now(), start.plus(Duration.ofHours(2))));
            long[] seenDelay = seen.delays();
            String name = "TaskWatcher";
            if (!expected.equals(JOB)) {
                name += " expects " + expected.toMinutes() + "m";
            }
            if (!floor.equals(PollPolicy.DEFAULT_MIN_INTERVAL)) {
                name += " floor " + floor.toSeconds() + "s";
            }
            if (!etaError.isZero()) {
                name += " ETA ±" + etaError.toSeconds() + "s";
            }
            return result(listing, name, n, p.calls.get(), seenDelay, threads, heapWatching);
        }
    }

    /**
     * The watcher, with its defaults (told nothing about the provider), following n jobs on a provider's
     * simulator through its real adapter and the full decorator stack: every poll is an HTTP call to the
     * simulator, and only time is virtual. The 5 s poller's count is not run but computed, since it is fixed by
     * the job's length: one call per 5 s of each job plus the one that sees it end.
     *
     * @param providerId {@code novita} or {@code stablediffusionapi}
     * @param n jobs
     * @return the figures, with the 5 s poller's calls per job as the ratio's base
     */
    public static Result onSimulator(String providerId, int n) {
        return onSimulator(providerId, n, SEED);
    }

    /**
     * {@link #onSimulator(String, int)} with the watcher's jitter drawn from a given seed.
     *
     * @param providerId {@code novita} or {@code stablediffusionapi}
     * @param n jobs
     * @param seed the seed of the watcher's random source
     * @return the figures
     */
    public static Result onSimulator(String providerId, int n, long seed) {
        VirtualClock clock = VirtualClock.manual();
        TaskDurations durations = simulatorDurations(providerId);
        SimulatorServer sim = providerId.equals("novita")
                ? NovitaSimulator.builder().clock(clock).build()
                : StableDiffusionApiSimulator.builder().clock(clock).build();
        sim.start();
        ProviderConfig config =
                sim.config().toBuilder().option("ratelimit.enabled", "false").build();
        VirtualScheduler scheduler = new VirtualScheduler(clock);
        try (TrainingProvider provider = ProviderStack.builder()
                        .config(config)
                        .sleeper(clock::advance)
                        .build();
                TaskWatcher watcher = TaskWatcher.builder()
                        .scheduler(scheduler)
                        .random(new Random(seed))
                        .build()) {
            TrainingRequest request = TrainingRequest.builder()
                    .name("bench")
                    .kind(TrainingKind.SUBJECT)
                    .baseModel(provider.info().capabilities().baseModels().stream()
                            .findFirst()
                            .orElse("v1-5-pruned-emaonly"))
                    .images(SampleImages.pngs(1))
                    .instancePrompt("a photo of ohwx person")
                    .classPrompt("person")
                    .build();
            List<TaskId> ids = new ArrayList<>(n);
            List<Instant> readyAt = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                ids.add(provider.create(request).id());
                readyAt.add(clock.now().plus(durations.total()));
                clock.advance(Duration.ofNanos(5_000_000_000L / n));
            }
            int before = sim.requestCount(Endpoint.STATUS) + sim.requestCount(Endpoint.LIST);
            Seen seen = new Seen(watcher, provider, ids, readyAt, clock);
            scheduler.runFor(durations.total().plusHours(1));
            long calls = sim.requestCount(Endpoint.STATUS) + sim.requestCount(Endpoint.LIST) - before;
            return result(providerId, "TaskWatcher (HTTP)", n, calls, seen.delays(), 0, 0);
        } finally {
            sim.close();
        }
    }

    /**
     * How long a simulator's jobs take by default.
     *
     * @param providerId {@code novita} or {@code stablediffusionapi}
     * @return the durations
     */
    static TaskDurations simulatorDurations(String providerId) {
        return switch (providerId) {
            case "novita" -> NovitaSimulator.DEFAULT_DURATIONS;
            case "stablediffusionapi" -> StableDiffusionApiSimulator.DEFAULT_DURATIONS;
            default ->
                throw new IllegalArgumentException(
                        "providerId: '" + providerId + "'; allowed: novita, stablediffusionapi");
        };
    }

    /** Every job watched, and how long after its end each was seen ending (virtual milliseconds). */
    private static final class Seen {
        private final long[] delays;
        private int done;

        Seen(
                TaskWatcher watcher,
                TrainingProvider provider,
                List<TaskId> ids,
                List<Instant> endsAt,
                VirtualClock clock) {
            delays = new long[ids.size()];
            for (int i = 0; i < ids.size(); i++) {
                int index = i;
                watcher.watch(provider, ids.get(i), new TaskListener() {
                    @Override
                    public void onTerminal(TrainingTask task) {
                        delays[index] =
                                Duration.between(endsAt.get(index), clock.now()).toMillis();
                        done++;
                    }
                });
            }
        }

        /** The delays, once every job was seen ending. */
        long[] delays() {
            if (done != delays.length) {
                throw new IllegalStateException("only " + done + " of " + delays.length + " jobs were seen ending");
            }
            return delays;
        }
    }

    /**
     * What a fixed-interval poller spends on one job of the given length.
     *
     * @param job the job's length
     * @param interval the poller's interval
     * @return calls per job
     */
    static long fixedCalls(Duration job, Duration interval) {
        return job.toMillis() / interval.toMillis() + 1;
    }

    /**
     * A naive poller that asks for every job's status at a fixed interval.
     *
     * @param n jobs
     * @param listing the service kind (the poller ignores listings)
     * @param interval the interval
     * @param name the follower's name
     * @return the figures
     */
    public static Result fixed(int n, boolean listing, Duration interval, String name) {
        VirtualClock clock = VirtualClock.manual();
        FakeTrainingProvider fake = service(clock, listing, "x");
        Counting p = new Counting(fake);
        List<TaskId> ids = submit(p, clock, n);
        p.calls.set(0);
        long[] seenDelay = new long[n];
        boolean[] finished = new boolean[n];
        Instant[] readyAt = new Instant[n];
        for (int i = 0; i < n; i++) {
            readyAt[i] = fake.status(ids.get(i)).createdAt().orElseThrow().plus(JOB);
        }
        p.calls.set(0);
        int left = n;
        while (left > 0) {
            for (int i = 0; i < n; i++) {
                if (!finished[i] && p.status(ids.get(i)).status() == TrainingStatus.READY) {
                    finished[i] = true;
                    seenDelay[i] = Duration.between(readyAt[i], clock.now()).toMillis();
                    left--;
                }
            }
            clock.advance(interval);
        }
        return result(listing, name, n, p.calls.get(), seenDelay, 0, 0);
    }

    private static Result result(
            boolean listing, String follower, int n, long calls, long[] delays, int threads, long heap) {
        return result(listing ? "listing" : "status-only", follower, n, calls, delays, threads, heap);
    }

    private static Result result(
            String kind, String follower, int n, long calls, long[] delays, int threads, long heap) {
        long[] sorted = delays.clone();
        Arrays.sort(sorted);
        return new Result(
                kind,
                follower,
                n,
                (double) calls / n,
                sorted[n / 2],
                sorted[Math.min(n - 1, n * 99 / 100)],
                threads,
                heap);
    }
}
