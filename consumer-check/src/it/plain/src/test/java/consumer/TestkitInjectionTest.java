package consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loraport.TaskId;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingStatus;
import dev.loraport.simulators.NovitaSimulator;
import dev.loraport.simulators.SampleImages;
import dev.loraport.testkit.SimulatorTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** testkit/README.md's {@code @SimulatorTest} example, as printed there (keep both in step). */
@Timeout(2)
@SimulatorTest(NovitaSimulator.class)
class TestkitInjectionTest {

    final TrainingRequest request = TrainingRequest.builder()
            .name("me")
            .kind(TrainingKind.SUBJECT)
            .baseModel("v1-5-pruned-emaonly")
            .instancePrompt("a photo of sks person")
            .classPrompt("person")
            .images(SampleImages.pngs(1))
            .build();

    // ---- testkit/README.md, @SimulatorTest example ----
    @Test
    void trains(NovitaSimulator novita, TrainingProvider provider) {
        TaskId id = provider.create(request).id();
        novita.clock().advance(Duration.ofMinutes(20));
        assertThat(provider.status(id).status()).isEqualTo(TrainingStatus.READY);
    }
    // ---- end ----
}
