package dev.loraport.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loraport.GenerationRequest;
import dev.loraport.GenerationResult;
import dev.loraport.TaskId;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import dev.loraport.decorators.LoraportMetrics;
import dev.loraport.simulators.NovitaSimulator;
import dev.loraport.simulators.SampleImages;
import dev.loraport.watch.TaskWatcher;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A Boot application with nothing but {@code application.yml} and the starter trains on the Novita simulator,
 * waits through the starter's watcher, generates with the trained LoRA and reports UP, every call observed.
 */
@Tag("issue-18")
@SpringBootTest(classes = LoraportApplicationTest.App.class)
@Import(LoraportApplicationTest.Observations.class)
class LoraportApplicationTest {

    static final NovitaSimulator novita = NovitaSimulator.create();

    static {
        novita.start();
    }

    /** Only auto-configuration. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {}

    /** What Boot's actuator would register, as a registry a test can read. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Observations {
        @Bean
        ObservationRegistry observationRegistry() {
            return TestObservationRegistry.create();
        }
    }

    @DynamicPropertySource
    static void simulator(DynamicPropertyRegistry registry) {
        registry.add("loraport.novita.api-key", novita::apiKey);
        registry.add(
                "loraport.novita.base-url",
                () -> novita.config().baseUrl().orElseThrow().toString());
        novita.config().options().forEach((k, v) -> registry.add("loraport.novita.options." + k, () -> v));
    }

    @AfterAll
    static void stop() {
        novita.close();
    }

    @Autowired
    TrainingProvider provider;

    @Autowired
    TaskWatcher watcher;

    @Autowired
    HealthContributor health;

    @Autowired
    ObservationRegistry observations;

    @Test
    void trainsWaitsGeneratesAndReportsUp() throws Exception {
        TrainingRequest request = TrainingRequest.builder()
                .name("boot-app")
                .kind(TrainingKind.SUBJECT)
                .baseModel("v1-5-pruned-emaonly")
                .instancePrompt("a photo of sks person")
                .classPrompt("person")
                .images(SampleImages.pngs(1))
                .clientReference("boot-app-1")
                .build();
        TaskId id = provider.create(request).id();
        novita.clock().advance(Duration.ofHours(2));

        TrainingTask done = watcher.watch(provider, id).result().get(30, TimeUnit.SECONDS);

        assertThat(done.status()).isEqualTo(TrainingStatus.READY);
        assertThat(done.models()).isNotEmpty();
        GenerationResult images = provider.generate(GenerationRequest.builder()
                .prompt("a photo of sks person on a beach")
                .addLora(done.models().get(0).name(), 0.8)
                .imageCount(1)
                .build());
        assertThat(images.images()).hasSize(1);
        HealthIndicator novitaHealth = (HealthIndicator) ((CompositeHealthContributor) health).getContributor("novita");
        assertThat(novitaHealth.health().getStatus()).isEqualTo(Status.UP);
        assertThat(novita.tasksCreated()).isEqualTo(1);
        TestObservationRegistryAssert.assertThat((TestObservationRegistry) observations)
                .hasAnObservation(o -> o.hasNameEqualTo(LoraportMetrics.REQUESTS)
                        .hasLowCardinalityKeyValue("operation", "create")
                        .hasLowCardinalityKeyValue("provider", "novita")
                        .hasHighCardinalityKeyValue("loraport.client.reference", "boot-app-1")
                        .hasHighCardinalityKeyValue("loraport.task.id", id.value()))
                .hasAnObservation(o -> o.hasNameEqualTo(LoraportMetrics.REQUESTS)
                        .hasLowCardinalityKeyValue("operation", "status")
                        .hasHighCardinalityKeyValue("loraport.task.id", id.value()))
                .hasAnObservation(o -> o.hasNameEqualTo(LoraportMetrics.REQUESTS)
                        .hasLowCardinalityKeyValue("operation", "generate")
                        .hasLowCardinalityKeyValue("outcome", "success"))
                .hasAnObservation(
                        o -> o.hasNameEqualTo(LoraportMetrics.REQUESTS).hasLowCardinalityKeyValue("operation", "list"));
    }
}
