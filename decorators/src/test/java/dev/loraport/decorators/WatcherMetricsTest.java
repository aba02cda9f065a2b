package dev.loraport.decorators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loraport.Page;
import dev.loraport.PageRequest;
import dev.loraport.ProviderCapabilities;
import dev.loraport.ProviderInfo;
import dev.loraport.TaskId;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import dev.loraport.watch.Scheduler;
import dev.loraport.watch.TaskWatcher;
import dev.loraport.watch.WatchHandle;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The gauge {@code loraport.tasks.watched} was declared but never registered. */
@Tag("issue-13")
class WatcherMetricsTest {

    /** Runs nothing until told to, on a clock that stands still. */
    static final class HeldScheduler implements Scheduler {
        final List<Runnable> due = new ArrayList<>();

        @Override
        public Instant now() {
            return Instant.parse("2026-01-01T00:00:00Z");
        }

        @Override
        public synchronized Cancellable schedule(Duration delay, Runnable task) {
            due.add(task);
            return () -> due.remove(task);
        }

        void runAll() {
            List<Runnable> now;
            synchronized (this) {
                now = new ArrayList<>(due);
                due.clear();
            }
            now.forEach(Runnable::run);
        }
    }

    /** Always training. */
    static final class Training implements TrainingProvider {
        @Override
        public ProviderInfo info() {
            return new ProviderInfo(
                    "slow", "Slow", ProviderCapabilities.builder().build());
        }

        @Override
        public TrainingTask create(TrainingRequest request) {
            throw new UnsupportedOperationException("test double");
        }

        @Override
        public TrainingTask status(TaskId id) {
            return TrainingTask.builder()
                    .id(id)
                    .providerId("slow")
                    .status(TrainingStatus.TRAINING)
                    .build();
        }

        @Override
        public Page<TrainingTask> list(PageRequest page) {
            throw new UnsupportedOperationException("test double");
        }
    }

    @Test
    void theGaugeCountsWatchedTasksAndTheCounterThePolls() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        HeldScheduler scheduler = new HeldScheduler();
        try (TaskWatcher watcher = TaskWatcher.builder().scheduler(scheduler).build()) {
            WatcherMetrics.bind(watcher, registry);
            WatchHandle a = watcher.watch(new Training(), TaskId.of("a"));
            Training shared = new Training();
            watcher.watch(shared, TaskId.of("b"));
            watcher.watch(shared, TaskId.of("c"));

            assertThat(registry.get(LoraportMetrics.TASKS_WATCHED).gauge().value())
                    .isEqualTo(3);
            scheduler.runAll();
            assertThat(registry.get(WatcherMetrics.WATCHER_POLLS)
                            .functionCounter()
                            .count())
                    .isEqualTo(3);

            a.cancel();
            assertThat(registry.get(LoraportMetrics.TASKS_WATCHED).gauge().value())
                    .isEqualTo(2);
        }
    }
}
