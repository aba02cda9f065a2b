package dev.loraport.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loraport.FixedStatusProvider;
import dev.loraport.TaskId;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AwaitReadyTest {

    @Test
    void aReadyTaskIsReturned() {
        FixedStatusProvider provider = new FixedStatusProvider(TrainingStatus.READY);
        TrainingTask t = AwaitReady.awaitReady(provider, TaskId.of("t1"), Duration.ofMinutes(5));
        assertThat(t.status()).isEqualTo(TrainingStatus.READY);
        assertThat(provider.calls).hasValue(1);
    }

    @Test
    void aFailedTaskThrowsTheTypedExceptionWithTheTaskAndItsReason() {
        assertThatThrownBy(() -> AwaitReady.awaitReady(
                        new FixedStatusProvider(TrainingStatus.FAILED), TaskId.of("t2"), Duration.ofMinutes(5)))
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
                        new FixedStatusProvider(TrainingStatus.CANCELED), TaskId.of("t3"), Duration.ofMinutes(5)))
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
