package dev.loraport.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loraport.simulators.Endpoint;
import dev.loraport.simulators.Fault;
import dev.loraport.simulators.NovitaSimulator;
import dev.loraport.simulators.SampleImages;
import dev.loraport.simulators.StableDiffusionApiSimulator;
import dev.loraport.simulators.TaskDurations;
import dev.loraport.simulators.TaskTimeline;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The simulators over raw HTTP, as a client with no loraport adapter would see them. */
class SimulatorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    final NovitaSimulator novita = NovitaSimulator.create();

    @RegisterExtension
    final SimulatorExtension novitaRunning = SimulatorExtension.of(novita);

    final StableDiffusionApiSimulator modelslab = StableDiffusionApiSimulator.create();

    @RegisterExtension
    final SimulatorExtension modelslabRunning = SimulatorExtension.of(modelslab);

    private HttpResponse<String> novita(String method, String path, String body, boolean auth)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(novita.baseUrl() + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (auth) {
            b.header("Authorization", "Bearer " + novita.apiKey());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> modelslab(String path, String body) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(modelslab.baseUrl() + path))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void novitaChecksTheKeyWithItsOwnErrorBodies() throws Exception {
        HttpResponse<String> missing = novita("GET", "/v3/training?pagination.limit=10", null, false);
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(missing.body()).get("reason").asText()).isEqualTo("MISSING_API_KEY");

        HttpResponse<String> ok = novita("GET", "/v3/training?pagination.limit=10", null, true);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ok.body()).at("/pagination/next_cursor").asText())
                .isEmpty();
    }

    @Test
    void novitaUploadUrlsRefuseAuthorizationAndExpire() throws Exception {
        JsonNode slot =
                JSON.readTree(novita("POST", "/v3/assets/training_dataset", "{\"file_extension\":\"png\"}", true)
                        .body());
        URI upload = URI.create(slot.get("upload_url").asText());
        byte[] png = SampleImages.png(1);

        HttpResponse<String> withAuth = http.send(
                HttpRequest.newBuilder(upload)
                        .header("Authorization", "Bearer " + novita.apiKey())
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(png))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(withAuth.statusCode()).isEqualTo(400);
        assertThat(withAuth.body()).contains("<Code>InvalidArgument</Code>");

        novita.clock().advance(Duration.ofSeconds(121));
        HttpResponse<String> late = http.send(
                HttpRequest.newBuilder(upload)
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(png))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(late.statusCode()).isEqualTo(403);
        assertThat(late.body()).contains("Request has expired");
    }

    @Test
    void novitaValidatesLikeTheServiceAndCountsRequests() throws Exception {
        HttpResponse<String> r = novita("POST", "/v3/training/subject", "{\"name\":\"x\"}", true);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).get("reason").asText()).isEqualTo("INVALID_REQUEST_BODY");
        assertThat(JSON.readTree(r.body()).get("message").asText()).contains("base_model");
        assertThat(novita.requestCount(Endpoint.CREATE)).isEqualTo(1);
        assertThat(novita.tasksCreated()).isZero();
    }

    @Test
    void faultsHitOnlyTheirEndpointAndOnlyAsScripted() throws Exception {
        novita.failNext(Endpoint.LIST, Fault.rateLimited(Duration.ofSeconds(9)));
        novita.failEvery(2, Endpoint.STATUS, Fault.serverError(502));

        HttpResponse<String> limited = novita("GET", "/v3/training?pagination.limit=1", null, true);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).contains("9");
        assertThat(novita("GET", "/v3/training?pagination.limit=1", null, true).statusCode())
                .isEqualTo(200);
        assertThat(novita("GET", "/v3/training/subject?task_id=a", null, true).statusCode())
                .isEqualTo(404);
        assertThat(novita("GET", "/v3/training/subject?task_id=a", null, true).statusCode())
                .isEqualTo(502);
        // Served faults are counted apart from requests, per endpoint; the 404 was the service's own answer.
        assertThat(novita.faultsInjected(Endpoint.LIST)).isEqualTo(1);
        assertThat(novita.faultsInjected(Endpoint.STATUS)).isEqualTo(1);
        assertThat(novita.faultsInjected(Endpoint.ANY)).isEqualTo(2);
        assertThat(novita.requestCount(Endpoint.ANY)).isEqualTo(4);
    }

    @Test
    void aTaskTimelineIsWhatTheClockAndDurationsMadeOfIt() {
        novita.durations(TaskDurations.of(Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofMinutes(2)));
        String id = novita.seedTask("timeline", Duration.ofMinutes(5));
        Instant submitted = novita.clock().now().minus(Duration.ofMinutes(5));

        TaskTimeline t = novita.taskTimeline(id).orElseThrow();
        assertThat(t.submitted()).isEqualTo(submitted);
        assertThat(t.trainingStarted()).isEqualTo(submitted.plus(Duration.ofMinutes(1)));
        assertThat(t.trainingEnded()).isEqualTo(submitted.plus(Duration.ofMinutes(11)));
        assertThat(t.ended()).isEqualTo(submitted.plus(Duration.ofMinutes(13)));
        assertThat(t.succeeds()).isTrue();
        assertThat(novita.taskTimeline("no-such-task")).isEmpty();
    }

    @Test
    void everyFaultKindReachesAPlainHttpClient() throws Exception {
        String list = "/v3/training?pagination.limit=1";
        novita.failNext(Endpoint.LIST, Fault.malformedJson());
        HttpResponse<String> malformed = novita("GET", list, null, true);
        assertThat(malformed.statusCode()).isEqualTo(200);
        assertThat(malformed.body()).endsWith(": ");

        novita.failNext(Endpoint.LIST, Fault.htmlErrorPage());
        HttpResponse<String> html = novita("GET", list, null, true);
        assertThat(html.statusCode()).isEqualTo(502);
        assertThat(html.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).contains("html"));

        novita.failNext(Endpoint.LIST, Fault.insufficientBalance());
        assertThat(novita("GET", list, null, true).body()).contains("BILLING_BALANCE_NOT_ENOUGH");
        novita.failNext(Endpoint.LIST, Fault.invalidKey());
        assertThat(novita("GET", list, null, true).statusCode()).isEqualTo(403);
        novita.failNext(Endpoint.LIST, Fault.rateLimited());
        HttpResponse<String> limited = novita("GET", list, null, true);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).isEmpty();

        novita.failNext(Endpoint.LIST, Fault.delay(Duration.ofSeconds(2)));
        HttpRequest impatient = HttpRequest.newBuilder(URI.create(novita.baseUrl() + list))
                .header("Authorization", "Bearer " + novita.apiKey())
                .timeout(Duration.ofMillis(200))
                .build();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> http.send(impatient, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.net.http.HttpTimeoutException.class);

        novita.failNext(Endpoint.LIST, Fault.connectionReset());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> novita("GET", list, null, true))
                .isInstanceOf(IOException.class);
    }

    @Test
    void anAcceptedButLostCreateLeavesTheJobAndResetsTheConnection() throws Exception {
        String key = "{\"key\":\"" + modelslab.apiKey() + "\"";
        modelslab.failNext(Endpoint.CREATE, Fault.acceptedButLost());

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> modelslab(
                        "/api/v3/lora_fine_tune",
                        key + ",\"instance_prompt\":\"p\",\"class_prompt\":\"c\",\"images\":[\"https://x/a.png\"],"
                                + "\"training_type\":\"men\",\"max_train_steps\":\"2\"}"))
                .isInstanceOf(IOException.class);
        assertThat(modelslab.tasksCreated()).isEqualTo(1);
        assertThat(modelslab.requestCount(Endpoint.CREATE)).isEqualTo(1);
    }

    @Test
    void modelslabKeepsItsTyposAndReportsErrorsInTheBody() throws Exception {
        String key = "{\"key\":\"" + modelslab.apiKey() + "\"}";
        HttpResponse<String> unknown = modelslab("/api/v3/fine_tune_status/nope", key);
        assertThat(unknown.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(unknown.body()).get("messege").asText()).isEqualTo("training id not found");

        HttpResponse<String> wrongKey = modelslab("/api/v3/finetune_list", "{\"key\":\"wrong\"}");
        assertThat(wrongKey.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(wrongKey.body()).get("message").asText()).isEqualTo("Invalid Api Key");

        modelslab.failNext(Endpoint.LIST, Fault.errorBody200());
        HttpResponse<String> error200 = modelslab("/api/v3/finetune_list", key);
        assertThat(error200.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(error200.body()).get("status").asText()).isEqualTo("error");

        HttpResponse<String> missing = modelslab("/api/v3/lora_fine_tune", key);
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(missing.body()).get("message").isObject()).isTrue();
    }

    @Test
    void modelslabJobsWalkThroughEveryStageOnTheClock() throws Exception {
        String key = modelslab.apiKey();
        JsonNode created = JSON.readTree(modelslab(
                        "/api/v3/lora_fine_tune",
                        "{\"key\":\"" + key + "\",\"instance_prompt\":\"p\",\"class_prompt\":\"c\",\"images\":"
                                + "[\"https://x/a.png\"],\"training_type\":\"men\",\"max_train_steps\":\"2\"}")
                .body());
        String id = created.get("training_id").asText();
        String body = "{\"key\":\"" + key + "\"}";
        java.util.List<String> stages = new java.util.ArrayList<>();
        for (int minute = 0; minute <= 31; minute++) {
            String stage = JSON.readTree(
                            modelslab("/api/v3/fine_tune_status/" + id, body).body())
                    .get("messege")
                    .asText();
            if (stages.isEmpty() || !stages.get(stages.size() - 1).equals(stage)) {
                stages.add(stage);
            }
            modelslab.clock().advance(Duration.ofMinutes(1));
        }
        assertThat(stages)
                .containsExactly(
                        "deploying_gpu",
                        "training_started",
                        "training_success",
                        "trained_model_compressing",
                        "trained_model_uploading",
                        "trained_model_uploaded",
                        "deploying_model",
                        "model_ready");
    }
}
