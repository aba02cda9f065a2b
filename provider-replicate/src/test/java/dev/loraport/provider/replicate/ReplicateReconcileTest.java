package dev.loraport.provider.replicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loraport.CreateOutcomeUnknownException;
import dev.loraport.ProviderConfig;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingTask;
import dev.loraport.decorators.LoraportMetrics;
import dev.loraport.decorators.ProviderStack;
import dev.loraport.simulators.Endpoint;
import dev.loraport.simulators.Fault;
import dev.loraport.simulators.ReplicateSimulator;
import dev.loraport.simulators.SampleImages;
import dev.loraport.testkit.SimulatorExtension;
import dev.loraport.watch.CreateIntent;
import dev.loraport.watch.TaskStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Replicate's listing shows no job name: a lost create is found by the uploaded zip's URL the journal holds. */
class ReplicateReconcileTest {

    final ReplicateSimulator sim = ReplicateSimulator.create();

    @RegisterExtension
    final SimulatorExtension running = SimulatorExtension.of(sim);

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final TaskStore store = TaskStore.inMemory();

    TrainingProvider stack() {
        ProviderConfig config =
                sim.config().toBuilder().option("ratelimit.enabled", "false").build();
        return ProviderStack.builder()
                .config(config)
                .adapter(ReplicateTrainingProvider.from(config))
                .store(store)
                .meterRegistry(registry)
                .sleeper(d -> sim.clock().advance(d))
                .random(new Random(7))
                .build();
    }

    static TrainingRequest request(String reference) {
        return TrainingRequest.builder()
                .name("lost")
                .kind(TrainingKind.SUBJECT)
                .baseModel(ReplicateTrainingProvider.DEFAULT_TRAINER)
                .images(SampleImages.pngs(2))
                .instancePrompt("TOK")
                .clientReference(reference)
                .build();
    }

    double counter(String name, String... tags) {
        return registry.find(name).tags(tags).counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    /** The {@code input.input_images} the service holds for a training, read as an official client would. */
    String inputImages(String trainingId) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1/trainings/" + trainingId))
                                .header("Authorization", "Bearer " + sim.apiKey())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        JsonNode n = new ObjectMapper().readTree(r.body());
        return n.path("input").path("input_images").asText();
    }

    @Test
    void anAcceptedCreateWhoseAnswerIsLostIsFoundByItsUploadUrlAmongOtherJobs() throws Exception {
        for (int i = 0; i < 3; i++) {
            sim.seedTask("other-" + i, Duration.ofMinutes(10 + i));
        }
        TrainingProvider p = stack();
        sim.failNext(Endpoint.CREATE, Fault.acceptedButLost());

        TrainingTask t = p.create(request("job-lost-1"));

        assertThat(sim.tasksCreated()).isEqualTo(4);
        assertThat(sim.requestCount(Endpoint.CREATE)).isEqualTo(1);
        assertThat(sim.requestCount(Endpoint.UPLOAD)).isEqualTo(1);
        CreateIntent intent = store.intents().get(0);
        assertThat(intent.state()).isEqualTo(CreateIntent.State.ACCEPTED);
        assertThat(intent.taskId()).isEqualTo(t.id());
        assertThat(intent.correlation()).isEqualTo(inputImages(t.id().value()));
        assertThat(counter(LoraportMetrics.RECONCILIATIONS, "result", "found")).isEqualTo(1);
        assertThat(counter(LoraportMetrics.DUPLICATES_AVOIDED)).isEqualTo(1);
    }

    @Test
    void aCreateRefusedBeforeAcceptanceIsSentAgainWithTheSameUpload() {
        TrainingProvider p = stack();
        sim.failNext(Endpoint.CREATE, Fault.serverError(503));

        p.create(request("job-refused-1"));

        assertThat(sim.tasksCreated()).isEqualTo(1);
        assertThat(sim.requestCount(Endpoint.CREATE)).isEqualTo(2);
        assertThat(sim.requestCount(Endpoint.UPLOAD)).isEqualTo(1);
        assertThat(counter(LoraportMetrics.RECONCILIATIONS, "result", "absent")).isEqualTo(1);
    }

    @Test
    void theUrlIsJournaledBeforeTheCreateSoALaterRunFindsTheJobInsteadOfTrainingTwice() throws Exception {
        TrainingProvider p = stack();
        sim.failNext(Endpoint.CREATE, Fault.acceptedButLost());
        // The listing is down while the first run reconciles: the outcome stays unknown.
        sim.failEvery(1, Endpoint.LIST, Fault.serverError(503));

        assertThatThrownBy(() -> p.create(request("job-unknown-1"))).isInstanceOf(CreateOutcomeUnknownException.class);
        List<CreateIntent> intents = store.intents();
        assertThat(intents).hasSize(1);
        assertThat(intents.get(0).state()).isEqualTo(CreateIntent.State.SENDING);
        String made = sim.taskIds().get(0);
        assertThat(intents.get(0).correlation()).isEqualTo(inputImages(made));

        sim.clearFaults();
        TrainingTask again = stack().create(request("job-unknown-1"));

        assertThat(again.id().value()).isEqualTo(made);
        assertThat(sim.tasksCreated()).isEqualTo(1);
        assertThat(sim.requestCount(Endpoint.CREATE)).isEqualTo(1);
    }
}
