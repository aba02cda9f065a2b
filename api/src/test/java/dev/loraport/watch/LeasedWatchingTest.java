package dev.loraport.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loraport.TaskId;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several leased watchers over one store, on virtual time: each job polled by one at a time, taken over when its
 * watcher stops or dies, and its end reported exactly once across the fleet.
 */
class LeasedWatchingTest {

    private static final Duration LEASE = Duration.ofSeconds(30);

    private final ManualScheduler clock = new ManualScheduler();
    private final InMemoryTaskStore store = new InMemoryTaskStore(clockOf(clock));
    private final ScriptedProvider provider = new ScriptedProvider("fake", clock, false);
    private final Map<String, AtomicInteger> ends = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> pollers = new ConcurrentHashMap<>();

    @Test
    void fourWatchersShareTwoHundredJobsAndReportEachEndOnceWhenOneStopsAndOneDies() {
        List<TaskId> jobs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            // 5 to 45 minutes each, so that jobs end all through the run.
            TaskId id = provider.linearJob("job-" + i, Duration.ofMinutes(5 + (i % 41)), i % 2 == 0);
            store.save(new TaskRef("fake", id, "ref-" + i, clock.now()));
            jobs.add(id);
        }
        // The dead worker runs on a clock of its own that stops: it neither polls nor renews from then on.
        ManualScheduler deadClock = new ManualScheduler(clock.now());
        TaskWatcher a = worker("a", clock);
        TaskWatcher b = worker("b", clock);
        TaskWatcher stopped = worker("stopped", clock);
        TaskWatcher dead = worker("dead", deadClock);

        // In steps well inside a lease, so that the dead worker keeps its leases while it lives.
        for (int step = 0; step < 120; step++) {
            clock.advance(Duration.ofSeconds(5));
            deadClock.advance(Duration.ofSeconds(5));
        }
        int heldByStopped = held(stopped);
        int heldByDead = held(dead);
        assertThat(heldByStopped).as("the stopped worker had its share").isPositive();
        assertThat(heldByDead).as("the dead worker had its share").isPositive();
        stopped.close();
        // From here the dead worker's clock stands still: its leases run out after 30 s of the fleet's time.
        clock.advance(Duration.ofMinutes(60));

        assertThat(store.load()).as("every job ended and left the store").isEmpty();
        for (TaskId id : jobs) {
            assertThat(ends.get(id.value())).as("ends reported for %s", id).hasValue(1);
        }
        assertThat(pollers.values().stream().anyMatch(s -> s.size() > 1))
                .as("some job was taken over by a second worker")
                .isTrue();

        // The dead worker wakes up, long after its leases passed on: it must not report any end again.
        deadClock.advance(Duration.ofMinutes(60));
        for (TaskId id : jobs) {
            assertThat(ends.get(id.value())).as("ends reported for %s", id).hasValue(1);
        }
        assertThat(held(dead)).isZero();
        System.out.printf(
                "leased watching: 200 jobs, 4 watchers (one closed at 10 min holding %d, one dead holding %d):"
                        + " %d ends reported, %d jobs polled by two or more workers%n",
                heldByStopped,
                heldByDead,
                ends.values().stream().mapToInt(AtomicInteger::get).sum(),
                pollers.values().stream().filter(s -> s.size() > 1).count());
        a.close();
        b.close();
        dead.close();
    }

    @Test
    void aWorkerClaimsNoMoreThanItsLimitSoTheJobsSpreadOverTheFleet() {
        for (int i = 0; i < 30; i++) {
            store.save(new TaskRef("fake", provider.linearJob("j" + i, Duration.ofHours(2), false), null, clock.now()));
        }
        TaskWatcher a = worker("a", clock, 10);
        TaskWatcher b = worker("b", clock, 10);
        TaskWatcher c = worker("c", clock, 10);

        clock.advance(Duration.ofSeconds(1));

        assertThat(List.of(held(a), held(b), held(c)))
                .allSatisfy(n -> assertThat(n).isEqualTo(10));
        a.close();
        b.close();
        c.close();
    }

    @Test
    void aJobWatchedByOneWorkerIsNotWatchedByAnotherUntilItsLeaseRunsOut() {
        TaskId id = provider.linearJob("solo", Duration.ofHours(1), false);
        TaskWatcher a = TaskWatcher.builder()
                .scheduler(clock)
                .store(store)
                .leases("a", LEASE)
                .build();
        TaskWatcher b = TaskWatcher.builder()
                .scheduler(clock)
                .store(store)
                .leases("b", LEASE)
                .build();

        WatchHandle first = a.watch(provider, id);
        WatchHandle second = b.watch(provider, id);

        assertThat(first.result()).isNotDone();
        assertThatThrownBy(() -> second.result().join())
                .isInstanceOf(CancellationException.class)
                .hasMessageContaining("watched by another worker");
        a.close();
        b.close();
    }

    @Test
    void aMarkedRefIsLeftForResumeNotClaimed() {
        TaskId id = provider.linearJob("marked", Duration.ofMinutes(5), false);
        store.save(new TaskRef("fake", id, null, clock.now()).withEndedBy("poll failed: 401"));
        TaskWatcher a = worker("a", clock);

        clock.advance(Duration.ofMinutes(10));

        assertThat(held(a)).isZero();
        assertThat(store.load())
                .singleElement()
                .satisfies(r -> assertThat(r.endedBy()).isNotNull());
        a.close();
    }

    @Test
    void leasesNeedAStoreThatSupportsThem(@TempDir Path dir) {
        TaskWatcher.Builder b = TaskWatcher.builder()
                .scheduler(clock)
                .store(TaskStore.file(dir.resolve("jobs.txt")))
                .leases("a", LEASE);

        assertThatThrownBy(b::build)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not support leases")
                .hasMessageContaining("PostgresTaskStore");
        assertThatThrownBy(() -> TaskWatcher.builder().leases("a", Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lease: PT1S is out of range; allowed PT3S..PT1H");
        assertThatThrownBy(() -> TaskWatcher.builder()
                        .scheduler(clock)
                        .build()
                        .claimStored(List.of(provider), WatchOptions.defaults()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not lease");
    }

    @Test
    void aTerminalStatusSeenAfterTheLeasePassedOnIsNotReported() {
        TaskId id = provider.linearJob("late", Duration.ofMinutes(1), false);
        ManualScheduler slowClock = new ManualScheduler(clock.now());
        TaskWatcher slow = TaskWatcher.builder()
                .scheduler(slowClock)
                .store(store)
                .leases("slow", LEASE)
                .build();
        TaskWatcher other = worker("other", clock);
        AtomicInteger slowEnds = new AtomicInteger();
        WatchHandle h = slow.watch(provider, id, new TaskListener() {
            @Override
            public void onTerminal(TrainingTask task) {
                slowEnds.incrementAndGet();
            }
        });
        // The slow worker's first status call stalls (a long GC pause, a slow network) for longer than its lease:
        // meanwhile another worker takes the job over, sees it end and reports that. Then the stalled call returns
        // the terminal status too.
        AtomicInteger calls = new AtomicInteger();
        provider.beforeStatus(t -> {
            if (calls.incrementAndGet() == 1) {
                clock.advance(Duration.ofMinutes(10));
            }
        });
        slowClock.advance(Duration.ZERO);

        assertThat(ends.get("late")).hasValue(1);
        assertThat(slowEnds).as("the stalled worker reports no second end").hasValue(0);
        assertThatThrownBy(() -> h.result().join())
                .isInstanceOf(CancellationException.class)
                .hasMessageContaining("lease passed to another worker");
        assertThat(store.load()).isEmpty();
        slow.close();
        other.close();
    }

    private TaskWatcher worker(String name, ManualScheduler on) {
        return worker(name, on, 60);
    }

    private TaskWatcher worker(String name, ManualScheduler on, int maxLeases) {
        TaskWatcher w = TaskWatcher.builder()
                .scheduler(on)
                .store(store)
                .leases(name, LEASE)
                .maxLeases(maxLeases)
                .minPollInterval(Duration.ofSeconds(5))
                .maxPollInterval(Duration.ofMinutes(1))
                .build();
        w.claimStored(
                List.of(provider),
                WatchOptions.builder()
                        .listener(new TaskListener() {
                            @Override
                            public void onStatus(TrainingTask task, TrainingStatus previous) {
                                pollers.computeIfAbsent(task.id().value(), k -> ConcurrentHashMap.newKeySet())
                                        .add(name);
                            }

                            @Override
                            public void onTerminal(TrainingTask task) {
                                ends.computeIfAbsent(task.id().value(), k -> new AtomicInteger())
                                        .incrementAndGet();
                            }
                        })
                        .build());
        return w;
    }

    private static int held(TaskWatcher w) {
        return w.stats().watched();
    }

    private static Clock clockOf(ManualScheduler s) {
        return new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return s.now();
            }
        };
    }
}
