package dev.loraport.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loraport.simulators.SampleImages;
import dev.loraport.simulators.SimulatorMain;
import dev.loraport.simulators.SimulatorServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The standalone simulator serves a whole flow to a plain HTTP client, with no loraport code involved. */
class SimulatorMainTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private JsonNode post(SimulatorServer sim, String path, String body) throws Exception {
        String url = path.startsWith("http") ? path : sim.baseUrl() + path;
        return JSON.readTree(http.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body());
    }

    @Test
    void aSeededSpedUpModelsLabServesTrainingToReadyAndGeneration() throws Exception {
        // 100,000x: the 30-minute job takes under 20 ms of real time.
        SimulatorServer sim = SimulatorMain.start(
                new String[] {"--provider", "stablediffusionapi", "--seed", "2", "--speed", "100000"});
        try {
            String key = "\"key\":\"" + sim.apiKey() + "\"";
            assertThat(post(sim, "/api/v3/finetune_list", "{" + key + "}").get("data"))
                    .hasSize(2);
            String image = Base64.getEncoder().encodeToString(SampleImages.png(2));
            String link = post(
                            sim,
                            "/api/v3/base64_crop",
                            "{" + key + ",\"image\":\"data:image/png;base64," + image + "\"}")
                    .get("link")
                    .asText();
            String id = post(
                            sim,
                            "/api/v3/lora_fine_tune",
                            "{" + key + ",\"instance_prompt\":\"p\",\"class_prompt\":\"c\",\"images\":[\"" + link
                                    + "\"],\"training_type\":\"men\",\"max_train_steps\":\"2\"}")
                    .get("training_id")
                    .asText();
            String stage = "";
            for (int i = 0; i < 200 && !stage.equals("model_ready"); i++) {
                stage = post(sim, "/api/v3/fine_tune_status/" + id, "{" + key + "}")
                        .get("messege")
                        .asText();
                Thread.sleep(5);
            }
            assertThat(stage).isEqualTo("model_ready");
            JsonNode gen = post(
                    sim,
                    "/api/v6/images/text2img",
                    "{" + key + ",\"model_id\":\"m\",\"prompt\":\"p\",\"lora_model\":\"" + id + "\"}");
            JsonNode done = post(sim, gen.get("fetch_result").asText(), "{" + key + "}");
            done = done.get("status").asText().equals("success")
                    ? done
                    : post(sim, gen.get("fetch_result").asText(), "{" + key + "}");
            assertThat(done.get("output")).isNotEmpty();
        } finally {
            sim.stop();
        }
    }

    @Test
    void badArgumentsNameWhatIsAllowed() {
        assertThatThrownBy(() -> SimulatorMain.start(new String[] {"--provider", "acme"}))
                .hasMessageContaining("allowed: novita, stablediffusionapi");
        assertThatThrownBy(() -> SimulatorMain.start(new String[] {"--colour", "red"}))
                .hasMessageContaining("allowed: --provider, --port, --seed, --speed");
    }
}
