package consumer.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loraport.TaskId;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingStatus;
import dev.loraport.decorators.ProviderStack;
import dev.loraport.simulators.NovitaSimulator;
import dev.loraport.simulators.SampleImages;
import dev.loraport.testkit.SimulatorExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

/**
 * A Spring Boot 3 test that uses the testkit as a Boot user would: Boot manages Jetty 12, and the simulator (on
 * the shaded WireMock) starts anyway and answers a real call through the decorated Novita adapter. With
 * {@code org.wiremock:wiremock} (Jetty 11) under the simulators, the start fails with "Jetty 11 is not present".
 */
@SpringBootTest(classes = BootTestkitTest.App.class)
class BootTestkitTest {

    static final NovitaSimulator novita = NovitaSimulator.create();

    @RegisterExtension
    static final SimulatorExtension running = SimulatorExtension.of(novita);

    /** A Boot application with nothing of its own but auto-configuration. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {}

    @Autowired
    ApplicationContext context;

    @Test
    void aSimulatorFromTheTestkitAnswersTheAdapterInsideABootTest() {
        assertThat(context).isNotNull();
        TrainingRequest request = TrainingRequest.builder()
                .name("boot")
                .kind(TrainingKind.SUBJECT)
                .baseModel("v1-5-pruned-emaonly")
                .instancePrompt("a photo of sks person")
                .classPrompt("person")
                .images(SampleImages.pngs(1))
                .build();
        try (TrainingProvider provider = ProviderStack.fromConfig(novita.config())) {
            TaskId id = provider.create(request).id();
            novita.clock().advance(Duration.ofHours(2));
            assertThat(provider.status(id).status()).isEqualTo(TrainingStatus.READY);
        }
        assertThat(novita.tasksCreated()).isEqualTo(1);
    }
}
