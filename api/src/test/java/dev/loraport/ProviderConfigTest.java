package dev.loraport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderConfigTest {

    private static final String KEY = "sk-live-0123456789abcdef";

    @Test
    void toStringNeverShowsTheKeyOrSecretOptions() {
        ProviderConfig c = ProviderConfig.builder()
                .providerId("novita")
                .apiKey(KEY)
                .baseUrl("http://localhost:1")
                .option("webhook.token", "tok-123")
                .option("retry.max-attempts", "4")
                .build();

        assertThat(c.toString())
                .doesNotContain(KEY)
                .doesNotContain("tok-123")
                .contains("apiKey=****", "retry.max-attempts=4", "baseUrl=http://localhost:1");
        assertThat(ProviderConfig.fromMap(Map.of("loraport.provider", "x", "loraport.x.api-key", KEY))
                        .toString())
                .doesNotContain(KEY);
    }

    @Test
    void optionKeysMatchLoosely() {
        ProviderConfig c =
                ProviderConfig.builder().option("RETRY_MAX_ATTEMPTS", "6").build();

        assertThat(c.intOption("retry.max-attempts", 1)).isEqualTo(6);
        assertThat(c.option("retry.maxAttempts")).contains("6");
    }

    @Test
    void durationsAcceptUnitsIsoAndSeconds() {
        ProviderConfig c = ProviderConfig.fromMap(Map.of(
                "loraport.provider", "x",
                "loraport.x.a", "500ms",
                "loraport.x.b", "2m",
                "loraport.x.c", "PT1H",
                "loraport.x.d", "1.5",
                "loraport.x.connect-timeout", "3s"));

        assertThat(c.durationOption("a", Duration.ZERO)).isEqualTo(Duration.ofMillis(500));
        assertThat(c.durationOption("b", Duration.ZERO)).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.durationOption("c", Duration.ZERO)).isEqualTo(Duration.ofHours(1));
        assertThat(c.durationOption("d", Duration.ZERO)).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.durationOption("missing", Duration.ofSeconds(9))).isEqualTo(Duration.ofSeconds(9));
        assertThat(c.connectTimeout()).contains(Duration.ofSeconds(3));
    }

    @Test
    void badValuesNameTheFullKeyAndTheAllowedForms() {
        ProviderConfig c = ProviderConfig.builder()
                .providerId("x")
                .option("retry.max-attempts", "many")
                .option("flag", "maybe")
                .option("wait", "soon")
                .build();

        assertThatThrownBy(() -> c.intOption("retry.max-attempts", 1))
                .hasMessage("loraport.x.retry.max-attempts: 'many' is not a whole number");
        assertThatThrownBy(() -> c.booleanOption("flag", false))
                .hasMessageContaining("loraport.x.flag: 'maybe' is not a boolean; allowed: true, false");
        assertThatThrownBy(() -> c.durationOption("wait", Duration.ZERO))
                .hasMessageContaining("loraport.x.wait: 'soon' is not a duration; use 500ms, 30s");
        assertThatThrownBy(() ->
                        ProviderConfig.fromMap(Map.of("loraport.provider", "x", "loraport.x.read-timeout", "forever")))
                .hasMessageContaining("loraport.x.read-timeout");
    }

    @Test
    void requireApiKeyNamesThePropertyAndVariable() {
        assertThatThrownBy(() ->
                        ProviderConfig.builder().providerId("novita").build().requireApiKey())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no API key: set loraport.novita.api-key or LORAPORT_NOVITA_API_KEY");
    }
}
