package dev.loraport.decorators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loraport.Page;
import dev.loraport.PageRequest;
import dev.loraport.ProviderCapabilities;
import dev.loraport.ProviderConfig;
import dev.loraport.ProviderInfo;
import dev.loraport.TaskId;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingTask;
import dev.loraport.spi.ForwardingTrainingProvider;
import dev.loraport.spi.TrainingProviderFactory;
import dev.loraport.spi.TrainingProviders;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The decorated entry points find the adapter through {@link TrainingProviders} and wrap it. */
class ProviderStackFromConfigTest {

    @Test
    void fromConfigWrapsTheDiscoveredAdapter() {
        TrainingProvider p = ProviderStack.fromConfig(Map.of(
                "loraport.provider", "echo",
                "loraport.echo.api-key", "secret-1",
                "loraport.echo.retry.max-attempts", "5",
                "loraport.metrics.enabled", "false"));

        assertThat(p).isInstanceOf(ForwardingTrainingProvider.class);
        TrainingProvider adapter = TrainingProviders.unwrap(p);
        assertThat(adapter).isInstanceOf(EchoProvider.class);
        ProviderConfig c = ((EchoProvider) adapter).config;
        assertThat(c.apiKey()).contains("secret-1");
        assertThat(c.intOption("retry.max-attempts", 3)).isEqualTo(5);
    }

    @Test
    void fromConfigPropertiesWorksLikeTheMap() {
        Properties props = new Properties();
        props.setProperty("loraport.provider", "echo");

        assertThat(ProviderStack.fromConfig(props).info().id()).isEqualTo("echo");
    }

    @Test
    void noProviderChosenNamesTheKeyAndTheIds() {
        assertThatThrownBy(() -> ProviderStack.fromConfig(Map.of("loraport.echo.api-key", "k")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("loraport.provider")
                .hasMessageContaining("[echo]");
    }

    @Test
    void anInvalidDecoratorKeyIsNamed() {
        assertThatThrownBy(() -> ProviderStack.fromConfig(
                        Map.of("loraport.provider", "echo", "loraport.echo.ratelimit.permits-per-second", "0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loraport.echo.ratelimit.permits-per-second");
    }

    /** Registered in this module's test services file as {@code echo}. */
    public static final class EchoFactory implements TrainingProviderFactory {
        @Override
        public String id() {
            return "echo";
        }

        @Override
        public TrainingProvider create(ProviderConfig config) {
            return new EchoProvider(config);
        }
    }

    /** Reports only who it is and which configuration it got. */
    static final class EchoProvider implements TrainingProvider {
        final ProviderConfig config;

        EchoProvider(ProviderConfig config) {
            this.config = config;
        }

        @Override
        public ProviderInfo info() {
            return new ProviderInfo(
                    "echo", "Echo", ProviderCapabilities.builder().build());
        }

        @Override
        public TrainingTask create(TrainingRequest request) {
            throw new UnsupportedOperationException("test double");
        }

        @Override
        public TrainingTask status(TaskId id) {
            throw new UnsupportedOperationException("test double");
        }

        @Override
        public Page<TrainingTask> list(PageRequest page) {
            throw new UnsupportedOperationException("test double");
        }
    }
}
