package dev.loraport.provider.stablediffusionapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loraport.simulators.SampleImages;
import dev.loraport.simulators.StableDiffusionApiSimulator;
import dev.loraport.simulators.TaskDurations;
import dev.loraport.simulators.VirtualClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ModelsLab simulator does what the real service documents (issue 16, "Fidelity"), over raw HTTP. It lives
 * here because the simulators module carries no test framework; it tests the simulator only, never the adapter.
 */
@Tag("issue-16")
class StableDiffusionApiSimulatorFidelityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final StableDiffusionApiSimulator SIM = StableDiffusionApiSimulator.create();

    @BeforeAll
    static void start() {
        SIM.start();
    }

    @AfterAll
    static void stop() {
        SIM.stop();
    }

    private static HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : SIM.baseUrl() + path))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static ObjectNode keyed(String json) throws IOException {
        ObjectNode n = (ObjectNode) JSON.readTree(json);
        n.put("key", SIM.apiKey());
        return n;
    }

    private static ObjectNode base(String endpoint) throws Exception {
        return switch (endpoint) {
            case "lora_fine_tune" ->
                keyed(
                        "{\"instance_prompt\":\"photo of ohwx man\",\"class_prompt\":\"photo of a man\","
                                + "\"images\":[\"https://example.com/a.png\"],\"training_type\":\"men\",\"max_train_steps\":\"18\"}");
            case "fine_tune" ->
                keyed("{\"instance_prompt\":\"photo of ohwx man\",\"class_prompt\":\"photo of a man\","
                        + "\"base_model_id\":\"midjourney\",\"images\":[\"https://example.com/a.png\"],"
                        + "\"training_type\":\"men\",\"max_train_steps\":\"2000\",\"seed\":\"0\",\"webhook\":\"\"}");
            case "base64_crop" ->
                keyed("{\"image\":\"data:image/png;base64,"
                        + Base64.getEncoder().encodeToString(SampleImages.png(1)) + "\"}");
            case "text2img" -> keyed("{\"model_id\":\"midjourney\",\"prompt\":\"a cat\"}");
            case "fetch" -> {
                String id = JSON.readTree(
                                post("/api/v6/images/text2img", base("text2img").toString())
                                        .body())
                        .get("id")
                        .asText();
                ObjectNode n = keyed("{}");
                n.put("request_id", id);
                yield n;
            }
            case "finetune_list" -> keyed("{}");
            default -> throw new IllegalArgumentException(endpoint);
        };
    }

    private static String path(String endpoint) {
        return switch (endpoint) {
            case "text2img", "fetch" -> "/api/v6/images/" + endpoint;
            default -> "/api/v3/" + endpoint;
        };
    }

    private static ObjectNode with(ObjectNode body, String field, String value) throws IOException {
        if (value == null) {
            body.remove(field);
        } else {
            body.set(field, JSON.readTree(value));
        }
        return body;
    }

    /** A documented optional field and a valid value for it, per endpoint. */
    static Stream<Arguments> optionalFields() {
        return Stream.of(
                Arguments.of("lora_fine_tune", "base_model_type", "\"normal\""),
                Arguments.of("lora_fine_tune", "negative_prompt", "\"blurry\""),
                Arguments.of("lora_fine_tune", "seed", "\"0\""),
                Arguments.of("lora_fine_tune", "lora_type", "\"lycoris\""),
                Arguments.of("lora_fine_tune", "webhook", "\"https://example.com/hook\""),
                Arguments.of("lora_fine_tune", "wandb_key", "\"wk\""),
                Arguments.of("base64_crop", "crop", "\"false\""),
                Arguments.of("text2img", "negative_prompt", "\"blurry\""),
                Arguments.of("text2img", "width", "\"512\""),
                Arguments.of("text2img", "height", "768"),
                Arguments.of("text2img", "samples", "\"2\""),
                Arguments.of("text2img", "num_inference_steps", "\"20\""),
                Arguments.of("text2img", "guidance_scale", "7.5"),
                Arguments.of("text2img", "seed", "42"),
                Arguments.of("text2img", "scheduler", "\"UniPCMultistepScheduler\""),
                Arguments.of("text2img", "safety_checker", "\"no\""),
                Arguments.of("text2img", "enhance_prompt", "\"yes\""),
                Arguments.of("text2img", "clip_skip", "\"2\""),
                Arguments.of("text2img", "vae", "\"vae\""),
                Arguments.of("text2img", "lora_strength", "\"0.5\""),
                Arguments.of("text2img", "webhook", "\"https://example.com/hook\""),
                Arguments.of("text2img", "track_id", "\"t1\""),
                Arguments.of("text2img", "base64", "false"),
                Arguments.of("text2img", "temp", "false"));
    }

    /** Documented required fields, per endpoint. */
    static Stream<Arguments> requiredFields() {
        return Stream.of(
                Arguments.of("lora_fine_tune", "key"),
                Arguments.of("lora_fine_tune", "instance_prompt"),
                Arguments.of("lora_fine_tune", "class_prompt"),
                Arguments.of("lora_fine_tune", "images"),
                Arguments.of("lora_fine_tune", "training_type"),
                Arguments.of("lora_fine_tune", "max_train_steps"),
                Arguments.of("fine_tune", "base_model_id"),
                Arguments.of("fine_tune", "training_type"),
                Arguments.of("base64_crop", "image"),
                Arguments.of("text2img", "model_id"),
                Arguments.of("text2img", "prompt"),
                Arguments.of("fetch", "request_id"),
                Arguments.of("finetune_list", "key"));
    }

    @ParameterizedTest(name = "{0} {1} = {2}")
    @MethodSource("optionalFields")
    void anOptionalFieldAbsentNullOrValidIsAccepted(String endpoint, String field, String valid) throws Exception {
        for (String value : new String[] {null, "null", valid}) {
            HttpResponse<String> r =
                    post(path(endpoint), with(base(endpoint), field, value).toString());

            assertThat(r.statusCode())
                    .as("%s with %s = %s: %s", endpoint, field, value, r.body())
                    .isEqualTo(200);
            assertThat(JSON.readTree(r.body()).get("status").asText()).isIn("success", "processing");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("requiredFields")
    void aRequiredFieldAbsentOrNullIsRefusedTheSameWay(String endpoint, String field) throws Exception {
        HttpResponse<String> absent =
                post(path(endpoint), with(base(endpoint), field, null).toString());
        HttpResponse<String> nulled =
                post(path(endpoint), with(base(endpoint), field, "null").toString());

        assertThat(absent.statusCode()).as(absent.body()).isEqualTo(400);
        assertThat(JSON.readTree(absent.body()).get("status").asText()).isEqualTo("error");
        assertThat(nulled.statusCode()).isEqualTo(400);
        assertThat(nulled.body()).isEqualTo(absent.body());
    }

    @Test
    void answersCarryOnlyDocumentedFields() throws Exception {
        JsonNode created = JSON.readTree(
                post("/api/v3/lora_fine_tune", base("lora_fine_tune").toString())
                        .body());
        String id = created.get("training_id").asText();
        JsonNode status = JSON.readTree(
                post("/api/v3/fine_tune_status/" + id, keyed("{}").toString()).body());
        JsonNode gen = JSON.readTree(
                post("/api/v6/images/text2img", base("text2img").toString()).body());

        // Training answers as lora-finetune.mdx and finetune-status.mdx show them (messege sic).
        assertThat(names(created)).containsExactlyInAnyOrder("status", "messege", "data", "training_id");
        assertThat(names(status)).containsExactlyInAnyOrder("status", "messege", "data");
        // Generation is the newer API: "message", spelt right, as the community-models OpenAPI file has it.
        assertThat(names(gen)).contains("message").doesNotContain("messege");
    }

    @Test
    void etaMinutesOnASpedUpClockAreTheClientsMinutesNotTheVirtualOnes() throws Exception {
        StableDiffusionApiSimulator sim = StableDiffusionApiSimulator.create(VirtualClock.scaled(600));
        sim.durations(TaskDurations.of(Duration.ofMinutes(10), Duration.ofMinutes(300), Duration.ofMinutes(10)));
        sim.start();
        try {
            String queued = sim.seedTask("queued", Duration.ZERO);
            String training = sim.seedTask("training", Duration.ofMinutes(20));
            ObjectNode key = (ObjectNode) JSON.readTree("{}");
            key.put("key", sim.apiKey());
            String q = JSON.readTree(post(sim.baseUrl() + "/api/v3/fine_tune_status/" + queued, key.toString())
                            .body())
                    .path("data")
                    .asText();
            String t = JSON.readTree(post(sim.baseUrl() + "/api/v3/fine_tune_status/" + training, key.toString())
                            .body())
                    .path("data")
                    .asText();

            // 320 virtual minutes left are 32 real seconds at speed 600: no client should wait 320 minutes.
            assertThat(q).contains("upto 0 minutes");
            assertThat(t).contains("ETA : 0 minutes");
        } finally {
            sim.stop();
        }
    }

    private static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
