package dev.loraport.provider.stablediffusionapi.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loraport.TaskId;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The progress text is the service's free text: absurd numbers in it are absent, never an exception. */
@Tag("issue-14")
class StableDiffusionApiMapperTest {

    private static TrainingTask read(String data) {
        TrainingTask.Builder b = TrainingTask.builder()
                .id(TaskId.of("t1"))
                .providerId("stablediffusionapi")
                .status(TrainingStatus.TRAINING);
        StableDiffusionApiMapper.progress(data, b);
        return b.build();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Step:30000000 loss=0.1, 30000000 Steps to go : ETA : 5 minutes",
                "Step:99999999999 loss=0.1, 1 Steps to go : ETA : 5 minutes",
                "Step:99999999999999999999 loss=0.1, 1 Steps to go : ETA : 5 minutes"
            })
    void hugeStepCountsGiveAProgressOrNoneButNeverThrow(String data) {
        TrainingTask task = read(data);

        assertThat(task.progressPercent())
                .satisfiesAnyOf(
                        p -> assertThat(p).isEmpty(),
                        p -> assertThat(p.getAsInt()).isBetween(0, 100));
        assertThat(task.eta()).contains(Duration.ofMinutes(5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"upto 99999999999999999999 minutes", "upto 999999999999999999 minutes"})
    void anAbsurdUptoEtaIsAbsent(String data) {
        assertThat(read(data).eta()).isEmpty();
    }

    @Test
    void anOrdinaryLineStillGivesProgressAndEta() {
        TrainingTask task = read("Step:300 loss=0.1, 700 Steps to go : ETA : 12.5 minutes");

        assertThat(task.progressPercent()).hasValue(30);
        assertThat(task.eta()).contains(Duration.ofSeconds(750));
    }
}
