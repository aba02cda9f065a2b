package dev.loraport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@link TrainingProvider#await} on the calling thread, with real but short time. */
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
            if (taskId.value().equals("breaker") && calls.get() == 1) {
                // Like an open circuit breaker: unavailable, and not to be retried at once.
                throw new ProviderUnavailableException("fixed", "status", "breaker open", null, null, null) {
                    private static final long serialVersionUID = 1L;

                    @Override
                    public boolean isRetryable() {
                        return false;
                    }
                };
            }
            if (taskId.value().equals("flaky") && calls.get() == 1) {
                throw new ProviderUnavailableException("fixed", "status", "HTTP 503", 503, null, null);
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
                    assertThat(e.providerId()).isEqualTo("fixed");
                    assertThat(e.taskId()).isEqualTo(TaskId.of("slow"));
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
    void awaitRetriesARetryableErrorOnTheCallingThread() {
        FixedProvider provider = new FixedProvider(TrainingStatus.READY);
        Set<String> before = watcherThreads();

        PollPolicy fast =
                PollPolicy.builder().minInterval(Duration.ofMillis(20)).build();

        TrainingTask task = Await.await(provider, TaskId.of("flaky"), Duration.ofSeconds(30), fast);

        assertThat(task.status()).isEqualTo(TrainingStatus.READY);
        assertThat(provider.calls).hasValue(2);
        // No shared watcher, scheduler or daemon thread is started for one await.
        assertThat(watcherThreads()).isEqualTo(before);
    }

    @Test
    void awaitWaitsOutAnOpenCircuitBreaker() {
        FixedProvider provider = new FixedProvider(TrainingStatus.READY);
        PollPolicy fast =
                PollPolicy.builder().minInterval(Duration.ofMillis(20)).build();

        TrainingTask task = Await.await(provider, TaskId.of("breaker"), Duration.ofSeconds(30), fast);

        assertThat(task.status()).isEqualTo(TrainingStatus.READY);
        assertThat(provider.calls).hasValue(2);
    }

    private static Set<String> watcherThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .filter(n -> n.startsWith("loraport-"))
                .collect(Collectors.toSet());
    }
}
