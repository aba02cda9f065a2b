package dev.loraport.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loraport.simulators.Endpoint;
import dev.loraport.simulators.Fault;
import dev.loraport.simulators.StableDiffusionApiSimulator;
import dev.loraport.watch.CreateIntent;
import dev.loraport.watch.TaskStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two JVM processes on one machine share a file store on ModelsLab, whose listing shows no names: the file lock
 * must serialise their creates and the journal must make one job per reference.
 */
class FileStoreTwoProcessSoakTest {

    private static final int CREATES_PER_PROCESS = Integer.getInteger("loraport.soak.creates", 150);

    @TempDir
    Path dir;

    @Test
    void twoProcessesSharingAFileStoreBillNothingTwice() throws Exception {
        try (StableDiffusionApiSimulator sim =
                StableDiffusionApiSimulator.builder().build()) {
            sim.start();
            sim.failRandomly(0.07, 1, Endpoint.CREATE, Fault.acceptedButLost());
            sim.failRandomly(0.07, 2, Endpoint.CREATE, Fault.serverError(503));
            sim.failRandomly(0.05, 3, Endpoint.CREATE, Fault.connectionReset());
            sim.failRandomly(0.10, 4, Endpoint.LIST, Fault.serverError(503));
            Path store = dir.resolve("jobs.txt");
            long start = System.nanoTime();
            List<Process> processes = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                processes.add(new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java")
                                        .toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                FleetWorkerMain.class.getName(),
                                sim.baseUrl(),
                                sim.apiKey(),
                                store.toString(),
                                Integer.toString(w),
                                Integer.toString(CREATES_PER_PROCESS),
                                "sdxl")
                        .redirectError(dir.resolve("worker-" + w + ".log").toFile())
                        .start());
            }
            Map<String, Set<String>> outcomes = new HashMap<>();
            for (Process p : processes) {
                try (BufferedReader r =
                        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        String[] parts = line.split(" ");
                        outcomes.computeIfAbsent(parts[0], k -> new HashSet<>()).add(parts[1]);
                    }
                }
                assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
                assertThat(p.exitValue()).as("worker exit code").isZero();
            }
            long millis = (System.nanoTime() - start) / 1_000_000;

            Map<String, String> owner = new HashMap<>();
            int handedOthers = 0;
            int unknown = 0;
            int twoJobsForOneReference = 0;
            for (Map.Entry<String, Set<String>> e : outcomes.entrySet()) {
                Set<String> ids = new HashSet<>(e.getValue());
                ids.remove("REFUSED");
                if (ids.remove("UNKNOWN")) {
                    unknown++;
                }
                if (ids.size() > 1) {
                    twoJobsForOneReference++;
                }
                for (String id : ids) {
                    if (owner.putIfAbsent(id, e.getKey()) != null) {
                        handedOthers++;
                    }
                }
            }
            Set<String> known = new HashSet<>(owner.keySet());
            int sending = 0;
            for (CreateIntent i : TaskStore.file(store).intents()) {
                i.task().ifPresent(t -> known.add(t.value()));
                if (i.state() == CreateIntent.State.SENDING) {
                    sending++;
                }
            }
            int orphans = 0;
            for (String t : sim.taskIds()) {
                if (!known.contains(t)) {
                    orphans++;
                }
            }
            System.out.printf(
                    "two-process file-store soak stablediffusionapi: 2 processes x %d creates (%d references, %d create"
                            + " calls) in %d ms: %d jobs on the service, %d callers handed another's job, %d references"
                            + " with two jobs, %d jobs no caller knows (%d intents SENDING), %d unknown outcomes%n",
                    CREATES_PER_PROCESS,
                    outcomes.size(),
                    sim.requestCount(Endpoint.CREATE),
                    millis,
                    sim.taskIds().size(),
                    handedOthers,
                    twoJobsForOneReference,
                    orphans,
                    sending,
                    unknown);

            assertThat(handedOthers).isZero();
            assertThat(twoJobsForOneReference).isZero();
            assertThat(orphans).isLessThanOrEqualTo(sending);
            assertThat(sim.taskIds().size()).isLessThanOrEqualTo(outcomes.size());
            assertThat(unknown).isLessThanOrEqualTo(2 * CREATES_PER_PROCESS / 100);
        }
    }
}
