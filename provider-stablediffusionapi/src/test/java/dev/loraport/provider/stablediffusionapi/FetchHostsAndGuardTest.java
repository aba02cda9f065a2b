package dev.loraport.provider.stablediffusionapi;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.loraport.GenerationRequest;
import dev.loraport.MalformedResponseException;
import dev.loraport.ProviderConfig;
import dev.loraport.TrainingImage;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingProviderException;
import dev.loraport.TrainingRequest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Where the key may travel, which settings are refused when the provider is built, and the exception guard. */
class FetchHostsAndGuardTest {

    static final String KEY = "ml-SECRET-456";
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13};

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    /** Another origin: the same loopback host on another port (WireMock names both localhost). */
    @RegisterExtension
    static WireMockExtension elsewhere = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private static StableDiffusionApiTrainingProvider.Builder builder() {
        return StableDiffusionApiTrainingProvider.builder()
                .apiKey(KEY)
                .baseUrl(URI.create(wm.baseUrl()))
                .generateTimeout(Duration.ofSeconds(5))
                .generatePollInterval(Duration.ofMillis(1))
                .pause(d -> {});
    }

    private static String processing(String fetchResult) {
        return "{\"status\":\"processing\",\"eta\":0.01,\"messege\":\"Try to fetch request after given estimated time\","
                + "\"fetch_result\":\"" + fetchResult + "\",\"id\":13481504,\"output\":[]}";
    }

    private static final String DONE =
            "{\"status\":\"success\",\"id\":13481504,\"output\":[\"https://pub.example/o.png\"]}";

    @Test
    void aFetchUrlOnAnotherOriginIsRefusedAndGetsNoRequestNorTheKey() {
        String foreign = elsewhere.baseUrl() + "/api/v6/images/fetch/13481504?x=1";
        wm.stubFor(post("/api/v6/images/text2img").willReturn(okJson(processing(foreign))));
        elsewhere.stubFor(post(anyUrl()).willReturn(okJson(DONE)));

        try (StableDiffusionApiTrainingProvider p = builder().build()) {
            assertThatThrownBy(() -> p.generate(
                            GenerationRequest.builder().prompt("a photo").build()))
                    .isInstanceOf(MalformedResponseException.class)
                    .hasMessageContaining("http://localhost:" + elsewhere.getPort())
                    .hasMessageContaining("loraport.stablediffusionapi.generate.fetch-hosts")
                    .hasMessageNotContaining(KEY)
                    .hasMessageNotContaining("x=1");
        }
        assertThat(elsewhere.findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void aFetchHostOnTheAllowListIsFollowedAndTheBaseOriginAlways() {
        wm.stubFor(post("/api/v6/images/text2img")
                .willReturn(okJson(processing(elsewhere.baseUrl() + "/api/v6/images/fetch/13481504"))));
        elsewhere.stubFor(post(anyUrl()).willReturn(okJson(DONE)));

        try (StableDiffusionApiTrainingProvider p =
                StableDiffusionApiTrainingProvider.from(ProviderConfig.fromMap(Map.of(
                        "loraport.provider",
                        "stablediffusionapi",
                        "loraport.stablediffusionapi.api-key",
                        KEY,
                        "loraport.stablediffusionapi.base-url",
                        wm.baseUrl(),
                        "loraport.stablediffusionapi.generate.poll-interval",
                        "1ms",
                        "loraport.stablediffusionapi.generate.fetch-hosts",
                        "cdn.example.com, localhost:" + elsewhere.getPort())))) {
            assertThat(p.generate(GenerationRequest.builder().prompt("a photo").build())
                            .images())
                    .hasSize(1);
        }
        elsewhere.verify(
                1,
                postRequestedFor(urlPathEqualTo("/api/v6/images/fetch/13481504"))
                        .withRequestBody(matchingJsonPath("$.key", equalTo(KEY))));

        wm.stubFor(post("/api/v6/images/text2img")
                .willReturn(okJson(processing(wm.baseUrl() + "/api/v6/images/fetch/7"))));
        wm.stubFor(post("/api/v6/images/fetch/7").willReturn(okJson(DONE)));
        try (StableDiffusionApiTrainingProvider p = builder().build()) {
            assertThat(p.generate(GenerationRequest.builder().prompt("a photo").build())
                            .images())
                    .hasSize(1);
        }
    }

    @Test
    void aFetchResultThatIsNoUrlIsMalformed() {
        wm.stubFor(post("/api/v6/images/text2img").willReturn(okJson(processing("http://[::1"))));

        try (StableDiffusionApiTrainingProvider p = builder().build()) {
            assertThatThrownBy(() -> p.generate(
                            GenerationRequest.builder().prompt("a photo").build()))
                    .isInstanceOf(MalformedResponseException.class)
                    .hasMessageContaining("fetch_result is not a URL");
        }
    }

    @Test
    void badSettingsFailWhenTheProviderIsBuiltNamingTheKey() {
        for (String bad : new String[] {"ftp://hooks.example/x", "/relative/hook", "not a url", " ", "mailto:a@b.c"}) {
            assertThatThrownBy(() -> StableDiffusionApiTrainingProvider.from(config("webhook", bad)))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("loraport.stablediffusionapi.webhook")
                    .hasMessageContaining("absolute http or https URL");
        }
        assertThatThrownBy(() -> builder()
                        .webhook("https://user:pw@hooks.example/x?token=t0k3n&key=" + KEY)
                        .webhook("ftp://user:pw@hooks.example/x?token=t0k3n"))
                .hasMessageNotContaining("t0k3n")
                .hasMessageNotContaining("pw");
        assertThatThrownBy(() -> StableDiffusionApiTrainingProvider.from(config("generate.model", "  ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loraport.stablediffusionapi.generate.model")
                .hasMessageContaining("not blank");
        assertThatThrownBy(() -> StableDiffusionApiTrainingProvider.from(config("base-url", "ftp://modelslab.com")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loraport.stablediffusionapi.base-url")
                .hasMessageContaining("http or https");
        assertThatThrownBy(() -> StableDiffusionApiTrainingProvider.from(
                        config("generate.fetch-hosts", "https://cdn.example.com/x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loraport.stablediffusionapi.generate.fetch-hosts")
                .hasMessageContaining("host:port");
        assertThat(wm.getAllServeEvents()).isEmpty();
    }

    private static ProviderConfig config(String key, String value) {
        return ProviderConfig.fromMap(Map.of(
                "loraport.provider",
                "stablediffusionapi",
                "loraport.stablediffusionapi.api-key",
                KEY,
                "loraport.stablediffusionapi." + key,
                value));
    }

    @Test
    void aValidWebhookIsSentWithTheCreate() {
        wm.stubFor(post("/api/v3/lora_fine_tune")
                .willReturn(okJson("{\"status\":\"success\",\"messege\":\"deploying_gpu\",\"training_id\":\"T1\"}")));

        try (StableDiffusionApiTrainingProvider p =
                builder().webhook("https://hooks.example/modelslab").build()) {
            p.create(request().build());
        }
        wm.verify(postRequestedFor(urlPathEqualTo("/api/v3/lora_fine_tune"))
                .withRequestBody(matchingJsonPath("$.webhook", equalTo("https://hooks.example/modelslab"))));
    }

    private static TrainingRequest.Builder request() {
        return TrainingRequest.builder()
                .name("alice")
                .kind(TrainingKind.SUBJECT)
                .baseModel("sdxl")
                .instancePrompt("photo of ambika0 man")
                .classPrompt("photo of a man")
                .addImage(TrainingImage.ofUrl(URI.create("https://cdn.example/a.png")));
    }

    @Test
    void anAnswerTheAdapterChokesOnIsATypedErrorWithoutTheKey() {
        wm.stubFor(post("/api/v6/images/text2img")
                .willReturn(okJson("{\"status\":\"success\",\"id\":1,\"output\":[\"http://[bad " + KEY + "\"]}")));

        try (StableDiffusionApiTrainingProvider p = builder().build()) {
            assertThatThrownBy(() -> p.generate(
                            GenerationRequest.builder().prompt("a photo").build()))
                    .isInstanceOf(TrainingProviderException.class)
                    .hasMessageContaining("stablediffusionapi generate")
                    .satisfies(e -> {
                        StringWriter trace = new StringWriter();
                        e.printStackTrace(new PrintWriter(trace));
                        assertThat(trace.toString()).doesNotContain(KEY);
                    });
        }
    }

    @Test
    void anUnexpectedFailureAfterTheCreateWasSentIsMalformedSoItIsReconciledNotResent() {
        wm.stubFor(post("/api/v3/lora_fine_tune")
                .willReturn(okJson("{\"status\":\"success\",\"messege\":\"deploying_gpu\",\"training_id\":\"T1\"}")));
        Clock broken = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                throw new IllegalStateException("clock broke near " + KEY);
            }
        };

        try (StableDiffusionApiTrainingProvider p = builder().clock(broken).build()) {
            assertThatThrownBy(() -> p.create(request().build()))
                    .isInstanceOf(MalformedResponseException.class)
                    .hasMessageContaining("the job may exist")
                    .hasMessageNotContaining(KEY);
        }
        wm.verify(1, postRequestedFor(urlPathEqualTo("/api/v3/lora_fine_tune")));
    }
}
