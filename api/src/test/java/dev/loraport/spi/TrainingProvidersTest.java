package dev.loraport.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loraport.ProviderConfig;
import dev.loraport.TrainingProvider;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingProvidersTest {

    @TempDir
    Path dir;

    @Test
    void availableListsEveryRegisteredFactory() {
        assertThat(TrainingProviders.available()).containsExactly("alpha", "beta");
    }

    @Test
    void createByIdGivesTheFactoriesProviderWithTheIdInItsConfig() throws Exception {
        try (TrainingProvider p = TrainingProviders.create(
                "BETA", ProviderConfig.builder().apiKey("k").build())) {
            assertThat(p.info().id()).isEqualTo("beta");
            assertThat(((TestFactories.EchoProvider) p).config.providerId()).contains("beta");
        }
    }

    @Test
    void unknownIdListsEveryIdFound() {
        assertThatThrownBy(() -> TrainingProviders.create(
                        "gamma", ProviderConfig.builder().build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unknown provider 'gamma'")
                .hasMessageContaining("alpha (dev.loraport.spi.TestFactories$AlphaFactory)")
                .hasMessageContaining("beta (dev.loraport.spi.TestFactories$BetaFactory)");
    }

    @Test
    void twoFactoriesWithOneIdFailListingBothClasses() throws IOException {
        ClassLoader loader = loaderWithServices("dev.loraport.spi.TestFactories$SecondAlphaFactory");

        assertThatThrownBy(() -> TrainingProviders.create(
                        "alpha", ProviderConfig.builder().build(), loader))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("claimed by 2 factories")
                .hasMessageContaining("TestFactories$AlphaFactory")
                .hasMessageContaining("TestFactories$SecondAlphaFactory");
        // The other ids still work.
        assertThat(TrainingProviders.create("beta", ProviderConfig.builder().build(), loader)
                        .info()
                        .id())
                .isEqualTo("beta");
    }

    @Test
    void aFactoryThatCannotLoadIsReportedNotFatal() throws IOException {
        ClassLoader loader = loaderWithServices("com.example.DoesNotExistFactory");

        assertThat(TrainingProviders.available(loader)).containsExactly("alpha", "beta");
        assertThatThrownBy(() -> TrainingProviders.create(
                        "nope", ProviderConfig.builder().build(), loader))
                .hasMessageContaining("failed to load")
                .hasMessageContaining("com.example.DoesNotExistFactory");
    }

    @Test
    void createFromAMapReadsProviderAndItsKeys() {
        TrainingProvider p = TrainingProviders.create(ProviderConfig.fromMap(Map.of(
                "loraport.provider", "alpha",
                "loraport.alpha.api-key", "secret-1",
                "loraport.alpha.base-url", "http://127.0.0.1:9/",
                "loraport.alpha.read-timeout", "45s",
                "loraport.alpha.retry.max-attempts", "5",
                "loraport.beta.api-key", "other-secret",
                "loraport.metrics.enabled", "false")));

        ProviderConfig c = ((TestFactories.EchoProvider) p).config;
        assertThat(c.providerId()).contains("alpha");
        assertThat(c.apiKey()).contains("secret-1");
        assertThat(c.baseUrl()).hasValueSatisfying(u -> assertThat(u.getPort()).isEqualTo(9));
        assertThat(c.readTimeout()).contains(java.time.Duration.ofSeconds(45));
        assertThat(c.intOption("retry.max-attempts", 3)).isEqualTo(5);
        assertThat(c.globalOption("metrics.enabled")).contains("false");
        assertThat(c.toString()).doesNotContain("other-secret").doesNotContain("secret-1");
    }

    @Test
    void createFromPropertiesWorksLikeTheMap() {
        Properties props = new Properties();
        props.setProperty("loraport.provider", "beta");
        props.setProperty("loraport.beta.api-key", "k");

        assertThat(TrainingProviders.create(ProviderConfig.fromProperties(props))
                        .info()
                        .id())
                .isEqualTo("beta");
    }

    @Test
    void environmentStyleKeysMapToTheSameConfiguration() {
        ProviderConfig c = ProviderConfig.fromEnvironment(Map.of(
                "LORAPORT_PROVIDER", "alpha",
                "LORAPORT_ALPHA_API_KEY", "env-secret",
                "LORAPORT_ALPHA_BASE_URL", "http://localhost:1234",
                "LORAPORT_ALPHA_RETRY_MAX_ATTEMPTS", "7",
                "LORAPORT_METRICS_ENABLED", "true",
                "PATH", "/usr/bin"));

        assertThat(c.providerId()).contains("alpha");
        assertThat(c.apiKey()).contains("env-secret");
        assertThat(c.baseUrl().orElseThrow().getPort()).isEqualTo(1234);
        assertThat(c.intOption("retry.max-attempts", 3)).isEqualTo(7);
        assertThat(c.globalOption("metrics.enabled")).contains("true");
        assertThat(((TestFactories.EchoProvider) TrainingProviders.create(c)).config.apiKey())
                .contains("env-secret");
    }

    @Test
    void plainServiceKeyVariableIsAFallback() {
        ProviderConfig c = ProviderConfig.fromEnvironment(Map.of("LORAPORT_PROVIDER", "alpha", "ALPHA_API_KEY", "k2"));

        assertThat(c.apiKey()).contains("k2");
    }

    @Test
    void noProviderChosenNamesTheKeyAndTheIds() {
        assertThatThrownBy(
                        () -> TrainingProviders.create(ProviderConfig.fromMap(Map.of("loraport.alpha.api-key", "k"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("loraport.provider")
                .hasMessageContaining("[alpha, beta]");
    }

    private ClassLoader loaderWithServices(String... classNames) throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(
                services.resolve("dev.loraport.spi.TrainingProviderFactory"), String.join("\n", classNames) + "\n");
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
    }
}
