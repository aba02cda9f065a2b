package dev.loraport.provider.novita;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loraport.ProviderConfig;
import dev.loraport.TaskId;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import dev.loraport.decorators.ProviderStack;
import dev.loraport.simulators.Endpoint;
import dev.loraport.simulators.Fault;
import dev.loraport.simulators.NovitaSimulator;
import dev.loraport.simulators.SampleImages;
import dev.loraport.simulators.VirtualScheduler;
import dev.loraport.testkit.SimulatorExtension;
import dev.loraport.watch.TaskListener;
import dev.loraport.watch.TaskWatcher;
import dev.loraport.watch.WatchHandle;
import dev.loraport.watch.WatcherStats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The TaskWatcher following jobs on the Novita simulator, through the full decorator stack, in virtual time. */
class NovitaWatcherTest {

    final NovitaSimulator novita = NovitaSimulator.create();

    @RegisterExtension
    final SimulatorExtension novitaRunning = SimulatorExtension.of(novita);

    @Test
    void everyJobIsSeenEndingSoonAfterItEndsEvenThroughA429Storm() {
        ProviderConfig config =
                novita.config().toBuilder().option("ratelimit.enabled", "false").build();
        TrainingProvider provider = ProviderStack.builder()
                .config(config)
                .adapter(NovitaTrainingProvider.from(config))
                .sleeper(d -> novita.clock().advance(d))
                .build();
        VirtualScheduler scheduler = new VirtualScheduler(novita.clock());
        Map<TaskId, List<Integer>> progress = new HashMap<>();
        Map<TaskId, Instant> seenEnding = new HashMap<>();
        List<WatchHandle> handles = new ArrayList<>();
        Instant readyAt = novita.clock().now().plus(NovitaSimulator.DEFAULT_DURATIONS.total());
        try (TaskWatcher watcher = TaskWatcher.builder()
                .scheduler(scheduler)
                .expectedDuration("novita", NovitaSimulator.DEFAULT_DURATIONS.total())
                .build()) {
            for (int i = 0; i < 20; i++) {
                TaskId id = provider.create(TrainingRequest.builder()
                                .name("w" + i)
                                .kind(TrainingKind.SUBJECT)
                                .baseModel("v1-5-pruned-emaonly")
                                .images(SampleImages.pngs(1))
                                .instancePrompt("a photo of ohwx person")
                                .classPrompt("person")
                                .build())
                        .id();
                progress.put(id, new ArrayList<>());
                handles.add(watcher.watch(provider, id, new TaskListener() {
                    @Override
                    public void onProgress(TrainingTask task) {
                        progress.get(id).add(task.progressPercent().orElse(-1));
                    }

                    @Override
                    public void onTerminal(TrainingTask task) {
                        seenEnding.put(id, novita.clock().now());
                    }
                }));
            }
            // A storm of 429s on every read for two minutes: polling slows, nothing fails.
            novita.failEvery(1, Endpoint.STATUS, Fault.rateLimited(Duration.ofSeconds(20)));
            novita.failEvery(1, Endpoint.LIST, Fault.rateLimited(Duration.ofSeconds(20)));
            scheduler.runFor(Duration.ofMinutes(2));
            novita.clearFaults();
            scheduler.runFor(Duration.ofMinutes(30));

            assertThat(handles).allSatisfy(h -> {
                assertThat(h.result()).isCompleted();
                assertThat(h.result().join().status()).isEqualTo(TrainingStatus.READY);
            });
            assertThat(seenEnding).hasSize(20);
            assertThat(seenEnding.values())
                    .allSatisfy(
                            t -> assertThat(Duration.between(readyAt, t)).isLessThanOrEqualTo(Duration.ofSeconds(10)));
            assertThat(progress.values()).allSatisfy(p -> assertThat(p).isSorted());
            WatcherStats stats = watcher.stats();
            System.out.printf(
                    "watcher on the Novita simulator: 20 jobs, %s; %d status and %d list calls on the wire%n",
                    stats, novita.requestCount(Endpoint.STATUS), novita.requestCount(Endpoint.LIST));
            // 20 jobs x 10 minutes: a 5 s poller would make 2,400 calls.
            assertThat(stats.polls()).isLessThan(400);
        }
    }
}
