package dev.loraport.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loraport.ProviderConfig;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingTask;
import dev.loraport.decorators.ProviderStack;
import dev.loraport.simulators.Endpoint;
import dev.loraport.simulators.Fault;
import dev.loraport.simulators.SampleImages;
import dev.loraport.simulators.StableDiffusionApiSimulator;
import dev.loraport.watch.CreateIntent;
import dev.loraport.watch.TaskStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A ModelsLab account with 5,000 jobs: a create's snapshot costs one listing call however big the account, and a
 * create whose answer is lost is still matched to its job, through the whole stack and its journal.
 */
class LargeAccountCreateTest {

    @Test
    void atFiveThousandJobsACreateListsOnceAndALostOneIsFound() {
        try (StableDiffusionApiSimulator sim = StableDiffusionApiSimulator.create()) {
            sim.start();
            for (int i = 0; i < 5_000; i++) {
                sim.seedTask("old-" + i, Duration.ofDays(1));
            }
            TaskStore store = TaskStore.inMemory();
            ProviderConfig cfg = sim.config().toBuilder()
                    .option("retry.initial-backoff", "1ms")
                    .option("reconcile.delay", "0s")
                    .option("ratelimit.enabled", "false")
                    .build();
            try (TrainingProvider p = ProviderStack.builder()
                    .config(cfg)
                    .meterRegistry(new SimpleMeterRegistry())
                    .store(store)
                    .build()) {
                int lists = sim.requestCount(Endpoint.LIST);
                TrainingTask first = p.create(request("big-1"));
                int normal = sim.requestCount(Endpoint.LIST) - lists;

                sim.failNext(Endpoint.CREATE, Fault.acceptedButLost());
                lists = sim.requestCount(Endpoint.LIST);
                int creates = sim.requestCount(Endpoint.CREATE);
                TrainingTask lost = p.create(request("big-2"));
                int afterLost = sim.requestCount(Endpoint.LIST) - lists;

                System.out.printf(
                        "ModelsLab create at %d jobs: %d listing call(s); a lost create: %d listing calls, %d create"
                                + " call(s), found %s%n",
                        5_000, normal, afterLost, sim.requestCount(Endpoint.CREATE) - creates, lost.id());
                assertThat(normal).as("listing calls of a create").isEqualTo(1);
                assertThat(afterLost)
                        .as("listing calls of a lost create: before and after")
                        .isEqualTo(2);
                assertThat(sim.requestCount(Endpoint.CREATE) - creates)
                        .as("never resent")
                        .isEqualTo(1);
                assertThat(sim.taskIds())
                        .hasSize(5_002)
                        .contains(first.id().value(), lost.id().value());
                assertThat(lost.id()).isNotEqualTo(first.id());
                assertThat(sim.taskIds().get(5_001)).isEqualTo(lost.id().value());
                assertThat(store.intents())
                        .filteredOn(i -> i.clientReference().equals("big-2"))
                        .singleElement()
                        .satisfies(i -> {
                            assertThat(i.state()).isEqualTo(CreateIntent.State.ACCEPTED);
                            assertThat(i.task()).contains(lost.id());
                        });
            }
        }
    }

    private static TrainingRequest request(String reference) {
        return TrainingRequest.builder()
                .name("big")
                .kind(TrainingKind.SUBJECT)
                .baseModel("sdxl")
                .images(SampleImages.pngs(2))
                .instancePrompt("a photo of ohwx person")
                .classPrompt("person")
                .clientReference(reference)
                .build();
    }
}
