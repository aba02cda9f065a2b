package dev.loraport.provider.replicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loraport.InvalidRequestException;
import dev.loraport.MalformedResponseException;
import dev.loraport.PageRequest;
import dev.loraport.TaskId;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import dev.loraport.simulators.Endpoint;
import dev.loraport.simulators.ReplicateSimulator;
import dev.loraport.simulators.SampleImages;
import dev.loraport.testkit.SimulatorExtension;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ReplicateAdapterTest {

    final ReplicateSimulator sim = ReplicateSimulator.create();

    @RegisterExtension
    final SimulatorExtension running = SimulatorExtension.of(sim);

    ReplicateTrainingProvider provider;

    ReplicateTrainingProvider provider() {
        if (provider == null) {
            provider = ReplicateTrainingProvider.from(sim.config());
        }
        return provider;
    }

    @AfterEach
    void close() {
        if (provider != null) {
            provider.close();
        }
    }

    static TrainingRequest request(String name) {
        return TrainingRequest.builder()
                .name(name)
                .kind(TrainingKind.SUBJECT)
                .baseModel(ReplicateTrainingProvider.DEFAULT_TRAINER)
                .images(List.of(
                        SampleImages.pngs(2).get(0).withCaption("a photo of TOK"),
                        SampleImages.pngs(2).get(1).withCaption(null)))
                .instancePrompt("TOK")
                .steps(500)
                .loraRank(16)
                .providerOption("optimizer", "adamw8bit")
                .providerOption("autocaption", "false")
                .build();
    }

    @Test
    void uploadsOneZipWithCaptionsAndTheListingEchoesItsUrl() throws Exception {
        TrainingTask created = provider().create(request("My Cat"));

        TrainingTask listed = provider().list(PageRequest.first(10)).items().get(0);
        assertThat(listed.id()).isEqualTo(created.id());
        String url = listed.correlation().orElseThrow();
        assertThat(url).startsWith(sim.baseUrl() + "/v1/files/");
        byte[] zip = sim.file(url.substring(url.lastIndexOf('/') + 1));
        List<String> names = new java.util.ArrayList<>();
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (var e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
                names.add(e.getName());
            }
        }
        assertThat(names).containsExactly("image-0000.png", "image-0000.txt", "image-0001.png");
        assertThat(sim.requestCount(Endpoint.UPLOAD)).isEqualTo(1);
        // The destination model is made once; a second training under the same name reuses it.
        provider().create(request("My Cat"));
        assertThat(sim.tasksCreated()).isEqualTo(2);
    }

    @Test
    void aFreshAdapterTakesTheExistingModels422AsExisting() {
        provider().create(request("same"));
        try (ReplicateTrainingProvider other = ReplicateTrainingProvider.from(sim.config())) {
            assertThat(other.create(request("same")).status()).isEqualTo(TrainingStatus.QUEUED);
        }
    }

    @Test
    void aTrainerVersionThatDoesNotExistIsARejectedRequestNotAMissingTask() {
        // The service answers 404 "Version not found"; no task is involved, so no TaskNotFoundException.
        ReplicateTrainingProvider p = ReplicateTrainingProvider.from(sim.config().toBuilder()
                .option("trainer.version", "0000000000000000000000000000000000000000000000000000000000000000")
                .build());
        try {
            assertThatThrownBy(() -> p.create(request("lp-no-version")))
                    .isInstanceOf(dev.loraport.InvalidRequestException.class)
                    .isNotInstanceOf(dev.loraport.TaskNotFoundException.class)
                    .hasMessageContaining("Version not found");
        } finally {
            p.close();
        }
        assertThatThrownBy(() -> provider().status(dev.loraport.TaskId.of("no-such-training")))
                .isInstanceOf(dev.loraport.TaskNotFoundException.class);
    }

    @Test
    void anUploadIsReusedByItsRetryButNotHeldForever() throws Exception {
        try (ReplicateTrainingProvider p = ReplicateTrainingProvider.configure(sim.config())
                .preparedTtl(Duration.ofSeconds(2))
                .build()) {
            TrainingRequest r = request("lp-ttl");
            String first = p.prepareCreate(r).orElseThrow();
            // A retry within the window sends the same zip: the URL the journal recorded.
            assertThat(p.prepareCreate(r)).contains(first);
            assertThat(sim.requestCount(Endpoint.UPLOAD)).isEqualTo(1);

            Thread.sleep(2_500);
            assertThat(p.prepareCreate(r)).isPresent().get().isNotEqualTo(first);
            assertThat(sim.requestCount(Endpoint.UPLOAD)).isEqualTo(2);
        }
    }

    @Test
    void aRefusedCreateLetsGoOfItsUploadAndNamesAreKeptForTheNewestJobsOnly() {
        try (ReplicateTrainingProvider p =
                ReplicateTrainingProvider.configure(sim.config()).maxNames(2).build()) {
            TrainingRequest refused = request("lp-refused");
            sim.failNext(Endpoint.CREATE, dev.loraport.simulators.Fault.invalidKey());
            assertThatThrownBy(() -> p.create(refused)).isInstanceOf(dev.loraport.AuthenticationException.class);
            // Nothing was made: the next create of it uploads afresh rather than holding the images for ever.
            p.create(refused);
            assertThat(sim.requestCount(Endpoint.UPLOAD)).isEqualTo(2);

            TaskId a = p.create(request("lp-a")).id();
            p.create(request("lp-b"));
            p.create(request("lp-c"));
            // The listing has no names; this process remembers the two newest jobs' names only.
            assertThat(p.status(a).name()).isEmpty();
            assertThat(p.list(PageRequest.first(10)).items().stream()
                            .filter(t -> t.name().isPresent())
                            .count())
                    .isEqualTo(2);
        }
    }

    @Test
    void mapsEveryStatusAndUnknownOnes() {
        assertThat(ReplicateTrainingProvider.status("starting")).isEqualTo(TrainingStatus.QUEUED);
        assertThat(ReplicateTrainingProvider.status("processing")).isEqualTo(TrainingStatus.TRAINING);
        assertThat(ReplicateTrainingProvider.status("succeeded")).isEqualTo(TrainingStatus.READY);
        assertThat(ReplicateTrainingProvider.status("failed")).isEqualTo(TrainingStatus.FAILED);
        assertThat(ReplicateTrainingProvider.status("canceled")).isEqualTo(TrainingStatus.CANCELED);
        assertThat(ReplicateTrainingProvider.status("paused")).isEqualTo(TrainingStatus.UNKNOWN);
    }

    @Test
    void progressAndEtaComeFromTheTrainersLog() {
        TaskId id = provider().create(request("progress")).id();
        sim.clock().advance(Duration.ofMinutes(6));

        TrainingTask t = provider().status(id);

        assertThat(t.status()).isEqualTo(TrainingStatus.TRAINING);
        assertThat(t.progressPercent()).hasValue(50);
        assertThat(t.eta()).contains(Duration.ofMinutes(5));
    }

    @Test
    void walksMoreThanOneServicePageByItsFullUrlNext() {
        for (int i = 0; i < 103; i++) {
            sim.seedTask("seed-" + i, Duration.ofMinutes(200 - i));
        }
        assertThat(dev.loraport.Page.streamAll(provider(), 100).count()).isEqualTo(103);
        assertThat(sim.requestCount(Endpoint.LIST)).isEqualTo(2);
    }

    @Test
    void refusesACursorOnAnotherOriginAndSendsTheTokenNowhereElse() {
        assertThatThrownBy(() -> provider().list(PageRequest.after("0 http://127.0.0.2:1/v1/trainings", 10)))
                .isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining("another origin")
                .hasMessageNotContaining(sim.apiKey());
    }

    @Test
    void namesTheFieldAndTheAllowedValuesBeforeAnyCall() {
        int before = sim.requestCount(Endpoint.ANY);
        assertThatThrownBy(() -> provider()
                        .create(request("x").toBuilder()
                                .providerOption("optimizer", "sgd")
                                .loraRank(500)
                                .build()))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> assertThat(e.violations())
                                .extracting(InvalidRequestException.Violation::field)
                                .contains("providerOptions.optimizer", "loraRank"))
                .hasMessageContaining("adamw8bit");
        assertThat(sim.requestCount(Endpoint.ANY)).isEqualTo(before);
    }

    @Test
    void theSimulatorTakesTheOlderTokenSchemeAndAnswersRfc7807() throws Exception {
        HttpClient c = HttpClient.newHttpClient();
        HttpResponse<String> ok = c.send(
                HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1/trainings"))
                        .header("Authorization", "Token " + sim.apiKey())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("\"results\"");
        HttpResponse<String> refused = c.send(
                HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1/trainings"))
                        .header("Authorization", "Bearer nope")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(refused.body()).contains("\"title\"", "\"detail\"", "\"status\":401");
    }

    @Test
    void aBaseUrlWithoutAPathMeansTheApisV1() {
        try (ReplicateTrainingProvider bare = ReplicateTrainingProvider.from(
                sim.config().toBuilder().baseUrl(sim.baseUrl()).build())) {
            assertThat(bare.list(PageRequest.first(5)).items()).isEmpty();
        }
    }
}
