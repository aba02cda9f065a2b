package dev.loraport.adapter.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loraport.ProviderConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class AdapterSettingsTest {

    private static final String KEY = "sk-live-SECRET-4711";

    private static AdapterSettings read(String option, String value) {
        ProviderConfig config = ProviderConfig.fromMap(Map.of(
                "loraport.provider", "novita", "loraport.novita.api-key", KEY, "loraport.novita." + option, value));
        return AdapterSettings.builder("novita", URI.create("https://api.novita.ai"), "m")
                .read(config)
                .build();
    }

    /** A key, a value out of its range, how the message shows that value, and what it says is allowed. */
    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                // OkHttp reads 0 as "never time out": a slow drip would then hang a call forever.
                "read-timeout           | 0        | 0s       | must be a duration > 0, between 1ms and 24h",
                "connect-timeout        | 0        | 0s       | must be a duration > 0, between 1ms and 24h",
                "call-timeout           | PT0S     | 0s       | must be a duration > 0, between 1ms and 24h",
                "call-timeout           | 25h      | 25h      | must be a duration > 0, between 1ms and 24h",
                // Below a millisecond OkHttp throws "timeout too small", naming no key.
                "read-timeout           | 0.0005s  | PT0.0005S | must be a duration > 0, between 1ms and 24h",
                // Too long for OkHttp, which said only "timeout too large".
                "read-timeout           | 1e9s     | 1000000000s | must be a duration > 0, between 1ms and 24h",
                "read-timeout           | -5ms     | '-5ms'   | must be a finite duration >= 0",
                "connect-timeout        | PT-5S    | 'PT-5S'  | must be a finite duration >= 0",
                "call-timeout           | 1e400s   | '1e400s' | must be a finite duration >= 0",
                "upload.parallelism     | 0        | 0        | must be a whole number between 1 and 64",
                "upload.parallelism     | 65       | 65       | must be a whole number between 1 and 64",
                "upload.max-attempts    | 0        | 0        | must be a whole number between 1 and 100",
                "upload.max-attempts    | -3       | -3       | must be a whole number between 1 and 100",
                "generate.timeout       | 0        | 0s       | must be a duration > 0, between 1ms and 24h",
                "generate.poll-interval | 0        | 0s       | must be a duration > 0, between 1ms and 1h",
                "generate.poll-interval | 2h       | 2h       | must be a duration > 0, between 1ms and 1h",
                "max-response-size      | 512      | 512      | must be a size between 1KiB and 1GiB",
                "max-response-size      | 2GiB     | 2GiB     | must be a size between 1KiB and 1GiB",
                "max-response-size      | -1       | '-1'     | must be a size >= 0",
                "base-url               | ftp://files.example/ | 'ftp://files.example/' | must be an absolute http or https URL",
                "base-url               | api.novita.ai | 'api.novita.ai' | must be an absolute http or https URL",
            })
    void aValueOutOfRangeFailsWhenTheAdapterIsBuiltNamingKeyValueAndRange(
            String option, String value, String shown, String allowed) {
        assertThatThrownBy(() -> read(option, value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("loraport.novita." + option + ": " + shown + " is out of range; ")
                .hasMessageContaining(allowed)
                .hasMessageNotContaining(KEY);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "upload.parallelism  | many   | is not a whole number",
                "generate.timeout    | soon   | is not a duration; use 500ms",
                "max-response-size   | 16MB   | is not a size; use a whole number of bytes, or one with KiB, MiB or GiB",
                "max-response-size   | 1.5MiB | is not a size",
            })
    void anUnreadableValueNamesKeyValueAndTheAcceptedForms(String option, String value, String hint) {
        assertThatThrownBy(() -> read(option, value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loraport.novita." + option + ": '" + value + "' " + hint)
                .hasMessageNotContaining(KEY);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "read-timeout           | 1ms",
                "read-timeout           | 24h",
                "connect-timeout        | PT0.001S",
                "call-timeout           | 86400",
                "upload.parallelism     | 1",
                "upload.parallelism     | 64",
                "upload.max-attempts    | 1",
                "upload.max-attempts    | 100",
                "generate.timeout       | 1ms",
                "generate.timeout       | 24h",
                "generate.poll-interval | 1ms",
                "generate.poll-interval | 1h",
                "max-response-size      | 1KiB",
                "max-response-size      | 1024",
                "max-response-size      | 1GiB",
                "base-url               | http://127.0.0.1:8080",
                "base-url               | HTTPS://api.novita.ai/v3/",
            })
    void aValueOnTheEdgeOfItsRangeIsTaken(String option, String value) {
        assertThatCode(() -> read(option, value)).doesNotThrowAnyException();
    }

    @Test
    void theConfiguredValuesAreTheOnesBuilt() {
        ProviderConfig config = ProviderConfig.fromMap(Map.of(
                "loraport.provider", "novita",
                "loraport.novita.api-key", KEY,
                "loraport.novita.read-timeout", "1ms",
                "loraport.novita.max-response-size", "512KiB",
                "loraport.novita.upload.parallelism", "64"));
        AdapterSettings s = AdapterSettings.builder("novita", URI.create("https://api.novita.ai"), "m")
                .read(config)
                .build();

        assertThat(s.readTimeout()).isEqualTo(Duration.ofMillis(1));
        assertThat(s.maxResponseSize()).isEqualTo(512L << 10);
        assertThat(s.uploadParallelism()).isEqualTo(64);
        assertThat(s.connectTimeout()).isEqualTo(AdapterSettings.DEFAULT_CONNECT_TIMEOUT);
        assertThat(s.toString()).contains("maxResponseSize=512KiB").doesNotContain(KEY);
        assertThat(AdapterSettings.builder("novita", URI.create("https://api.novita.ai"), "m")
                        .apiKey(KEY)
                        .build()
                        .maxResponseSize())
                .isEqualTo(16L << 20);
    }

    static Stream<Arguments> builderSetters() {
        return Stream.of(
                setter("connect-timeout", "0s", b -> b.connectTimeout(Duration.ZERO)),
                setter("read-timeout", "-1s", b -> b.readTimeout(Duration.ofSeconds(-1))),
                setter("call-timeout", "0s", b -> b.callTimeout(Duration.ZERO)),
                setter("generate.timeout", "-5ms", b -> b.generateTimeout(Duration.ofMillis(-5))),
                setter("generate.poll-interval", "0s", b -> b.generatePollInterval(Duration.ZERO)),
                setter("upload.parallelism", "0", b -> b.uploadParallelism(0)),
                setter("upload.max-attempts", "1000", b -> b.uploadMaxAttempts(1000)),
                setter("max-response-size", "100", b -> b.maxResponseSize(100)),
                setter("generate.model", "' '", b -> b.generateModel(" ")),
                setter("base-url", "'file:/etc/passwd'", b -> b.baseUrl(URI.create("file:/etc/passwd"))));
    }

    private static Arguments setter(String option, String shown, Consumer<AdapterSettings.Builder> set) {
        return Arguments.of(option, shown, set);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("builderSetters")
    void theBuilderChecksWhatItIsGivenInCodeAndNamesTheSettingKey(
            String option, String shown, Consumer<AdapterSettings.Builder> set) {
        AdapterSettings.Builder b = AdapterSettings.builder("novita", URI.create("https://api.novita.ai"), "m")
                .apiKey(KEY);

        assertThatThrownBy(() -> set.accept(b))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("loraport.novita." + option + ": " + shown + " is out of range; must be ");
    }

    @Test
    void aBaseUrlWithCredentialsIsShownWithoutThem() {
        assertThatThrownBy(() -> AdapterSettings.builder("novita", URI.create("https://api.novita.ai"), "m")
                        .baseUrl(URI.create("ftp://user:" + KEY + "@files.example/x?token=" + KEY)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loraport.novita.base-url: 'ftp://files.example/x' is out of range")
                .hasMessageNotContaining(KEY);
    }
}
