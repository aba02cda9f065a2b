package dev.loraport.adapter.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.loraport.InvalidRequestException;
import dev.loraport.MalformedResponseException;
import dev.loraport.ProviderUnavailableException;
import dev.loraport.RateLimitedException;
import dev.loraport.TrainingProviderException;
import dev.loraport.internal.HttpErrors;
import java.net.URI;
import java.time.Duration;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import retrofit2.Call;
import retrofit2.http.GET;

class AdapterHttpTest {

    static final String KEY = "sk-SECRET-789";

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    interface Api {
        @GET("thing")
        Call<ResponseBody> thing();
    }

    /** A service that reports errors as {@code {"error": "..."}}, in 2xx bodies too. */
    static final class Errors implements ServiceErrors {
        @Override
        public TrainingProviderException fromErrorStatus(String operation, Answer answer) {
            return HttpErrors.fromStatus(
                    "test", operation, answer.status(), JsonFields.text(answer.json(), "error"), answer.retryAfter());
        }

        @Override
        public @Nullable TrainingProviderException insideSuccess(String operation, Answer answer) {
            String error = JsonFields.text(answer.json(), "error");
            return error == null
                    ? null
                    : new InvalidRequestException("test", operation, "rejected", answer.status(), error, null);
        }
    }

    static final class TestHttp extends AdapterHttp {
        final Api api;

        TestHttp(AdapterHttp.Setup setup) {
            super(setup);
            this.api = create(Api.class);
        }
    }

    private TestHttp http;

    @BeforeEach
    void open() {
        http = http(s -> s);
    }

    private static TestHttp http(java.util.function.UnaryOperator<AdapterHttp.Setup> choices) {
        AdapterSettings settings = AdapterSettings.builder("test", URI.create(wm.baseUrl()), "m")
                .apiKey(KEY)
                .readTimeout(Duration.ofSeconds(20))
                .build();
        return new TestHttp(choices.apply(AdapterHttp.setup(settings, new Errors(), AdapterHttpTest.class)
                .header("Authorization", "Bearer " + KEY)));
    }

    @AfterEach
    void close() {
        http.close();
    }

    @Test
    void aSuccessIsItsJsonObjectAndCarriesTheServiceHeaders() {
        wm.stubFor(get("/thing").willReturn(okJson("{\"a\":1}")));

        assertThat(http.execute("status", http.api.thing()).get("a").asInt()).isEqualTo(1);
        wm.verify(getRequestedFor(urlPathEqualTo("/thing"))
                .withHeader("Authorization", equalTo("Bearer " + KEY))
                .withHeader("Accept", equalTo("application/json"))
                .withHeader("User-Agent", equalTo("loraport/dev")));
    }

    @Test
    @org.junit.jupiter.api.Tag("issue-14")
    void aRedirectIsNeverFollowedAndSaysWhereItPointed() {
        wm.stubFor(get("/thing")
                .willReturn(aResponse().withStatus(302).withHeader("Location", "http://127.0.0.1:9/steal?key=" + KEY)));

        assertThatThrownBy(() -> http.execute("status", http.api.thing()))
                .isInstanceOfSatisfying(TrainingProviderException.class, e -> {
                    assertThat(e.isRetryable()).isFalse();
                    assertThat(e.httpStatus()).hasValue(302);
                })
                .hasMessageContaining("redirect to http://127.0.0.1:9/steal")
                .hasMessageNotContaining(KEY);
        // One request, to the configured server only.
        assertThat(wm.getAllServeEvents()).hasSize(1);
    }

    @Test
    void anErrorInsideA2xxIsThrownWithTheKeyScrubbed() {
        wm.stubFor(get("/thing").willReturn(okJson("{\"error\":\"bad key " + KEY + "\"}")));

        assertThatThrownBy(() -> http.execute("status", http.api.thing()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("bad key ****")
                .hasMessageNotContaining(KEY);
    }

    @Test
    void theKeyIsScrubbedFromValuesOnlySoAShortKeyLeavesFieldNamesReadable() {
        http.close();
        AdapterSettings settings = AdapterSettings.builder("test", URI.create(wm.baseUrl()), "m")
                .apiKey("k")
                .build();
        http = new TestHttp(AdapterHttp.setup(settings, new Errors(), AdapterHttpTest.class));
        wm.stubFor(get("/thing").willReturn(okJson("{\"link\":\"https://pub.example/a.png\",\"echo\":[\"key k\"]}")));

        var json = http.execute("upload", http.api.thing());

        assertThat(json.get("link").asText()).isEqualTo("https://pub.example/a.png");
        assertThat(json.get("echo").get(0).asText()).isEqualTo("****ey ****");
    }

    @Test
    void anErrorStatusGoesToTheServiceErrorsWithRetryAfter() {
        wm.stubFor(get("/thing")
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Retry-After", "3")
                        .withBody("{\"error\":\"slow down\"}")));

        assertThatThrownBy(() -> http.execute("status", http.api.thing()))
                .isInstanceOfSatisfying(
                        RateLimitedException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(3)));
    }

    @Test
    void aBodyThatIsNotAJsonObjectIsMappedFromTheStatus() {
        wm.stubFor(get("/thing").willReturn(aResponse().withStatus(200).withBody("[1, 2]")));
        assertThatThrownBy(() -> http.execute("create", http.api.thing()))
                .isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining("the job may have been created");

        wm.stubFor(get("/thing").willReturn(aResponse().withStatus(502).withBody("<html>bad gateway</html>")));
        assertThatThrownBy(() -> http.execute("status", http.api.thing()))
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("non-JSON body");

        wm.stubFor(get("/thing").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "4")));
        assertThatThrownBy(() -> http.execute("status", http.api.thing()))
                .isInstanceOfSatisfying(
                        RateLimitedException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(4)));
    }

    @Test
    void aBodyOverTheCapIsMalformedOnA2xxAndIgnoredOnAnError() {
        http.close();
        http = http(s -> s.maxBodyBytes(64));
        String big = "{\"pad\":\"" + "x".repeat(100) + "\"}";
        wm.stubFor(get("/thing").willReturn(okJson(big)));
        assertThatThrownBy(() -> http.execute("status", http.api.thing()))
                .isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining("larger than 64 bytes");

        wm.stubFor(get("/thing").willReturn(aResponse().withStatus(503).withBody(big)));
        assertThatThrownBy(() -> http.execute("status", http.api.thing()))
                .isInstanceOf(ProviderUnavailableException.class);

        wm.stubFor(get("/thing").willReturn(okJson("{\"pad\":\"" + "x".repeat(40) + "\"}")));
        assertThat(http.execute("status", http.api.thing()).get("pad").asText()).hasSize(40);
    }

    @Test
    void aConfiguredResponseSizeCapRejectsABodyTheDefaultCapReads() {
        String body = "{\"pad\":\"" + "x".repeat(2000) + "\"}";
        wm.stubFor(get("/thing").willReturn(okJson(body)));
        // The default cap (16 MiB) reads it.
        assertThat(http.execute("status", http.api.thing()).get("pad").asText()).hasSize(2000);

        http.close();
        AdapterSettings settings = AdapterSettings.builder("test", URI.create("http://unused.invalid"), "m")
                .read(dev.loraport.ProviderConfig.builder()
                        .providerId("test")
                        .apiKey(KEY)
                        .baseUrl(wm.baseUrl())
                        .option("max-response-size", "1KiB")
                        .build())
                .build();
        http = new TestHttp(AdapterHttp.setup(settings, new Errors(), AdapterHttpTest.class));

        assertThatThrownBy(() -> http.execute("status", http.api.thing()))
                .isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining("larger than 1024 bytes");
        wm.stubFor(get("/thing").willReturn(okJson("{\"pad\":\"" + "x".repeat(1000) + "\"}")));
        assertThat(http.execute("status", http.api.thing()).get("pad").asText()).hasSize(1000);
    }

    @Test
    void redirectsAreNotFollowedWhenTheServiceSaysSo() {
        http.close();
        http = http(s -> s.followRedirects(false));
        wm.stubFor(get("/thing")
                .willReturn(aResponse().withStatus(307).withHeader("Location", "http://127.0.0.2:9/steal")));

        assertThatThrownBy(() -> http.execute("list", http.api.thing())).hasMessageContaining("HTTP 307");
        assertThat(wm.getAllServeEvents()).hasSize(1);
    }

    @Test
    void thePlainClientSendsNoServiceHeaders() throws Exception {
        wm.stubFor(get("/plain").willReturn(aResponse().withStatus(200)));

        try (okhttp3.Response r = http.plainClient()
                .newCall(new okhttp3.Request.Builder()
                        .url(wm.baseUrl() + "/plain")
                        .build())
                .execute()) {
            assertThat(r.code()).isEqualTo(200);
        }
        wm.verify(getRequestedFor(urlPathEqualTo("/plain"))
                .withoutHeader("Authorization")
                .withHeader("User-Agent", equalTo("loraport/dev")));
    }
}
