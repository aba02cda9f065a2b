package dev.loraport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@link TrainingProvider#await} on the calling thread, with real but short time. */
class AwaitTest {

    @Test
    void awaitReturnsTheTerminalTask() {
        FixedStatusProvider provider = new FixedStatusProvider(TrainingStatus.FAILED);

        TrainingTask task = provider.await(TaskId.of("done"), Duration.ofSeconds(30));

        assertThat(task.status()).isEqualTo(TrainingStatus.FAILED);
        assertThat(provider.calls).hasValue(1);
    }

    @Test
    void awaitTimesOutWithTheRef() {
        FixedStatusProvider provider = new FixedStatusProvider(TrainingStatus.TRAINING);

        assertThatThrownBy(() -> provider.await(TaskId.of("slow"), Duration.ofMillis(200)))
                .isInstanceOfSatisfying(TaskTimeoutException.class, e -> {
                    assertThat(e.providerId()).isEqualTo("fixed");
                    assertThat(e.taskId()).isEqualTo(TaskId.of("slow"));
                    assertThat(e.lastSeen()).map(TrainingTask::status).contains(TrainingStatus.TRAINING);
                });
    }

    @Test
    void awaitRethrowsAnErrorThatCannotBeRetried() {
        FixedStatusProvider provider = new FixedStatusProvider(TrainingStatus.READY);

        assertThatThrownBy(() -> provider.await(TaskId.of("missing"), Duration.ofSeconds(30)))
                .isInstanceOf(TaskNotFoundException.class);
    }

    @Test
    void anInterruptedAwaitRestoresTheFlag() {
        FixedStatusProvider provider = new FixedStatusProvider(TrainingStatus.TRAINING);
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
        FixedStatusProvider provider = new FixedStatusProvider(TrainingStatus.READY);
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
        FixedStatusProvider provider = new FixedStatusProvider(TrainingStatus.READY);
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
