package dev.loraport.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loraport.CreateOutcomeUnknownException;
import dev.loraport.Page;
import dev.loraport.PageRequest;
import dev.loraport.ProviderConfig;
import dev.loraport.TaskId;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingTask;
import dev.loraport.decorators.ProviderStack;
import dev.loraport.simulators.Endpoint;
import dev.loraport.simulators.Fault;
import dev.loraport.simulators.NovitaSimulator;
import dev.loraport.simulators.SimulatorServer;
import dev.loraport.simulators.StableDiffusionApiSimulator;
import dev.loraport.simulators.VirtualClock;
import dev.loraport.watch.CreateIntent;
import dev.loraport.watch.TaskRef;
import dev.loraport.watch.TaskStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A worker JVM doing create-then-watch is killed with SIGKILL at a random moment, many times: before its first
 * create, while a create is on the wire (the simulator delays many create answers so that the kill lands there),
 * between creates and while it watches. After each kill the journal it leaves must know every job the simulator
 * holds (accepted with that job's id, or still {@code SENDING}); {@link ProviderStack#recover} must settle the
 * {@code SENDING} ones where the service's listing shows names, and report the rest; and creating every reference
 * again (the resumed run) must make no second job for any of them.
 *
 * <p>One simulator serves all trials of a provider; each trial has its own store and its own references, and its
 * jobs are the ones that appeared on the simulator during it. The seed is printed; rerun one with
 * {@code -Dloraport.crash.seed=<seed>}.
 */
class CrashRecoveryTest {

    private static final int CREATES = 3;
    /**
     * The kill lands this long at most after the worker printed the line the trial picked: a create answered late
     * (the simulator delays many by {@link #LATE}) is still on the wire then.
     */
    private static final int KILL_JITTER_MS = 350;

    private static final Duration LATE = Duration.ofMillis(300);
    /** How many workers' JVMs start ahead of their trial. */
    private static final int PIPELINE = 1;

    @TempDir
    Path dir;

    /**
     * ModelsLab, whose listing shows no names, 20 times by default; Novita, whose listing recovery can search, 10
     * (each trial starts a JVM). {@code -Dloraport.crash.trials.<provider id>=N} changes either.
     */
    static Stream<Arguments> simulators() {
        return Stream.of(
                Arguments.of("stablediffusionapi", "sdxl", 20, (Supplier<SimulatorServer>)
                        () -> StableDiffusionApiSimulator.builder()
                                .clock(VirtualClock.scaled(1_000))
                                .build()),
                Arguments.of("novita", "stable-diffusion-xl-base-1.0", 10, (Supplier<SimulatorServer>)
                        () -> NovitaSimulator.builder()
                                .clock(VirtualClock.scaled(1_000))
                                .build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("simulators")
    void aWorkerKilledAnywhereInCreateAndWatchLosesNoJobAndMakesNoneTwice(
            String id, String baseModel, int defaultTrials, Supplier<SimulatorServer> simulators) throws Exception {
        int trials = Integer.getInteger("loraport.crash.trials." + id, defaultTrials);
        long seed = Long.getLong("loraport.crash.seed", System.nanoTime());
        System.out.printf("crash test %s: seed %d (-Dloraport.crash.seed=%d)%n", id, seed, seed);
        Random random = new Random(seed);
        long start = System.nanoTime();
        try (SimulatorServer sim = simulators.get()) {
            sim.start();
            boolean byName = id.equals("novita");

            Figures f = new Figures();
            // The next workers' JVMs start while this one runs and is checked; they send nothing before their go.
            Deque<Worker> booting = new ArrayDeque<>();
            int started = 0;
            Worker worker = null;
            try {
                while (started < Math.min(PIPELINE, trials)) {
                    booting.add(Worker.start(id, sim, dir, started++, baseModel));
                }
                for (int trial = 0; trial < trials; trial++) {
                    worker = booting.remove();
                    long tr = System.nanoTime();
                    worker.awaitReady();
                    f.readyMillis += (System.nanoTime() - tr) / 1_000_000;
                    Set<String> before = new HashSet<>(sim.taskIds());
                    // Four creates in ten answer late: a kill in that time leaves a job the worker never heard of.
                    sim.failRandomly(0.4, random.nextLong(), Endpoint.CREATE, Fault.delay(LATE));
                    // A few answers are lost after the job is made: the worker reconciles, and may die doing so.
                    sim.failRandomly(0.05, random.nextLong(), Endpoint.CREATE, Fault.acceptedButLost());
                    long t0 = System.nanoTime();
                    worker.go();
                    if (started < trials) {
                        booting.add(Worker.start(id, sim, dir, started++, baseModel));
                    }
                    // Where the kill falls is picked by the worker's progress, not by the clock, so that a busy
                    // machine spreads kills over the loop too: after its go, after the n-th SEND or GOT, or after
                    // DONE, while it watches; then a little later.
                    worker.awaitLines(1 + random.nextInt(2 * CREATES + 2));
                    Thread.sleep(random.nextInt(KILL_JITTER_MS));
                    boolean midCreate = worker.kill();
                    if (midCreate) {
                        f.killedMidCreate++;
                    }
                    if (worker.done) {
                        f.killedWatching++;
                    }
                    f.runningMillis += (System.nanoTime() - t0) / 1_000_000;
                    // Recovery and the resumed run are checked against a well-behaved service.
                    sim.clearFaults();
                    long t1 = System.nanoTime();
                    settle(sim);
                    check(sim, worker, before, byName, f);
                    f.checkMillis += (System.nanoTime() - t1) / 1_000_000;
                }
            } finally {
                // A failed trial leaves no worker behind.
                if (worker != null) {
                    worker.process.destroyForcibly();
                }
                booting.forEach(w -> w.process.destroyForcibly());
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf(
                    "crash test %s: %d trials in %d ms (seed %d): %d killed with a create on the wire, %d killed"
                            + " while watching; %d jobs made; %d SENDING intents found after a kill, %d reconciled by"
                            + " recovery (%d found, %d proven absent and dropped), %d left for a person (listing"
                            + " shows no names; %d of them had made a job); %d accepted but not yet watched (no ref); resume: %d creates answered"
                            + " from the journal, %d sent anew, %d unknown; orphans=%d, duplicates=%d; time waiting"
                            + " for workers' JVMs %d ms, running them %d ms, checking %d ms%n",
                    id,
                    trials,
                    millis,
                    seed,
                    f.killedMidCreate,
                    f.killedWatching,
                    f.jobsMade,
                    f.sendingFound,
                    f.recoveredFound + f.recoveredAbsent,
                    f.recoveredFound,
                    f.recoveredAbsent,
                    f.leftForAPerson,
                    f.leftReached,
                    f.acceptedUnwatched,
                    f.resumedFromJournal,
                    f.resumedAnew,
                    f.resumedUnknown,
                    f.orphans,
                    f.duplicates,
                    f.readyMillis,
                    f.runningMillis,
                    f.checkMillis);
            assertThat(f.orphans)
                    .as("jobs on the simulator the journal does not know")
                    .isZero();
            assertThat(f.duplicates).as("references with two jobs").isZero();
        }
    }

    /** What the kill left, what recovery made of it, and what the resumed run does. */
    private void check(SimulatorServer sim, Worker worker, Set<String> before, boolean byName, Figures f)
            throws Exception {
        String trial = "trial " + worker.trial + " (" + worker.lines + ")";
        List<String> made = jobsSince(sim, before);
        f.jobsMade += made.size();
        TaskStore store = TaskStore.file(worker.store);
        List<CreateIntent> left = store.intents();
        Map<String, CreateIntent> atKill = byReference(left);
        List<CreateIntent> sending = sending(left);
        f.sendingFound += sending.size();
        Set<String> accepted = acceptedIds(left);

        // Every job on the simulator is in the journal: accepted with its id, or a create still SENDING.
        assertThat(made).as(trial + ": jobs made").containsAll(accepted);
        assertThat(accepted).as(trial + ": one job per accepted intent").hasSize(acceptedCount(left));
        List<String> unknownToJournal = new ArrayList<>(made);
        unknownToJournal.removeAll(accepted);
        assertThat(unknownToJournal.size())
                .as(trial + ": jobs neither accepted nor SENDING in the journal " + unknownToJournal + "; intents "
                        + left)
                .isLessThanOrEqualTo(sending.size());
        // Every accepted job the worker was told of was watched, unless the kill fell between the two.
        Set<String> watched =
                store.load().stream().map(TaskRef::taskId).map(TaskId::value).collect(Collectors.toSet());
        Set<String> unwatched = new HashSet<>(accepted);
        unwatched.removeAll(watched);

        try (TrainingProvider p = stack(sim, worker.store)) {
            // A finished job's ref is dropped by its watch; one running without a ref is one the kill fell before.
            unwatched.removeIf(t -> p.status(new TaskId(t)).status().isTerminal());
            f.acceptedUnwatched += unwatched.size();
            assertThat(unwatched.size())
                    .as(trial + ": running accepted jobs without a ref " + unwatched)
                    .isLessThanOrEqualTo(1);
            List<CreateIntent> reported = ProviderStack.recover(p);
            List<CreateIntent> after = store.intents();
            List<CreateIntent> stillSending = sending(after);
            Set<String> acceptedAfter = acceptedIds(after);
            for (CreateIntent s : sending) {
                Optional<CreateIntent> now = store.intent(s.key());
                if (now.isEmpty()) {
                    f.recoveredAbsent++;
                } else if (now.get().state() == CreateIntent.State.ACCEPTED) {
                    f.recoveredFound++;
                }
            }
            f.leftForAPerson += stillSending.size();
            // Whatever recovery could not settle, it says so.
            assertThat(reported.stream().map(CreateIntent::key).collect(Collectors.toSet()))
                    .as(trial + ": recovery reports every intent still SENDING")
                    .containsAll(stillSending.stream().map(CreateIntent::key).toList());
            if (byName) {
                assertThat(stillSending)
                        .as(trial + ": SENDING intents left after recovery")
                        .isEmpty();
            }
            // No job on the simulator is unknown to the journal, beyond one per intent recovery left for a person.
            List<String> orphans = new ArrayList<>(made);
            orphans.removeAll(acceptedAfter);
            int orphansNow = Math.max(0, orphans.size() - stillSending.size());
            // Of those left for a person, how many did make a job: the ones a person must find on the service.
            f.leftReached += Math.min(orphans.size(), stillSending.size());
            f.orphans += orphansNow;
            if (orphansNow > 0) {
                System.out.printf(
                        "crash test: %s: jobs %s unknown to the journal after recovery; intents %s%n",
                        trial, orphans, after);
            }
            assertThat(made).as(trial + ": jobs recovery accepted").containsAll(acceptedAfter);

            // The resumed run sends every reference again: each gets the journal's job or, if none was made, one.
            for (int i = 0; i < CREATES; i++) {
                String reference = worker.prefix + "-" + i;
                CreateIntent known = byReference(after).get(reference);
                try {
                    TrainingTask got = p.create(CrashWorkerMain.request(reference, worker.baseModel));
                    if (known != null && known.state() == CreateIntent.State.ACCEPTED) {
                        assertThat(got.id())
                                .as(trial + ": resumed " + reference)
                                .isEqualTo(known.task().orElseThrow());
                        f.resumedFromJournal++;
                    } else {
                        f.resumedAnew++;
                    }
                } catch (CreateOutcomeUnknownException e) {
                    // Only a reference whose earlier create recovery could not settle stays unknown.
                    assertThat(known)
                            .as(trial + ": " + reference + " unknown on resume: " + e.getMessage())
                            .isNotNull()
                            .extracting(CreateIntent::state)
                            .isEqualTo(CreateIntent.State.SENDING);
                    f.resumedUnknown++;
                }
            }
            settle(sim);
            List<String> all = jobsSince(sim, before);
            if (byName) {
                Map<String, Integer> perReference = jobsPerReference(p, worker.prefix);
                for (int i = 0; i < CREATES; i++) {
                    int n = perReference.getOrDefault(worker.prefix + "-" + i, 0);
                    if (n > 1) {
                        f.duplicates++;
                        System.out.printf("crash test: %s: %s-%d has %d jobs%n", trial, worker.prefix, i, n);
                    }
                    assertThat(n)
                            .as(trial + ": jobs named for " + worker.prefix + "-" + i)
                            .isEqualTo(1);
                }
                assertThat(all).as(trial + ": jobs after resume").hasSize(CREATES);
            } else {
                // No names to count by: at most one job per reference, and at least one per settled reference.
                int extra = Math.max(0, all.size() - CREATES);
                f.duplicates += extra;
                assertThat(all.size())
                        .as(
                                trial + ": jobs after resume (%d references, %d left SENDING)",
                                CREATES,
                                stillSending.size())
                        .isBetween(CREATES - stillSending.size(), CREATES);
            }
            Set<String> finalAccepted = acceptedIds(store.intents());
            List<String> unknownAtEnd = new ArrayList<>(all);
            unknownAtEnd.removeAll(finalAccepted);
            assertThat(unknownAtEnd.size())
                    .as(trial + ": jobs the journal does not know after resume " + unknownAtEnd)
                    .isLessThanOrEqualTo(stillSending.size());
            assertThat(atKill.keySet()).allMatch(r -> r.startsWith(worker.prefix + "-"));
        }
    }

    private static Map<String, Integer> jobsPerReference(TrainingProvider p, String prefix) {
        Map<String, Integer> out = new HashMap<>();
        PageRequest page = PageRequest.first(PageRequest.MAX_LIMIT);
        while (true) {
            Page<TrainingTask> got = p.list(page);
            for (TrainingTask t : got.items()) {
                String name = t.name().orElse("");
                for (int i = 0; i < CREATES; i++) {
                    String reference = prefix + "-" + i;
                    if (carries(name, reference)) {
                        out.merge(reference, 1, Integer::sum);
                    }
                }
            }
            if (!got.hasNext()) {
                return out;
            }
            page = PageRequest.after(got.nextCursor(), PageRequest.MAX_LIMIT);
        }
    }

    /** The reference as a whole token of the name, as the library tags it. */
    private static boolean carries(String name, String reference) {
        for (int at = name.indexOf(reference); at >= 0; at = name.indexOf(reference, at + 1)) {
            int end = at + reference.length();
            boolean startsClean = at == 0 || !Character.isLetterOrDigit(name.charAt(at - 1));
            boolean endsClean = end == name.length() || !Character.isLetterOrDigit(name.charAt(end));
            if (startsClean && endsClean) {
                return true;
            }
        }
        return false;
    }

    private static List<String> jobsSince(SimulatorServer sim, Set<String> before) {
        List<String> out = new ArrayList<>(sim.taskIds());
        out.removeAll(before);
        return out;
    }

    /** Lets a request the dead worker had fully sent finish on the simulator's side. */
    private static void settle(SimulatorServer sim) throws InterruptedException {
        int seen = -1;
        while (true) {
            int now = sim.requestCount(Endpoint.ANY) + 1_000 * sim.tasksCreated();
            if (now == seen) {
                return;
            }
            seen = now;
            Thread.sleep(50);
        }
    }

    private static Map<String, CreateIntent> byReference(List<CreateIntent> intents) {
        Map<String, CreateIntent> out = new HashMap<>();
        intents.forEach(i -> out.put(i.clientReference(), i));
        return out;
    }

    private static List<CreateIntent> sending(List<CreateIntent> intents) {
        return intents.stream()
                .filter(i -> i.state() == CreateIntent.State.SENDING)
                .toList();
    }

    private static Set<String> acceptedIds(List<CreateIntent> intents) {
        return intents.stream()
                .map(CreateIntent::task)
                .flatMap(Optional::stream)
                .map(TaskId::value)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static int acceptedCount(List<CreateIntent> intents) {
        return (int) intents.stream()
                .filter(i -> i.state() == CreateIntent.State.ACCEPTED)
                .count();
    }

    private static TrainingProvider stack(SimulatorServer sim, Path store) {
        ProviderConfig cfg = sim.config().toBuilder()
                .option("retry.initial-backoff", "1ms")
                .option("retry.max-backoff", "5ms")
                .option("reconcile.delay", "0s")
                // The worker is dead: its creates are not in flight, whatever their age.
                .option("reconcile.in-flight-wait", "0s")
                .option("ratelimit.enabled", "false")
                .option("circuitbreaker.enabled", "false")
                .build();
        return ProviderStack.builder()
                .config(cfg)
                .meterRegistry(new SimpleMeterRegistry())
                .store(TaskStore.file(store))
                .build();
    }

    private static final class Figures {
        int killedMidCreate;
        int killedWatching;
        int jobsMade;
        int sendingFound;
        int recoveredFound;
        int recoveredAbsent;
        int leftForAPerson;
        int leftReached;
        int acceptedUnwatched;
        int resumedFromJournal;
        int resumedAnew;
        int resumedUnknown;
        int orphans;
        int duplicates;
        long readyMillis;
        long runningMillis;
        long checkMillis;
    }

    /** A worker JVM, and what it printed. */
    private static final class Worker {
        final int trial;
        final String prefix;
        final String baseModel;
        final Path store;
        final Path log;
        final Process process;
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch ready = new CountDownLatch(1);
        final Thread reader;
        volatile boolean done;

        private Worker(int trial, String prefix, String baseModel, Path store, Path log, Process process) {
            this.trial = trial;
            this.prefix = prefix;
            this.baseModel = baseModel;
            this.store = store;
            this.log = log;
            this.process = process;
            this.reader = new Thread(this::read, "crash-worker-" + trial);
            this.reader.setDaemon(true);
            this.reader.start();
        }

        static Worker start(String id, SimulatorServer sim, Path dir, int trial, String baseModel) throws IOException {
            String prefix = "t" + trial;
            Path store = dir.resolve(id + "-" + trial + ".txt");
            Path log = dir.resolve(id + "-" + trial + ".log");
            Process p = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-XX:TieredStopAtLevel=1",
                            "-XX:+UseSerialGC",
                            "-Xshare:auto",
                            "-cp",
                            System.getProperty("java.class.path"),
                            CrashWorkerMain.class.getName(),
                            id,
                            sim.baseUrl(),
                            sim.apiKey(),
                            store.toString(),
                            prefix,
                            Integer.toString(CREATES),
                            baseModel)
                    .redirectError(log.toFile())
                    .start();
            return new Worker(trial, prefix, baseModel, store, log, p);
        }

        private void read() {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.add(line);
                    if (line.equals("READY")) {
                        ready.countDown();
                    } else if (line.equals("DONE")) {
                        done = true;
                    }
                }
            } catch (IOException e) {
                // The process was killed.
            }
        }

        /** Until the worker printed {@code n} lines, READY included, or died. */
        void awaitLines(int n) throws InterruptedException {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (lines.size() < n && process.isAlive() && System.nanoTime() < until) {
                Thread.sleep(5);
            }
        }

        void awaitReady() throws Exception {
            if (!ready.await(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("worker " + trial + " never got ready: " + Files.readString(log));
            }
        }

        void go() throws IOException {
            OutputStream in = process.getOutputStream();
            in.write('\n');
            in.flush();
        }

        /** SIGKILL; whether a create was on the wire as far as the worker's output tells. */
        boolean kill() throws Exception {
            String last;
            synchronized (lines) {
                last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
            }
            boolean alive = process.isAlive();
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(10_000);
            if (!alive) {
                throw new AssertionError("worker " + trial + " died before its kill (exit " + process.exitValue()
                        + "): " + Files.readString(log));
            }
            return last.startsWith("SEND ");
        }
    }
}
