package consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loraport.TaskId;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingStatus;
import dev.loraport.simulators.Endpoint;
import dev.loraport.simulators.Fault;
import dev.loraport.simulators.NovitaSimulator;
import dev.loraport.simulators.SampleImages;
import dev.loraport.testkit.SimulatorExtension;
import dev.loraport.testkit.Simulators;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * testkit/README.md's first example, copied as printed there (keep both in step), in under 2 s of real time, with
 * the real Novita adapter a user has (the testkit cannot depend on the providers, which test with it).
 */
@Timeout(2)
class TestkitReadmeExampleTest {

    // ---- testkit/README.md, first example, verbatim from here ----
    @Nested
    class MyServiceTest {
        final NovitaSimulator novita = NovitaSimulator.create();

        @RegisterExtension
        final SimulatorExtension running = SimulatorExtension.of(novita); // started per test

        final TrainingRequest request = TrainingRequest.builder()
                .name("me")
                .kind(TrainingKind.SUBJECT)
                .baseModel("v1-5-pruned-emaonly")
                .instancePrompt("a photo of sks person")
                .classPrompt("person")
                .images(SampleImages.pngs(1))
                .build();

        @Test
        void survivesA429() {
            try (TrainingProvider provider =
                    Simulators.stack(novita)) { // the full stack; its waits advance novita.clock()
                TaskId id = provider.create(request).id();
                novita.failNext(Endpoint.STATUS, Fault.rateLimited(Duration.ofSeconds(7)));
                novita.clock().advance(Duration.ofMinutes(20)); // the task is READY now
                assertThat(provider.status(id).status())
                        .isEqualTo(TrainingStatus.READY); // after a retry, in virtual time
                assertThat(novita.tasksCreated()).isEqualTo(1);
            }
        }
    }
    // ---- end of the first example ----

    final NovitaSimulator novita = NovitaSimulator.create();

    @RegisterExtension
    final SimulatorExtension running = SimulatorExtension.of(novita);

    @Test
    void theRetryAfterIsWaitedOnTheVirtualClock() {
        try (TrainingProvider provider = Simulators.stack(novita)) {
            TaskId id = provider.create(new MyServiceTest().request).id();
            java.time.Instant before = novita.clock().now();
            novita.failNext(Endpoint.STATUS, Fault.rateLimited(Duration.ofSeconds(7)));
            provider.status(id);
            assertThat(Duration.between(before, novita.clock().now())).isGreaterThanOrEqualTo(Duration.ofSeconds(7));
            assertThat(novita.requestCount(Endpoint.STATUS)).isEqualTo(2);
        }
    }
}
