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

    TrainingProvider stack(String... options) {
        ProviderConfig.Builder cfg = sim.config().toBuilder().option("ratelimit.enabled", "false");
        for (int i = 0; i < options.length; i += 2) {
            cfg.option(options[i], options[i + 1]);
        }
        ProviderConfig config = cfg.build();
        return ProviderStack.builder()
                .config(config)
                .adapter(ReplicateTrainingProvider.configure(config)
                        .pause(d -> sim.clock().advance(d))
                        .build())
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

    @Test
    void faultSoakCreatesNoDuplicateAndLosesNoCreate() throws Exception {
        TrainingProvider p = stack(
                "retry.max-attempts", "6",
                "circuitbreaker.enabled", "false",
                "reconcile.max-pages", "100",
                "destination.naming", "fixed");
        Fault[] mix = {
            Fault.acceptedButLost(),
            Fault.serverError(503),
            Fault.serverError(500),
            Fault.rateLimited(Duration.ofSeconds(3)),
            Fault.connectionReset(),
            Fault.malformedJson(),
            Fault.htmlErrorPage()
        };
        int seed = 0;
        for (Endpoint e : new Endpoint[] {Endpoint.CREATE, Endpoint.STATUS, Endpoint.LIST, Endpoint.UPLOAD}) {
            for (Fault f : mix) {
                // Seven rules of 3 % each: about a fifth of each endpoint's calls fail, in every way at once.
                sim.failRandomly(0.03, seed++, e, f);
            }
        }
        java.util.Set<String> returned = new java.util.HashSet<>();
        java.util.List<String> messages = new java.util.ArrayList<>();
        java.util.List<Throwable> untyped = new java.util.ArrayList<>();
        int creates = 300;
        int refused = 0;
        int unknown = 0;
        for (int i = 0; i < creates; i++) {
            try {
                returned.add(p.create(request("soak-" + i)).id().value());
            } catch (CreateOutcomeUnknownException e) {
                unknown++;
                messages.add(e.getMessage());
            } catch (dev.loraport.TrainingProviderException e) {
                refused++;
                messages.add(e.getMessage());
            } catch (RuntimeException e) {
                untyped.add(e);
            }
        }
        sim.clearFaults();
        java.util.Set<String> unknownUploads = new java.util.HashSet<>();
        for (CreateIntent i : store.intents()) {
            if (i.state() == CreateIntent.State.SENDING) {
                unknownUploads.add(i.correlation());
            }
        }
        java.util.Map<String, Integer> jobsPerUpload = new java.util.HashMap<>();
        int unaccounted = 0;
        for (String id : sim.taskIds()) {
            String url = inputImages(id);
            jobsPerUpload.merge(url, 1, Integer::sum);
            if (!returned.contains(id) && !unknownUploads.contains(url)) {
                unaccounted++;
            }
        }
        long duplicates = jobsPerUpload.values().stream().filter(n -> n > 1).count();
        System.out.printf(
                "replicate fault soak: %d creates -> %d jobs returned, %d refused, %d unknown; %d simulator jobs;"
                        + " %d duplicates; %d unaccounted; %d create calls, %d upload calls, %d list calls;"
                        + " reconciliations %.0f found, %.0f absent, %.0f unknown%n",
                creates,
                returned.size(),
                refused,
                unknown,
                sim.tasksCreated(),
                duplicates,
                unaccounted,
                sim.requestCount(Endpoint.CREATE),
                sim.requestCount(Endpoint.UPLOAD),
                sim.requestCount(Endpoint.LIST),
                counter(LoraportMetrics.RECONCILIATIONS, "result", "found"),
                counter(LoraportMetrics.RECONCILIATIONS, "result", "absent"),
                counter(LoraportMetrics.RECONCILIATIONS, "result", "unknown"));

        assertThat(untyped).isEmpty();
        assertThat(returned.size() + refused + unknown).isEqualTo(creates);
        assertThat(duplicates).isZero();
        assertThat(unaccounted).isZero();
        assertThat(returned.size()).isGreaterThan(creates * 9 / 10);
        assertThat(counter(LoraportMetrics.RECONCILIATIONS, "result", "found")).isPositive();
        assertThat(messages).noneMatch(m -> m.contains(sim.apiKey()));
    }
}
