package dev.loraport.provider.stablediffusionapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loraport.Page;
import dev.loraport.PageRequest;
import dev.loraport.TrainingTask;
import dev.loraport.simulators.Endpoint;
import dev.loraport.simulators.StableDiffusionApiSimulator;
import dev.loraport.testkit.SimulatorExtension;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The service answers the whole account at once; walking its pages must not read it once per page. */
class ListSnapshotTest {

    final StableDiffusionApiSimulator modelslab = StableDiffusionApiSimulator.create();

    @RegisterExtension
    final SimulatorExtension running = SimulatorExtension.of(modelslab);

    @Test
    void walkingFiveThousandJobsInPagesOfAHundredCostsOneListCall() {
        for (int i = 0; i < 5_000; i++) {
            modelslab.seedTask("old-" + i, Duration.ofDays(1));
        }
        try (StableDiffusionApiTrainingProvider p = StableDiffusionApiTrainingProvider.from(modelslab.config())) {
            int before = modelslab.requestCount(Endpoint.LIST);

            List<TrainingTask> all = Page.streamAll(p, 100).collect(Collectors.toList());

            assertThat(all).hasSize(5_000);
            assertThat(all.stream().map(t -> t.id().value()).collect(Collectors.toSet()))
                    .hasSize(5_000);
            assertThat(modelslab.requestCount(Endpoint.LIST) - before).isEqualTo(1);
        }
    }

    @Test
    void aCursorFromAnotherInstanceStillPagesByReadingAfresh() {
        for (int i = 0; i < 250; i++) {
            modelslab.seedTask("old-" + i, Duration.ofDays(1));
        }
        Set<String> seen = new HashSet<>();
        String next;
        try (StableDiffusionApiTrainingProvider first = StableDiffusionApiTrainingProvider.from(modelslab.config())) {
            Page<TrainingTask> page = first.list(PageRequest.first(100));
            page.items().forEach(t -> seen.add(t.id().value()));
            next = page.nextCursor();
        }
        try (StableDiffusionApiTrainingProvider second = StableDiffusionApiTrainingProvider.from(modelslab.config())) {
            for (String cursor = next; cursor != null; ) {
                Page<TrainingTask> page = second.list(PageRequest.after(cursor, 100));
                page.items().forEach(t -> seen.add(t.id().value()));
                cursor = page.nextCursor();
            }
        }
        assertThat(seen).hasSize(250);
    }
}
