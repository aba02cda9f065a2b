package dev.loraport.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loraport.simulators.SampleImages;
import dev.loraport.simulators.StableDiffusionApiSimulator;
import dev.loraport.simulators.internal.OpenApiSchemas;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every body the ModelsLab simulator answers validates against ModelsLab's published response schemas. */
class ModelsLabSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OpenApiSchemas TRAIN = OpenApiSchemas.modelsLabTraining();
    private static final OpenApiSchemas COMMUNITY = OpenApiSchemas.modelsLabCommunityModels();

    final StableDiffusionApiSimulator sim = StableDiffusionApiSimulator.create();

    @RegisterExtension
    final SimulatorExtension simRunning = SimulatorExtension.of(sim);

    private final HttpClient http = HttpClient.newHttpClient();
    private int checked;

    private JsonNode post(String path, String body, OpenApiSchemas doc, String schema) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : sim.baseUrl() + path))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode json = JSON.readTree(r.body());
        assertThat(doc.validate(json, schema))
                .as("%s answered %s", path, r.body())
                .isEmpty();
        checked++;
        return json;
    }

    @Test
    void everyAnswerMatchesItsSchema() throws Exception {
        String key = "\"key\":\"" + sim.apiKey() + "\"";
        String image = "data:image/png;base64," + Base64.getEncoder().encodeToString(SampleImages.png(1));
        JsonNode crop = post(
                "/api/v3/base64_crop",
                "{" + key + ",\"image\":\"" + image + "\",\"crop\":\"true\"}",
                TRAIN,
                "ImageUploadResponse");
        JsonNode created = post(
                "/api/v3/lora_fine_tune",
                "{" + key + ",\"instance_prompt\":\"p\",\"class_prompt\":\"c\",\"images\":[\""
                        + crop.get("link").asText() + "\"],\"training_type\":\"men\",\"max_train_steps\":\"2\"}",
                TRAIN,
                "TrainingResponse");
        String id = created.get("training_id").asText();
        for (int minute = 0; minute <= 31; minute += 3) {
            post("/api/v3/fine_tune_status/" + id, "{" + key + "}", TRAIN, "TrainingStatusResponse");
            sim.clock().advance(Duration.ofMinutes(3));
        }
        post("/api/v3/finetune_list", "{" + key + "}", TRAIN, "TrainedModelListResponse");
        JsonNode gen = post(
                "/api/v6/images/text2img",
                "{" + key + ",\"model_id\":\"m\",\"prompt\":\"p\",\"lora_model\":\"" + id
                        + "\",\"lora_strength\":\"0.7\"}",
                COMMUNITY,
                "ImageGenerationProcessingResponse");
        post(gen.get("fetch_result").asText(), "{" + key + "}", COMMUNITY, "ImageGenerationProcessingResponse");
        post(gen.get("fetch_result").asText(), "{" + key + "}", COMMUNITY, "ImageGenerationSuccessResponse");
        post("/api/v3/finetune/delete/" + id, "{" + key + "}", TRAIN, "BasicResponse");

        JsonNode second = post(
                "/api/v3/lora_fine_tune",
                "{" + key + ",\"instance_prompt\":\"p\",\"class_prompt\":\"c\",\"images\":[\"https://x/a.png\"],"
                        + "\"training_type\":\"women\",\"max_train_steps\":\"18\"}",
                TRAIN,
                "TrainingResponse");
        post("/api/v3/cancle_training/" + second.get("training_id").asText(), "{" + key + "}", TRAIN, "BasicResponse");
        post("/api/v3/fine_tune_status/nope", "{" + key + "}", TRAIN, "Error");
        post("/api/v3/finetune_list", "{\"key\":\"wrong\"}", TRAIN, "Error");
        post("/api/v3/lora_fine_tune", "{" + key + "}", TRAIN, "Error");

        assertThat(checked).isGreaterThan(20);
        // The validator bites: a wrong type and a value outside an enum are reported.
        assertThat(TRAIN.validate(JSON.readTree("{\"status\":42}"), "TrainingStatusResponse"))
                .isNotEmpty();
        assertThat(TRAIN.validate(JSON.readTree("{\"messege\":\"queued\"}"), "TrainingResponse"))
                .isNotEmpty();
    }
}
