package dev.loraport.provider.novita.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loraport.TrainingTask;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A field the service fills with nonsense is absent, never an exception out of the status call. */
@Tag("issue-14")
class NovitaMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775807", "253402300800"})
    void aCreatedAtThatIsNoDateIsAbsent(String createdAt) throws Exception {
        JsonNode node = JSON.readTree("{\"task_id\":\"t1\",\"task_status\":\"TRAINING\",\"created_at\":" + createdAt
                + ",\"extra\":{\"eta_relative\":1e300}}");

        TrainingTask task = NovitaMapper.task(node, null, "status");

        assertThat(task.createdAt()).isEmpty();
        assertThat(task.eta()).isEmpty();
        assertThat(task.id().value()).isEqualTo("t1");
    }
}
