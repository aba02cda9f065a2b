package dev.loraport.provider.novita;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loraport.AuthenticationException;
import dev.loraport.Page;
import dev.loraport.PageRequest;
import dev.loraport.ProviderConfig;
import dev.loraport.TaskId;
import dev.loraport.TaskNotFoundException;
import dev.loraport.TrainingTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Read-only calls against the real service: they train nothing and spend nothing. They run only when both
 * {@code LORAPORT_LIVE=1} and {@code LORAPORT_NOVITA_API_KEY} are set, so {@code ./mvnw verify} never leaves
 * the machine by surprise; a failure here means the service no longer answers as providers.md says.
 */
@EnabledIfEnvironmentVariable(named = "LORAPORT_LIVE", matches = "1|true")
@EnabledIfEnvironmentVariable(named = "LORAPORT_NOVITA_API_KEY", matches = ".+")
class NovitaLiveTest {

    private static ProviderConfig config() {
        return ProviderConfig.fromMap("novita", ProviderConfig.propertiesFromEnvironment("novita", System.getenv()));
    }

    @Test
    void listReadsAPageOfMappedTasks() {
        try (var provider = NovitaTrainingProvider.from(config())) {
            Page<TrainingTask> page = provider.list(PageRequest.first(10));

            assertThat(page.items()).hasSizeLessThanOrEqualTo(10).allSatisfy(t -> {
                assertThat(t.providerId()).isEqualTo("novita");
                assertThat(t.id().value()).isNotBlank();
            });
        }
    }

    @Test
    void anUnknownTaskIsTaskNotFound() {
        try (var provider = NovitaTrainingProvider.from(config())) {
            assertThatThrownBy(() -> provider.status(
                            TaskId.of(java.util.UUID.randomUUID().toString())))
                    .isInstanceOf(TaskNotFoundException.class);
        }
    }

    @Test
    void aWrongKeyIsAnAuthenticationErrorThatDoesNotEchoTheKey() {
        String wrong = "loraport-live-test-wrong-key";
        ProviderConfig config = config().toBuilder().apiKey(wrong).build();
        try (var provider = NovitaTrainingProvider.from(config)) {
            assertThatThrownBy(() -> provider.list(PageRequest.first(1)))
                    .isInstanceOf(AuthenticationException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(wrong));
        }
    }
}
