package dev.loraport.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loraport.GenerationRequest;
import dev.loraport.Page;
import dev.loraport.PageRequest;
import dev.loraport.ProviderUnavailableException;
import dev.loraport.TaskId;
import dev.loraport.TaskNotFoundException;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingStatus;
import dev.loraport.simulators.SampleImages;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FakeTrainingProviderTest {

    private final FakeTrainingProvider fake = FakeTrainingProvider.builder().build();

    private static TrainingRequest request() {
        return TrainingRequest.builder()
                .name("n")
                .kind(TrainingKind.SUBJECT)
                .baseModel("m")
                .images(SampleImages.pngs(1))
                .build();
    }

    @Test
    void jobsMoveThroughEveryStatusOnTheClock() {
        TaskId id = fake.create(request()).id();

        assertThat(fake.status(id).status()).isEqualTo(TrainingStatus.QUEUED);
        fake.clock().advance(Duration.ofMinutes(5));
        assertThat(fake.status(id).status()).isEqualTo(TrainingStatus.TRAINING);
        assertThat(fake.status(id).progressPercent()).hasValue(50);
        fake.clock().advance(Duration.ofMinutes(4).plusSeconds(30));
        assertThat(fake.status(id).status()).isEqualTo(TrainingStatus.DEPLOYING);
        fake.clock().advance(Duration.ofMinutes(1));
        assertThat(fake.status(id).status()).isEqualTo(TrainingStatus.READY);
        assertThat(fake.status(id).models()).hasSize(1);
    }

    @Test
    void scriptedAndRandomFailuresAreTyped() {
        fake.failNext(new ProviderUnavailableException("fake", "status", "down", 503, null, null));
        assertThatThrownBy(() -> fake.list(PageRequest.first(5))).isInstanceOf(ProviderUnavailableException.class);

        FakeTrainingProvider flaky =
                FakeTrainingProvider.builder().failures(100, 1, null).build();
        assertThatThrownBy(() -> flaky.create(request())).isInstanceOf(ProviderUnavailableException.class);
        assertThat(flaky.createdRequests()).isEmpty();
    }

    @Test
    void listsCancelsDeletesAndGenerates() {
        for (int i = 0; i < 5; i++) {
            fake.create(request());
        }
        assertThat(Page.streamAll(fake, 2).count()).isEqualTo(5);
        TaskId first = TaskId.of("fake-1");
        fake.cancel(first);
        assertThat(fake.status(first).status()).isEqualTo(TrainingStatus.CANCELED);
        fake.delete(first);
        assertThatThrownBy(() -> fake.status(first)).isInstanceOf(TaskNotFoundException.class);
        assertThat(fake.generate(GenerationRequest.builder()
                                .prompt("p")
                                .imageCount(2)
                                .build())
                        .images())
                .hasSize(2);
        assertThat(fake.createdRequests()).hasSize(5);
    }
}
