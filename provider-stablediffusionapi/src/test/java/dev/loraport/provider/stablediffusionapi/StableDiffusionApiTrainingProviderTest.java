package dev.loraport.provider.stablediffusionapi;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.loraport.AuthenticationException;
import dev.loraport.GenerationRequest;
import dev.loraport.InvalidRequestException;
import dev.loraport.MalformedResponseException;
import dev.loraport.PageRequest;
import dev.loraport.ProviderUnavailableException;
import dev.loraport.QuotaExceededException;
import dev.loraport.RateLimitedException;
import dev.loraport.TaskId;
import dev.loraport.TaskNotFoundException;
import dev.loraport.TrainingImage;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import dev.loraport.decorators.ProviderStack;
import dev.loraport.spi.TrainingProviders;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StableDiffusionApiTrainingProviderTest {

    static final String KEY = "ml-SECRET-456";
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13};
    static final String STATUS = "/api/v3/fine_tune_status/F5jvdzGnYi";

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private final List<Duration> pauses = new ArrayList<>();
    private StableDiffusionApiTrainingProvider provider;

    @BeforeEach
    void setUp() {
        provider = StableDiffusionApiTrainingProvider.builder()
                .apiKey(KEY)
                .baseUrl(URI.create(wm.baseUrl()))
                .generateTimeout(Duration.ofSeconds(5))
                .generatePollInterval(Duration.ofMillis(1))
                .pause(pauses::add)
                .build();
    }

    private static TrainingRequest.Builder request() {
        return TrainingRequest.builder()
                .name("alice")
                .kind(TrainingKind.SUBJECT)
                .baseModel("sdxl")
                .instancePrompt("photo of ambika0 man")
                .classPrompt("photo of a man");
    }

    private static String statusBody(String stage, String data) {
        return "{\"status\":\"success\",\"messege\":\"" + stage + "\",\"data\":\"" + data + "\"}";
    }

    @ParameterizedTest
    @CsvSource({
        "deploying_gpu, QUEUED",
        "training_started, TRAINING",
        "training_success, DEPLOYING",
        "trained_model_compressing, DEPLOYING",
        "trained_model_uploading, DEPLOYING",
        "trained_model_uploaded, DEPLOYING",
        "deploying_model, DEPLOYING",
        "model_ready, READY",
        "training_cancelled, CANCELED",
        "training_failed, FAILED",
        "gpu_warming, UNKNOWN",
    })
    void everyStageMapsAndKeepsItsRawString(String stage, TrainingStatus expected) {
        wm.stubFor(post(STATUS).willReturn(okJson(statusBody(stage, ""))));

        TrainingTask t = provider.status(TaskId.of("F5jvdzGnYi"));

        assertThat(t.status()).isEqualTo(expected);
        assertThat(t.rawStatus()).contains(stage);
        if (expected == TrainingStatus.READY) {
            assertThat(t.models())
                    .singleElement()
                    .satisfies(m -> assertThat(m.name()).isEqualTo("F5jvdzGnYi"));
        }
        wm.verify(postRequestedFor(urlPathEqualTo(STATUS)).withRequestBody(equalToJson("{\"key\":\"" + KEY + "\"}")));
    }

    @Test
    void theStageIsReadFromMessageWhenMessegeIsAbsent() {
        wm.stubFor(post(STATUS).willReturn(okJson("{\"status\":\"success\",\"message\":\"model_ready\"}")));

        assertThat(provider.status(TaskId.of("F5jvdzGnYi")).status()).isEqualTo(TrainingStatus.READY);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "Step:1 Training Started, 5 Steps to go : ETA : 30 minutes /n Step:2 Training Done, 4 Steps to go : ETA : 15 minutes",
                "Step:1 Training Started, 5 Steps to go : ETA : 30 minutes\\nStep:2 Training Done, 4 Steps to go : ETA : 15 minutes",
            })
    void progressAndEtaComeFromTheLastStepLineWithEitherSeparator(String data) {
        wm.stubFor(post(STATUS).willReturn(okJson(statusBody("trained_model_compressing", data))));

        TrainingTask t = provider.status(TaskId.of("F5jvdzGnYi"));

        assertThat(t.progressPercent()).hasValue(33);
        assertThat(t.eta()).contains(Duration.ofMinutes(15));
    }

    @Test
    void aFailedTrainingIsAFailedJobWithItsReason() {
        wm.stubFor(post(STATUS)
                .willReturn(okJson("{\"status\":\"failed\",\"messege\":\"training_failed\",\"data\":\"bad images\"}")));

        TrainingTask t = provider.status(TaskId.of("F5jvdzGnYi"));

        assertThat(t.status()).isEqualTo(TrainingStatus.FAILED);
        assertThat(t.failureReason()).contains("bad images");
    }

    @Test
    void aKeyEchoedInAFailedJobsReasonIsScrubbed() {
        wm.stubFor(post(STATUS)
                .willReturn(okJson(
                        "{\"status\":\"failed\",\"messege\":\"training_failed\",\"data\":\"bad key " + KEY + "\"}")));

        TrainingTask t = provider.status(TaskId.of("F5jvdzGnYi"));

        assertThat(t.failureReason()).contains("bad key ****");
        assertThat(t.toString()).doesNotContain(KEY);
    }

    @Test
    void trainingIdNotFoundIsTaskNotFoundWithHttp200Or404() {
        String body = "{\"status\":\"error\",\"messege\":\"training id not found\"}";
        wm.stubFor(post(STATUS).willReturn(okJson(body)));
        assertThatThrownBy(() -> provider.status(TaskId.of("F5jvdzGnYi"))).isInstanceOf(TaskNotFoundException.class);

        wm.stubFor(post(STATUS).willReturn(aResponse().withStatus(404).withBody(body)));
        assertThatThrownBy(() -> provider.status(TaskId.of("F5jvdzGnYi"))).isInstanceOf(TaskNotFoundException.class);
    }

    @Test
    void anUnknownLoraInAGenerationIsARejectedRequestNotAMissingTask() {
        // What the service answers when lora_model names no servable model: there is no task to be missing.
        for (int status : new int[] {200, 400, 404}) {
            wm.stubFor(post("/api/v6/images/text2img")
                    .willReturn(aResponse()
                            .withStatus(status)
                            .withHeader("Content-Type", "application/json")
                            .withBody("{\"status\":\"error\",\"message\":\"Lora model not found\"}")));

            assertThatThrownBy(() -> provider.generate(GenerationRequest.builder()
                            .prompt("a photo")
                            .addLora("no-such-lora", 0.8)
                            .build()))
                    .as("HTTP %d", status)
                    .isInstanceOf(InvalidRequestException.class)
                    .isNotInstanceOf(TaskNotFoundException.class)
                    .hasMessageContaining("Lora model not found");
        }
    }

    static Object[][] errors() {
        return new Object[][] {
            {200, "{\"status\":\"error\",\"message\":\"Invalid Api Key " + KEY + "\"}", AuthenticationException.class},
            {401, "{\"status\":\"error\",\"message\":\"Invalid Api Key\"}", AuthenticationException.class},
            {200, "{\"status\":\"error\",\"message\":\"Rate limit exceeded\"}", RateLimitedException.class},
            {200, "{\"status\":\"error\",\"message\":\"Insufficient balance\"}", QuotaExceededException.class},
            {402, "{\"status\":\"error\",\"message\":\"top up\"}", QuotaExceededException.class},
            {
                200,
                "{\"status\":\"error\",\"message\":{\"prompt\":[\"The prompt field is required.\"]}}",
                InvalidRequestException.class
            },
            {
                200,
                "{\"status\":\"failed\",\"id\":\"\",\"message\":\"Failed, Try Again\",\"output\":\"\"}",
                InvalidRequestException.class
            },
            {500, "{\"status\":\"error\",\"message\":\"server error\"}", ProviderUnavailableException.class},
            {503, "<html>down</html>", ProviderUnavailableException.class},
            {200, "<html>maintenance</html>", MalformedResponseException.class},
        };
    }

    @Test
    void errorsAreMappedFromTheBodyWhateverTheStatusAndTheKeyNeverLeaks() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        List<String> messages = new ArrayList<>();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            for (Object[] row : errors()) {
                wm.resetAll();
                wm.stubFor(post("/api/v3/finetune_list")
                        .willReturn(aResponse().withStatus((int) row[0]).withBody((String) row[1])));
                assertThatThrownBy(() -> provider.list(PageRequest.first(10)))
                        .as("HTTP %s %s", row[0], row[1])
                        .isInstanceOf((Class<?>) row[2])
                        .satisfies(e -> messages.add(e.toString()));
            }
        } finally {
            System.setErr(original);
        }
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("prompt: The prompt field is required."));
        assertThat(messages).noneMatch(m -> m.contains(KEY));
        assertThat(captured.toString(StandardCharsets.UTF_8))
                .contains("stablediffusionapi list")
                .doesNotContain(KEY);
        assertThat(provider.toString()).doesNotContain(KEY);
    }

    @Test
    void aRedirectIsNotFollowedSoTheKeyNeverTravelsToAnotherHost() {
        wm.stubFor(post("/api/v3/finetune_list")
                .willReturn(aResponse().withStatus(307).withHeader("Location", "http://127.0.0.2:9/steal")));

        assertThatThrownBy(() -> provider.list(PageRequest.first(10)))
                .isInstanceOf(dev.loraport.TrainingProviderException.class)
                .hasMessageContaining("HTTP 307");
        assertThat(wm.getAllServeEvents()).hasSize(1);
    }

    @Test
    void rateLimitReadsRetryAfterFromBodyOrHeader() {
        wm.stubFor(post("/api/v3/finetune_list")
                .willReturn(aResponse()
                        .withStatus(429)
                        .withBody("{\"status\":\"error\",\"message\":\"Rate limit exceeded.\",\"retry_after\":30}")));
        assertThatThrownBy(() -> provider.list(PageRequest.first(10)))
                .isInstanceOfSatisfying(
                        RateLimitedException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(30)));

        wm.stubFor(post("/api/v3/finetune_list")
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Retry-After", "12")
                        .withBody("{\"status\":\"error\",\"message\":\"Rate limit exceeded.\"}")));
        assertThatThrownBy(() -> provider.list(PageRequest.first(10)))
                .isInstanceOfSatisfying(
                        RateLimitedException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(12)));
    }

    @Test
    void cancelFallsBackToTheOpenApiSpelling() {
        wm.stubFor(post("/api/v3/cancle_training/F5jvdzGnYi")
                .willReturn(aResponse().withStatus(404).withBody("Not Found")));
        wm.stubFor(post("/api/v3/cancel_training/F5jvdzGnYi")
                .willReturn(okJson("{\"status\":\"success\",\"messege\":\"training cancelled\"}")));

        provider.cancel(TaskId.of("F5jvdzGnYi"));

        wm.verify(postRequestedFor(urlPathEqualTo("/api/v3/cancel_training/F5jvdzGnYi")));
    }

    @Test
    void localImagesAreUploadedThroughBase64CropWithPerImageRetryAndNumbersGoAsStrings() {
        wm.stubFor(post("/api/v3/base64_crop")
                .inScenario("crop")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(502).withBody("<html>bad gateway</html>"))
                .willSetStateTo("ok"));
        wm.stubFor(post("/api/v3/base64_crop")
                .inScenario("crop")
                .whenScenarioStateIs("ok")
                .willReturn(okJson("{\"status\":\"success\",\"messege\":\"image uploaded\","
                        + "\"link\":\"https://pub.example/a.png\",\"request_id\":2398}")));
        wm.stubFor(post("/api/v3/lora_fine_tune")
                .willReturn(okJson("{\"status\":\"success\",\"messege\":\"deploying_gpu\","
                        + "\"data\":\"it will take upto 30 minutes.\",\"training_id\":\"F5jvdzGnYi\"}")));

        TrainingTask t = provider.create(request()
                .addImage(TrainingImage.ofBytes("a.png", PNG))
                .addImage(TrainingImage.ofUrl(URI.create("https://cdn.example/b.png")))
                .steps(18)
                .seed(7L)
                .build());

        assertThat(t.id()).isEqualTo(TaskId.of("F5jvdzGnYi"));
        assertThat(t.rawStatus()).contains("deploying_gpu");
        assertThat(pauses).hasSize(1);
        wm.verify(postRequestedFor(urlPathEqualTo("/api/v3/base64_crop"))
                .withRequestBody(matchingJsonPath(
                        "$.image",
                        com.github.tomakehurst.wiremock.client.WireMock.matching("data:image/png;base64,.+"))));
        wm.verify(postRequestedFor(urlPathEqualTo("/api/v3/lora_fine_tune"))
                .withRequestBody(equalToJson("""
                        {"key":"%s","instance_prompt":"photo of ambika0 man","class_prompt":"photo of a man",
                         "images":["https://pub.example/a.png","https://cdn.example/b.png"],
                         "seed":"7","training_type":"men","base_model_type":"sdxl","max_train_steps":"18",
                         "lora_type":"lora"}
                        """.formatted(KEY), false, false)));
    }

    @Test
    void badInputIsRejectedBeforeAnyRequest() {
        byte[] big = new byte[5 * 1024 * 1024 + 1];
        System.arraycopy(PNG, 0, big, 0, PNG.length);

        assertThatThrownBy(() -> provider.create(request()
                        .addImage(TrainingImage.ofBytes("big.png", big))
                        .build()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("images[0]")
                .hasMessageContaining("allowed at most 5242880");
        assertThatThrownBy(() -> provider.create(request()
                        .addImage(TrainingImage.ofBytes("a.png", PNG))
                        .providerOption("training_type", "robot")
                        .build()))
                .hasMessageContaining("providerOptions.training_type: 'robot' is not allowed");
        assertThatThrownBy(() -> provider.create(request()
                        .addImage(TrainingImage.ofBytes("a.png", PNG))
                        .steps(5000)
                        .build()))
                .hasMessageContaining("steps: 5000 is out of range; allowed 1..2000");
        assertThat(wm.getAllServeEvents()).isEmpty();
    }

    @Test
    void listPagesTheIdListLocally() {
        wm.stubFor(
                post("/api/v3/finetune_list")
                        .willReturn(
                                okJson(
                                        "{\"status\":\"success\",\"messege\":\"model list\",\"data\":[\"a\",\"b\",{\"training_id\":\"c\"}]}")));

        var first = provider.list(PageRequest.first(2));
        var second = provider.list(PageRequest.after(first.nextCursor(), 2));

        assertThat(first.items()).extracting(t -> t.id().value()).containsExactly("a", "b");
        assertThat(second.items()).extracting(t -> t.id().value()).containsExactly("c");
        assertThat(second.hasNext()).isFalse();
        assertThat(first.items().get(0).status()).isEqualTo(TrainingStatus.UNKNOWN);
    }

    @Test
    void theFactoryIsFoundByIdFromConfigurationOnly() throws Exception {
        try (TrainingProvider p = ProviderStack.fromConfig(Map.of(
                "loraport.provider",
                "stablediffusionapi",
                "loraport.stablediffusionapi.api-key",
                KEY,
                "loraport.stablediffusionapi.base-url",
                wm.baseUrl()))) {
            assertThat(TrainingProviders.unwrap(p)).isInstanceOf(StableDiffusionApiTrainingProvider.class);
            wm.stubFor(post("/api/v3/finetune_list")
                    .willReturn(okJson("{\"status\":\"success\",\"messege\":\"model list\",\"data\":[]}")));
            assertThat(p.list(PageRequest.first(10)).items()).isEmpty();
            wm.verify(postRequestedFor(urlPathEqualTo("/api/v3/finetune_list"))
                    .withHeader("User-Agent", com.github.tomakehurst.wiremock.client.WireMock.matching("loraport/.+"))
                    .withRequestBody(matchingJsonPath("$.key", equalTo(KEY))));
        }
    }
}
