package dev.loraport.provider.stablediffusionapi.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An explicit JSON null in a status answer is read like the field being absent, as the service means it. */
@Tag("issue-16")
class StableDiffusionApiMapperNullsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"deploying_gpu", "training_started", "deploying_model", "model_ready"})
    void nullDataAndMessageReadAsAbsent(String stage) throws Exception {
        String base = "{\"status\":\"success\",\"messege\":\"" + stage + "\"";

        assertThat(StableDiffusionApiMapper.task("t1", JSON.readTree(base + ",\"data\":null,\"message\":null}")))
                .isEqualTo(StableDiffusionApiMapper.task("t1", JSON.readTree(base + "}")));
        assertThat(StableDiffusionApiMapper.stage(JSON.readTree("{\"status\":\"success\",\"messege\":null}")))
                .isEqualTo(StableDiffusionApiMapper.stage(JSON.readTree("{\"status\":\"success\"}")));
    }
}
