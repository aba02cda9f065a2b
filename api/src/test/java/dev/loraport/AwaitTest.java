package dev.loraport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link TrainingProvider#await} on the shared watcher, with real but short time. */
class AwaitTest {

    /** Reports one status forever. */
    private static final class FixedProvider implements TrainingProvider {
        private final TrainingStatus status;
        final AtomicInteger calls = new AtomicInteger();

        FixedProvider(TrainingStatus status) {
            this.status = status;
        }

        @Override
        public ProviderInfo info() {
            return new ProviderInfo(
                    "fixed", "Fixed", ProviderCapabilities.builder().build());
        }

        @Override
        public TrainingTask create(TrainingRequest request) {
            throw new UnsupportedOperationException("test double");
        }

        @Override
        public Page<TrainingTask> list(PageRequest page) {
            throw new UnsupportedOperationException("test double");
        }

        @Override
        public TrainingTask status(TaskId taskId) {
            calls.incrementAndGet();
            if (taskId.value().equals("missing")) {
                throw new TaskNotFoundException("fixed", "status", "no such task", 404, null, null);
            }
            return TrainingTask.builder()
                    .id(taskId)
                    .providerId("fixed")
                    .status(status)
                    .build();
        }
    }

    @Test
    void awaitReturnsTheTerminalTask() {
        FixedProvider provider = new FixedProvider(TrainingStatus.FAILED);

        TrainingTask task = provider.await(TaskId.of("done"), Duration.ofSeconds(30));

        assertThat(task.status()).isEqualTo(TrainingStatus.FAILED);
        assertThat(provider.calls).hasValue(1);
    }

    @Test
    void awaitTimesOutWithTheRef() {
        FixedProvider provider = new FixedProvider(TrainingStatus.TRAINING);

        assertThatThrownBy(() -> provider.await(TaskId.of("slow"), Duration.ofMillis(200)))
                .isInstanceOfSatisfying(TaskTimeoutException.class, e -> {
                    assertThat(e.ref().providerId()).isEqualTo("fixed");
                    assertThat(e.ref().taskId()).isEqualTo(TaskId.of("slow"));
                    assertThat(e.lastSeen()).map(TrainingTask::status).contains(TrainingStatus.TRAINING);
                });
    }

    @Test
    void awaitRethrowsAnErrorThatCannotBeRetried() {
        FixedProvider provider = new FixedProvider(TrainingStatus.READY);

        assertThatThrownBy(() -> provider.await(TaskId.of("missing"), Duration.ofSeconds(30)))
                .isInstanceOf(TaskNotFoundException.class);
    }

    @Test
    void anInterruptedAwaitRestoresTheFlag() {
        FixedProvider provider = new FixedProvider(TrainingStatus.TRAINING);
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> provider.await(TaskId.of("slow"), Duration.ofSeconds(30)))
                    .isInstanceOf(CancellationException.class)
                    .hasCauseInstanceOf(InterruptedException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void watcherAwaitRunsOnVirtualTime() throws Exception {
        ManualScheduler clock = new ManualScheduler();
        ScriptedProvider provider = new ScriptedProvider("fake", clock, false);
        TaskId id = provider.linearJob("job", Duration.ofMinutes(10), true);
        try (TaskWatcher watcher = TaskWatcher.builder().scheduler(clock).build()) {
            TrainingTask[] result = new TrainingTask[1];
            Thread waiter = new Thread(() -> result[0] = watcher.await(provider, id, Duration.ofHours(1)));
            waiter.start();
            while (watcher.stats().watched() == 0 && waiter.isAlive()) {
                Thread.onSpinWait();
            }
            clock.advance(Duration.ofMinutes(11));
            waiter.join(5000);

            assertThat(result[0].status()).isEqualTo(TrainingStatus.READY);
        }
    }
}
