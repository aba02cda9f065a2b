package dev.loraport.provider.stablediffusionapi;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.loraport.GenerationRequest;
import dev.loraport.InvalidRequestException;
import dev.loraport.PageRequest;
import dev.loraport.TrainingImage;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingRequest;
import dev.loraport.decorators.ProviderStack;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every setting is sent where the service documents it or refused by name, and every local check (fields,
 * options, images) happens before any request, the reconciling decorator's listing included.
 */
class InputChecksTest {

    static final String KEY = "ml-SECRET-456";
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13};
    static final String CREATED =
            "{\"status\":\"success\",\"messege\":\"deploying_gpu\",\"data\":\"it will take upto 30 minutes.\","
                    + "\"training_id\":\"F5jvdzGnYi\"}";

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    @TempDir
    static Path dir;

    private StableDiffusionApiTrainingProvider provider;
    private TrainingProvider stack;

    @BeforeEach
    void setUp() {
        provider = StableDiffusionApiTrainingProvider.builder()
                .apiKey(KEY)
                .baseUrl(URI.create(wm.baseUrl()))
                .generateTimeout(Duration.ofSeconds(5))
                .generatePollInterval(Duration.ofMillis(1))
                .build();
        stack = ProviderStack.fromConfig(Map.of(
                "loraport.provider",
                "stablediffusionapi",
                "loraport.stablediffusionapi.api-key",
                KEY,
                "loraport.stablediffusionapi.base-url",
                wm.baseUrl()));
    }

    @AfterEach
    void tearDown() throws Exception {
        provider.close();
        stack.close();
    }

    static TrainingRequest.Builder request() {
        return TrainingRequest.builder()
                .name("alice")
                .kind(TrainingKind.SUBJECT)
                .baseModel("sdxl")
                .instancePrompt("photo of ambika0 man")
                .classPrompt("photo of a man")
                .addImage(TrainingImage.ofBytes("a.png", PNG));
    }

    /** Refused by the adapter and by the decorated stack alike, naming what is wrong, with no request sent. */
    private void refused(TrainingRequest r, String... inMessage) {
        for (TrainingProvider p : new TrainingProvider[] {provider, stack}) {
            assertThatThrownBy(() -> p.create(r))
                    .isInstanceOf(InvalidRequestException.class)
                    .satisfies(e -> assertThat(e.getMessage()).contains(inMessage));
            assertThatThrownBy(() -> p.validate(r)).isInstanceOf(InvalidRequestException.class);
        }
        assertThat(wm.getAllServeEvents()).as("requests sent").isEmpty();
    }

    static Stream<Arguments> settingsNoEndpointSends() {
        return Stream.of(
                Arguments.of("learningRate", (UnaryOperator<TrainingRequest.Builder>) b -> b.learningRate(Double.NaN)),
                Arguments.of("learningRate", (UnaryOperator<TrainingRequest.Builder>) b -> b.learningRate(-1.0)),
                Arguments.of("scheduler", (UnaryOperator<TrainingRequest.Builder>) b -> b.scheduler("bogus")),
                Arguments.of("loraRank", (UnaryOperator<TrainingRequest.Builder>) b -> b.loraRank(0)),
                Arguments.of("loraAlpha", (UnaryOperator<TrainingRequest.Builder>) b -> b.loraAlpha(100_000)),
                Arguments.of("batchSize", (UnaryOperator<TrainingRequest.Builder>) b -> b.batchSize(0)),
                Arguments.of("width", (UnaryOperator<TrainingRequest.Builder>) b -> b.resolution(-5, 512)),
                Arguments.of("warmupSteps", (UnaryOperator<TrainingRequest.Builder>) b -> b.warmupSteps(-1)),
                Arguments.of(
                        "priorLossWeight", (UnaryOperator<TrainingRequest.Builder>) b -> b.priorLossWeight(Double.NaN)),
                Arguments.of(
                        "trainTextEncoder", (UnaryOperator<TrainingRequest.Builder>) b -> b.trainTextEncoder(true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settingsNoEndpointSends")
    void aSettingTheLoraEndpointDoesNotSendIsRefusedByNameNotDropped(
            String field, UnaryOperator<TrainingRequest.Builder> set) {
        refused(
                set.apply(request()).build(),
                field + ": is not supported by stablediffusionapi",
                "fields allowed on lora_fine_tune: [classPrompt, instancePrompt, seed, steps]");
    }

    @Test
    void aSettingNoEndpointHasSaysSo() {
        refused(
                request().loraRank(0).build(),
                "loraRank: is not supported by stablediffusionapi: no ModelsLab training endpoint has such a setting");
    }

    @Test
    void aLearningRateIsSentByFineTuneV2OnlyAndTheOtherEndpointsSayWhere() {
        refused(
                request()
                        .learningRate(1e-6)
                        .providerOption("endpoint", "fine_tune")
                        .providerOption("base_model_id", "midjourney")
                        .build(),
                "learningRate: is not supported by stablediffusionapi on the fine_tune endpoint",
                "learningRate is sent by [fine_tune_v2]");
        refused(
                request()
                        .learningRate(1e-3)
                        .providerOption("endpoint", "fine_tune_v2")
                        .providerOption("base_model_id", "midjourney")
                        .build(),
                "learningRate: '0.001' is not allowed; allowed: [1.0E-5, 1.0E-6");
        refused(
                request()
                        .learningRate(Double.NaN)
                        .providerOption("endpoint", "fine_tune_v2")
                        .providerOption("base_model_id", "midjourney")
                        .build(),
                "learningRate: 'NaN' is not allowed");
    }

    @Test
    void fineTuneV2SendsStepsAndLearningRateAsItsUnetFields() {
        wm.stubFor(post("/api/v3/base64_crop")
                .willReturn(okJson("{\"status\":\"success\",\"link\":\"https://pub.example/a.png\"}")));
        wm.stubFor(post("/api/v3/fine_tune_v2").willReturn(okJson(CREATED)));

        provider.create(request()
                .steps(1200)
                .learningRate(2e-6)
                .seed(4L)
                .providerOption("endpoint", "fine_tune_v2")
                .providerOption("base_model_id", "portraitplus-diffusion")
                .providerOption("learning_rate_text_encoder", "3e-7")
                .providerOption("steps_text_encoder", "200")
                .build());

        wm.verify(postRequestedFor(urlPathEqualTo("/api/v3/fine_tune_v2"))
                .withRequestBody(equalToJson("""
                        {"key":"%s","instance_prompt":"photo of ambika0 man","class_prompt":"photo of a man",
                         "images":["https://pub.example/a.png"],"seed":"4","training_type":"men",
                         "base_model_id":"portraitplus-diffusion","learning_rate_unet":"2e-6","steps_unet":"1200",
                         "learning_rate_text_encoder":"3e-7","steps_text_encoder":"200"}
                        """.formatted(KEY), false, false)));
    }

    @Test
    void fineTuneV2RefusesANeutralFieldTogetherWithTheOptionItIsSentAsAndBadStepOptions() {
        refused(
                request()
                        .steps(1200)
                        .providerOption("endpoint", "fine_tune_v2")
                        .providerOption("base_model_id", "m")
                        .providerOption("steps_unet", "1500")
                        .providerOption("steps_text_encoder", "-1")
                        .build(),
                "providerOptions.steps_unet: set together with steps",
                "providerOptions.steps_text_encoder: '-1' is not allowed; allowed: a whole number 1..10000");
        refused(
                request()
                        .providerOption("endpoint", "fine_tune_v2")
                        .providerOption("base_model_id", "m")
                        .providerOption("learning_rate_unet", "0.1")
                        .build(),
                "providerOptions.learning_rate_unet: '0.1' is not allowed; allowed: [1e-5, 1e-6");
    }

    @Test
    void stepsAreCheckedAgainstTheEndpointsOwnRange() {
        refused(
                request()
                        .steps(5000)
                        .providerOption("endpoint", "fine_tune")
                        .providerOption("base_model_id", "m")
                        .build(),
                "steps: 5000 is out of range; allowed 1..2000");
        refused(
                request()
                        .steps(20_000)
                        .providerOption("endpoint", "fine_tune_v2")
                        .providerOption("base_model_id", "m")
                        .build(),
                "steps: 20000 is out of range; allowed 1..10000");
    }

    static Stream<Arguments> badOptions() {
        return Stream.of(
                Arguments.of(
                        "endpoint",
                        "bogus",
                        "providerOptions.endpoint: 'bogus' is not allowed; allowed: "
                                + "[lora_fine_tune, fine_tune, fine_tune_v2]"),
                Arguments.of(
                        "training_type",
                        "robot",
                        "providerOptions.training_type: 'robot' is not allowed; "
                                + "allowed: [men, women, female, couple, null]"),
                Arguments.of(
                        "lora_type",
                        "huge",
                        "providerOptions.lora_type: 'huge' is not allowed; allowed: [lora, lycoris]"),
                Arguments.of(
                        "colour",
                        "red",
                        "providerOptions.colour: is not an option of stablediffusionapi; options: "
                                + "[endpoint, lora_type, negative_prompt, training_type, wandb_key]"),
                Arguments.of(
                        "steps_unet",
                        "1500",
                        "providerOptions.steps_unet: is an option of the [fine_tune_v2] "
                                + "endpoint only, not of lora_fine_tune"),
                Arguments.of(
                        "base_model_id",
                        "midjourney",
                        "providerOptions.base_model_id: is an option of the "
                                + "[fine_tune, fine_tune_v2] endpoints only, not of lora_fine_tune"),
                Arguments.of("negative_prompt", " ", "providerOptions.negative_prompt: is blank"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("badOptions")
    void aBadOptionIsRefusedBeforeAnyCall(String key, String value, String message) {
        refused(request().providerOption(key, value).build(), message);
    }

    @Test
    void theDreamBoothEndpointsNeedABaseModelIdAndTakeNoLoraOption() {
        refused(
                request().providerOption("endpoint", "fine_tune").build(),
                "providerOptions.base_model_id: required for the fine_tune endpoint");
        refused(
                request()
                        .providerOption("endpoint", "fine_tune_v2")
                        .providerOption("base_model_id", "m")
                        .providerOption("lora_type", "lycoris")
                        .build(),
                "providerOptions.lora_type: is an option of the [lora_fine_tune] endpoint only, not of fine_tune_v2");
    }

    static Stream<Arguments> badImages() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.png"), "hello, not an image");
        Path empty = Files.write(dir.resolve("empty.png"), new byte[0]);
        Path folder = Files.createDirectories(dir.resolve("folder.png"));
        Path big = dir.resolve("big.png");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.write(PNG);
            f.setLength(60L * 1024 * 1024);
        }
        return Stream.of(
                Arguments.of(TrainingImage.ofFile(text), "is not a PNG, JPEG or WebP image"),
                Arguments.of(TrainingImage.ofBytes("x.png", "GIF89a....".getBytes()), "is not a PNG, JPEG or WebP"),
                Arguments.of(TrainingImage.ofFile(empty), "is empty (0 bytes)"),
                Arguments.of(TrainingImage.ofFile(dir.resolve("missing.png")), "does not exist"),
                Arguments.of(TrainingImage.ofFile(folder), "is a directory"),
                Arguments.of(TrainingImage.ofFile(big), "is 62914560 bytes; allowed at most 5242880"),
                Arguments.of(
                        TrainingImage.ofUrl(URI.create("ftp://cdn.example/a.png")),
                        "is not accepted; allowed: an absolute URL with scheme [http, https]"),
                Arguments.of(
                        TrainingImage.ofUrl(URI.create("file:///etc/passwd")),
                        "is not accepted; allowed: an absolute URL with scheme [http, https]"));
    }

    @ParameterizedTest
    @MethodSource("badImages")
    void aBadImageIsRefusedBeforeAnyCall(TrainingImage image, String message) {
        refused(
                TrainingRequest.builder()
                        .name("alice")
                        .kind(TrainingKind.SUBJECT)
                        .baseModel("sdxl")
                        .instancePrompt("photo of ambika0 man")
                        .classPrompt("photo of a man")
                        .addImage(image)
                        .build(),
                "images[0]",
                message);
    }

    @Test
    void generationRefusesAnUnknownSamplerANegativeSeedAndUnsentFields() {
        GenerationRequest.Builder g = GenerationRequest.builder().prompt("a photo");
        assertThatThrownBy(() -> provider.generate(g.sampler("Euler a").build()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("sampler: 'Euler a' is not allowed; allowed: [DDPMScheduler")
                .hasMessageContaining("UniPCMultistepScheduler");
        assertThatThrownBy(() -> provider.generate(
                        GenerationRequest.builder().prompt("a photo").seed(-2L).build()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("seed: -2 is out of range; allowed 0..");
        assertThatThrownBy(() -> provider.generate(GenerationRequest.builder()
                        .prompt("a photo")
                        .initImageStrength(0.5)
                        .build()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("initImageStrength: is not supported by stablediffusionapi");
        assertThatThrownBy(() -> provider.generate(GenerationRequest.builder()
                        .prompt("a photo")
                        .providerOption("upscale", "yes")
                        .build()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("providerOptions.upscale: is not an option of stablediffusionapi");
        assertThat(wm.getAllServeEvents()).isEmpty();
    }

    @Test
    void aKnownSchedulerAndSeedAreSent() {
        wm.stubFor(post("/api/v6/images/text2img")
                .willReturn(okJson("{\"status\":\"success\",\"id\":1,\"output\":[\"https://pub.example/o.png\"]}")));

        provider.generate(GenerationRequest.builder()
                .prompt("a photo")
                .sampler("UniPCMultistepScheduler")
                .seed(0L)
                .build());

        wm.verify(postRequestedFor(urlPathEqualTo("/api/v6/images/text2img"))
                .withRequestBody(equalToJson("{\"scheduler\":\"UniPCMultistepScheduler\",\"seed\":0}", true, true)));
    }

    @Test
    void aCursorThisAdapterNeverIssuedIsATypedErrorBeforeAnyCall() {
        for (String cursor : new String[] {"o_-5", "x_5", "o_", "o_99999999999", "o_5x", "o_+5"}) {
            assertThatThrownBy(() -> provider.list(PageRequest.after(cursor, 10)))
                    .as(cursor)
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("cursor: '" + cursor + "' is not a cursor this adapter issued");
        }
        assertThat(wm.getAllServeEvents()).isEmpty();
    }

    @Test
    void aCursorPastAListThatShrankEndsTheListing() {
        wm.stubFor(post("/api/v3/finetune_list")
                .willReturn(okJson("{\"status\":\"success\",\"messege\":\"model list\",\"data\":[\"a\"]}")));

        var page = provider.list(PageRequest.after("o_" + Integer.MAX_VALUE, 100));

        assertThat(page.items()).isEmpty();
        assertThat(page.hasNext()).isFalse();
    }
}
