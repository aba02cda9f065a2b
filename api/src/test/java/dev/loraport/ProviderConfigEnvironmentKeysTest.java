package dev.loraport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderConfigEnvironmentKeysTest {

    @Test
    void fromMapTakesEnvironmentStyleKeys() {
        ProviderConfig c = ProviderConfig.fromMap(Map.of(
                "LORAPORT_PROVIDER", "novita",
                "LORAPORT_NOVITA_API_KEY", "sk-env",
                "LORAPORT_NOVITA_BASE_URL", "http://127.0.0.1:9/",
                "LORAPORT_NOVITA_RETRY_MAX_ATTEMPTS", "7"));
        assertThat(c.providerId()).contains("novita");
        assertThat(c.requireApiKey()).isEqualTo("sk-env");
        assertThat(c.baseUrl()).hasValueSatisfying(u -> assertThat(u.getPort()).isEqualTo(9));
        assertThat(c.option("retry.max-attempts")).contains("7");
    }

    @Test
    void theShortKeyVariableAndMixedStylesWorkAndADottedKeyWins() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("loraport.provider", "novita");
        m.put("NOVITA_API_KEY", "sk-short");
        assertThat(ProviderConfig.fromMap(m).requireApiKey()).isEqualTo("sk-short");
        m.put("loraport.novita.api-key", "sk-dotted");
        assertThat(ProviderConfig.fromMap(m).requireApiKey()).isEqualTo("sk-dotted");
    }

    @Test
    void noApiKeyNamesTheKeysItSawButNeverTheirValues() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("loraport.provider", "novita");
        m.put("loraport.novita.apikey-typo-here", "sk-secret-value");
        m.put("NOVITA_APIKEY", "sk-other-secret");
        m.put("HOME", "/home/me");
        ProviderConfig c = ProviderConfig.fromMap(m);
        assertThatThrownBy(c::requireApiKey)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("no API key: set loraport.novita.api-key or LORAPORT_NOVITA_API_KEY")
                .hasMessageContaining("keys seen: NOVITA_APIKEY, loraport.novita.apikey-typo-here, loraport.provider")
                .hasMessageNotContaining("sk-")
                .hasMessageNotContaining("HOME");
        assertThat(c.toString()).doesNotContain("sk-");
    }

    @Test
    void aMapWithNothingRelevantSaysSo() {
        assertThatThrownBy(() ->
                        ProviderConfig.fromMap("novita", Map.of("HOME", "/x")).requireApiKey())
                .hasMessageEndingWith("; the configuration held no loraport or key entries");
    }
}
