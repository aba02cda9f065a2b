package dev.loraport.provider.novita.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loraport.TrainingTask;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** An explicit JSON null in an answer is read like the field being absent, as the service means it. */
@Tag("issue-16")
class NovitaMapperNullsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static TrainingTask read(String json) throws Exception {
        return NovitaMapper.task(JSON.readTree(json), null, "status");
    }

    @Test
    void everyOptionalFieldSentAsNullReadsAsAbsent() throws Exception {
        TrainingTask nulls = read("{\"task_id\":\"t1\",\"task_status\":\"SUCCESS\",\"task_name\":null,"
                + "\"task_type\":null,\"model_type\":null,\"created_at\":null,"
                + "\"models\":[{\"model_name\":\"m.safetensors\",\"model_status\":null},{\"model_name\":null}],"
                + "\"extra\":{\"progress_percent\":null,\"eta_relative\":null}}");
        TrainingTask absent = read("{\"task_id\":\"t1\",\"task_status\":\"SUCCESS\","
                + "\"models\":[{\"model_name\":\"m.safetensors\"},{}],\"extra\":{}}");

        assertThat(nulls).isEqualTo(absent);
        assertThat(read("{\"task_id\":\"t1\",\"task_status\":\"TRAINING\",\"models\":null,\"extra\":null}"))
                .isEqualTo(read("{\"task_id\":\"t1\",\"task_status\":\"TRAINING\"}"));
    }
}
