package dev.loraport.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loraport.ProviderConfig;
import dev.loraport.TaskId;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import dev.loraport.decorators.ProviderStack;
import dev.loraport.simulators.NovitaSimulator;
import dev.loraport.simulators.TaskDurations;
import dev.loraport.simulators.VirtualClock;
import dev.loraport.watch.Scheduler;
import dev.loraport.watch.TaskListener;
import dev.loraport.watch.TaskRef;
import dev.loraport.watch.TaskWatcher;
import dev.loraport.watch.WatchOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Four leased watchers, as four JVMs would run them, over one PostgreSQL store and one simulator account: one is
 * closed half-way and one dies (its threads stop, nothing released). Every job must reach its end, reported once.
 */
class LeasedWatcherFleetTest {

    private static final int JOBS = 200;

    @Test
    void fourWatchersTwoHundredJobsOneStoppedOneDeadEveryEndReportedOnce() throws Exception {
        try (NovitaSimulator sim = NovitaSimulator.builder()
                .clock(VirtualClock.scaled(1))
                .durations(TaskDurations.of(Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ofMillis(500)))
                .build()) {
            sim.start();
            PostgresTaskStore store = PostgresTaskStore.builder(EmbeddedPostgresOnce.dataSource())
                    .schema(EmbeddedPostgresOnce.freshSchema())
                    .build();
            for (int i = 0; i < JOBS; i++) {
                // Submitted up to 3 s ago: the jobs end from 3 s to 6 s from now, while workers stop and die.
                String id = sim.seedTask("job-" + i, Duration.ofMillis(i * 15L));
                store.save(new TaskRef("novita", TaskId.of(id), "ref-" + i, Instant.now()));
            }
            Map<String, AtomicInteger> ends = new ConcurrentHashMap<>();
            Map<String, Set<String>> watchedBy = new ConcurrentHashMap<>();
            ScheduledExecutorService deadThreads = Executors.newScheduledThreadPool(2);
            List<TaskWatcher> watchers = new ArrayList<>();
            List<TrainingProvider> providers = new ArrayList<>();
            long start = System.nanoTime();
            for (int w = 0; w < 4; w++) {
                String name = w == 3 ? "dead" : w == 2 ? "stopped" : "w" + w;
                TrainingProvider p = stack(sim);
                providers.add(p);
                TaskWatcher.Builder b = TaskWatcher.builder()
                        .store(store)
                        .leases(name, Duration.ofSeconds(3))
                        .maxLeases(55)
                        .minPollInterval(Duration.ofMillis(200))
                        .maxPollInterval(Duration.ofMillis(800));
                if (w == 3) {
                    b.scheduler(on(deadThreads));
                }
                TaskWatcher watcher = b.build();
                watcher.claimStored(
                        List.of(p),
                        WatchOptions.builder()
                                .listener(new TaskListener() {
                                    @Override
                                    public void onStatus(TrainingTask task, TrainingStatus previous) {
                                        watchedBy
                                                .computeIfAbsent(task.id().value(), k -> ConcurrentHashMap.newKeySet())
                                                .add(name);
                                    }

                                    @Override
                                    public void onTerminal(TrainingTask task) {
                                        ends.computeIfAbsent(task.id().value(), k -> new AtomicInteger())
                                                .incrementAndGet();
                                    }
                                })
                                .build());
                watchers.add(watcher);
            }
            // Half-way for the two that go: once each has seen some of its jobs, which then pass on unfinished.
            long seen = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((seenBy(watchedBy, "stopped") < 5 || seenBy(watchedBy, "dead") < 5) && System.nanoTime() < seen) {
                Thread.sleep(20);
            }
            int heldByStopped = watchers.get(2).stats().watched();
            int heldByDead = watchers.get(3).stats().watched();
            watchers.get(2).close();
            // Dies: its threads stop mid-whatever, it releases nothing; its leases pass on when they run out.
            deadThreads.shutdownNow();

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (ends.size() < JOBS && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            int takenOver =
                    (int) watchedBy.values().stream().filter(s -> s.size() > 1).count();
            int reported = ends.values().stream().mapToInt(AtomicInteger::get).sum();
            System.out.printf(
                    "leased fleet (PostgreSQL): %d jobs, 4 watchers, one closed holding %d and one dead holding %d"
                            + " when it had seen 5: %d ends reported for %d jobs in %d ms, %d jobs watched by two or more"
                            + " workers, %d refs left%n",
                    JOBS,
                    heldByStopped,
                    heldByDead,
                    reported,
                    ends.size(),
                    millis,
                    takenOver,
                    store.load().size());

            assertThat(heldByStopped).as("the stopped watcher held jobs").isPositive();
            assertThat(heldByDead).as("the dead watcher held jobs").isPositive();
            assertThat(ends).as("jobs whose end was reported").hasSize(JOBS);
            assertThat(ends.values()).allSatisfy(n -> assertThat(n).hasValue(1));
            assertThat(takenOver).as("jobs taken over").isPositive();
            assertThat(store.load()).as("refs left in the store").isEmpty();
            for (int w = 0; w < 3; w++) {
                watchers.get(w).close();
            }
            providers.forEach(TrainingProvider::close);
        }
    }

    private static long seenBy(Map<String, Set<String>> watchedBy, String name) {
        return watchedBy.values().stream().filter(s -> s.contains(name)).count();
    }

    private static TrainingProvider stack(NovitaSimulator sim) {
        ProviderConfig cfg = sim.config().toBuilder()
                .option("ratelimit.enabled", "false")
                .option("circuitbreaker.enabled", "false")
                .build();
        return ProviderStack.builder()
                .config(cfg)
                .meterRegistry(new SimpleMeterRegistry())
                .build();
    }

    /** A scheduler on threads the test can kill, as a dying JVM would. */
    private static Scheduler on(ScheduledExecutorService threads) {
        return new Scheduler() {
            @Override
            public Instant now() {
                return Instant.now();
            }

            @Override
            public Cancellable schedule(Duration delay, Runnable task) {
                ScheduledFuture<?> f = threads.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
                return () -> f.cancel(false);
            }
        };
    }
}
