package dev.loraport.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loraport.Page;
import dev.loraport.PageRequest;
import dev.loraport.ProviderCapabilities;
import dev.loraport.ProviderInfo;
import dev.loraport.TaskId;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitReadyTest {

    /** Answers the given (terminal) status at once: awaitReady must not sleep in a unit test. */
    private static final class EndsAs implements TrainingProvider {
        private final TrainingStatus end;
        final AtomicInteger calls = new AtomicInteger();

        EndsAs(TrainingStatus end) {
            this.end = end;
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
            TrainingStatus s = end;
            return TrainingTask.builder()
                    .id(taskId)
                    .providerId("fixed")
                    .status(s)
                    .failureReason(s == TrainingStatus.FAILED ? "bad images" : null)
                    .build();
        }
    }

    @Test
    void aReadyTaskIsReturned() {
        EndsAs provider = new EndsAs(TrainingStatus.READY);
        TrainingTask t = AwaitReady.awaitReady(provider, TaskId.of("t1"), Duration.ofMinutes(5));
        assertThat(t.status()).isEqualTo(TrainingStatus.READY);
        assertThat(provider.calls).hasValue(1);
    }

    @Test
    void aFailedTaskThrowsTheTypedExceptionWithTheTaskAndItsReason() {
        assertThatThrownBy(() -> AwaitReady.awaitReady(
                        new EndsAs(TrainingStatus.FAILED), TaskId.of("t2"), Duration.ofMinutes(5)))
                .isInstanceOfSatisfying(TaskNotReadyException.class, e -> {
                    assertThat(e.status()).isEqualTo(TrainingStatus.FAILED);
                    assertThat(e.taskId()).isEqualTo(TaskId.of("t2"));
                    assertThat(e.providerId()).isEqualTo("fixed");
                    assertThat(e.task().failureReason()).contains("bad images");
                })
                .hasMessage("fixed task t2 ended FAILED: bad images");
    }

    @Test
    void aCanceledTaskThrowsToo() {
        assertThatThrownBy(() -> AwaitReady.awaitReady(
                        new EndsAs(TrainingStatus.CANCELED), TaskId.of("t3"), Duration.ofMinutes(5)))
                .isInstanceOfSatisfying(
                        TaskNotReadyException.class, e -> assertThat(e.status()).isEqualTo(TrainingStatus.CANCELED));
    }

    @Test
    void requireReadyRefusesATaskThatHasNotEnded() {
        TrainingTask running = TrainingTask.builder()
                .id(TaskId.of("t4"))
                .providerId("fixed")
                .status(TrainingStatus.TRAINING)
                .build();
        assertThatThrownBy(() -> AwaitReady.requireReady(running))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TRAINING");
    }
}
