package dev.loraport.provider.novita;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loraport.internal.LocalImages;
import dev.loraport.simulators.NovitaSimulator;
import dev.loraport.simulators.SampleImages;
import dev.loraport.simulators.TaskDurations;
import dev.loraport.simulators.VirtualClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Novita simulator does what the real service and its official clients do (issue 16, "Fidelity"), over raw
 * HTTP as a client without loraport sees it. It lives here because the simulators module carries no test
 * framework; it tests the simulator only, never the adapter.
 */
@Tag("issue-16")
class NovitaSimulatorFidelityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** One simulator for the whole table: each row is one request, and the asset uploaded once can be reused. */
    private static final NovitaSimulator SIM = NovitaSimulator.create();

    private static String asset;

    @BeforeAll
    static void start() throws Exception {
        SIM.start();
        asset = upload(SIM, "Bearer " + SIM.apiKey());
    }

    @AfterAll
    static void stop() {
        SIM.stop();
    }

    private static HttpResponse<String> call(NovitaSimulator sim, String method, String path, String body, String auth)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> call(String method, String path, String body)
            throws IOException, InterruptedException {
        return call(SIM, method, path, body, "Bearer " + SIM.apiKey());
    }

    private static String upload(NovitaSimulator sim, String auth) throws Exception {
        JsonNode slot =
                JSON.readTree(call(sim, "POST", "/v3/assets/training_dataset", "{\"file_extension\":\"png\"}", auth)
                        .body());
        HttpResponse<String> put = HTTP.send(
                HttpRequest.newBuilder(URI.create(slot.get("upload_url").asText()))
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(SampleImages.png(1)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as("upload: %s", put.body()).isEqualTo(200);
        return slot.get("assets_id").asText();
    }

    private static ObjectNode subject() throws IOException {
        return (ObjectNode) JSON.readTree("{\"name\":\"n\",\"base_model\":\"v1-5-pruned-emaonly\",\"width\":512,"
                + "\"height\":512,\"image_dataset_items\":[{\"assets_id\":\"" + asset + "\"}],"
                + "\"expert_setting\":{\"instance_prompt\":\"a photo of ohwx person\",\"class_prompt\":\"person\"},"
                + "\"components\":[{\"name\":\"resize\",\"args\":[{\"name\":\"width\",\"value\":\"512\"},"
                + "{\"name\":\"height\",\"value\":\"512\"}]}]}");
    }

    private static ObjectNode style() throws IOException {
        ObjectNode b = subject();
        ((ObjectNode) b.get("image_dataset_items").get(0)).put("caption", "a painting");
        b.remove("expert_setting");
        return b;
    }

    private static ObjectNode txt2img() throws IOException {
        return (ObjectNode) JSON.readTree("{\"extra\":{},\"request\":{\"model_name\":\"sd15.safetensors\","
                + "\"prompt\":\"a cat\",\"width\":512,\"height\":512,\"image_num\":1,\"steps\":20,"
                + "\"guidance_scale\":7.5,\"sampler_name\":\"Euler a\"}}");
    }

    private static ObjectNode img2img() throws IOException {
        ObjectNode b = txt2img();
        ((ObjectNode) b.get("request")).put("image_base64", Base64.getEncoder().encodeToString(SampleImages.png(2)));
        return b;
    }

    /** Every JSON path in a tree whose name starts with "sim" (simulator-only fields). */
    private static List<String> simFields(JsonNode n, String at) {
        List<String> out = new ArrayList<>();
        if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().startsWith("sim")) {
                    out.add(at + "." + e.getKey());
                }
                out.addAll(simFields(e.getValue(), at + "." + e.getKey()));
            }
        } else if (n.isArray()) {
            n.forEach(c -> out.addAll(simFields(c, at + "[]")));
        }
        return out;
    }

    @Test
    void thePythonSdksSubjectBodyWithEveryUnsetFieldNullIsAccepted() throws Exception {
        // What novitalabs/python-sdk sends when only the required settings are given.
        ObjectNode body = subject();
        ObjectNode expert = (ObjectNode) body.get("expert_setting");
        for (String f : new String[] {
            "learning_rate",
            "max_train_steps",
            "lr_scheduler",
            "lr_warmup_steps",
            "seed",
            "train_batch_size",
            "with_prior_preservation",
            "prior_loss_weight",
            "train_text_encoder",
            "lora_r",
            "lora_alpha",
            "lora_text_encoder_r",
            "lora_text_encoder_alpha"
        }) {
            expert.putNull(f);
        }
        ((ObjectNode) body.get("image_dataset_items").get(0)).putNull("caption");

        HttpResponse<String> r = call("POST", "/v3/training/subject", body.toString());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("task_id").asText()).isNotBlank();
    }

    @Test
    void theJsSdksBareKeyWithoutBearerIsAccepted() throws Exception {
        NovitaSimulator sim = NovitaSimulator.create();
        sim.start();
        try {
            HttpResponse<String> bare = call(sim, "GET", "/v3/training?pagination.limit=1", null, sim.apiKey());
            HttpResponse<String> wrong = call(sim, "GET", "/v3/training?pagination.limit=1", null, "nope");

            assertThat(bare.statusCode()).as(bare.body()).isEqualTo(200);
            assertThat(wrong.statusCode()).isEqualTo(403);
            assertThat(upload(sim, sim.apiKey())).isNotBlank();
        } finally {
            sim.stop();
        }
    }

    @Test
    void uploadUrlsLiveTheirExpiryInRealSecondsOnASpedUpClock() throws Exception {
        NovitaSimulator sim = NovitaSimulator.create(VirtualClock.scaled(600));
        sim.start();
        try {
            JsonNode slot = JSON.readTree(call(
                            sim,
                            "POST",
                            "/v3/assets/training_dataset",
                            "{\"file_extension\":\"png\"}",
                            "Bearer " + sim.apiKey())
                    .body());
            // 0.5 real seconds are 300 virtual seconds here: past 120 on the virtual clock, not on S3's.
            Thread.sleep(500);
            HttpResponse<String> put = HTTP.send(
                    HttpRequest.newBuilder(URI.create(slot.get("upload_url").asText()))
                            .PUT(HttpRequest.BodyPublishers.ofByteArray(SampleImages.png(1)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        } finally {
            sim.stop();
        }
    }

    @Test
    void createdAtIsNeverInTheFutureOnASpedUpClock() throws Exception {
        NovitaSimulator sim = NovitaSimulator.create(VirtualClock.scaled(1_000_000));
        sim.start();
        try {
            Thread.sleep(300); // the virtual clock is now about 3.5 days ahead of the wall clock
            sim.seedTask("seeded", Duration.ZERO);
            JsonNode list =
                    JSON.readTree(call(sim, "GET", "/v3/training?pagination.limit=10", null, "Bearer " + sim.apiKey())
                            .body());

            long createdAt = list.at("/tasks/0/created_at").asLong();
            assertThat(createdAt).isPositive().isLessThanOrEqualTo(Instant.now().getEpochSecond() + 1);
        } finally {
            sim.stop();
        }
    }

    @Test
    void taskResultCarriesTheDocumentedFieldsAndTheAskedImageType() throws Exception {
        ObjectNode body = txt2img();
        ((ObjectNode) body.get("extra")).put("response_image_type", "jpeg").put("enable_nsfw_detection", true);
        String id = JSON.readTree(
                        call("POST", "/v3/async/txt2img", body.toString()).body())
                .get("task_id")
                .asText();
        SIM.clock().advance(Duration.ofSeconds(6));

        JsonNode result = JSON.readTree(
                call("GET", "/v3/async/task-result?task_id=" + id, null).body());

        assertThat(result.at("/task/status").asText()).isEqualTo("TASK_STATUS_SUCCEED");
        assertThat(result.at("/task/task_type").asText()).isEqualTo("TXT_TO_IMG");
        assertThat(result.at("/extra/enable_nsfw_detection").isBoolean()).isTrue();
        assertThat(result.at("/extra/enable_nsfw_detection").asBoolean()).isTrue();
        assertThat(result.at("/extra/seed").isTextual()).isTrue();
        for (String f : new String[] {"request_info", "submit_time_ms", "execute_time_ms", "complete_time_ms"}) {
            assertThat(result.at("/extra/debug_info/" + f).isTextual()).as(f).isTrue();
        }
        JsonNode image = result.at("/images/0");
        assertThat(image.get("image_type").asText()).isEqualTo("jpeg");
        assertThat(image.get("nsfw_detection_result").isObject()).isTrue();
        byte[] bytes = HTTP.send(
                        HttpRequest.newBuilder(URI.create(image.get("image_url").asText()))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray())
                .body();
        assertThat(LocalImages.sniff(bytes)).isEqualTo("jpeg");
        assertThat(simFields(result, "$")).isEmpty();
    }

    @Test
    void img2imgTasksReportImgToImgAndWebpIsWebp() throws Exception {
        ObjectNode body = img2img();
        ((ObjectNode) body.get("extra")).put("response_image_type", "webp");
        String id = JSON.readTree(
                        call("POST", "/v3/async/img2img", body.toString()).body())
                .get("task_id")
                .asText();
        SIM.clock().advance(Duration.ofSeconds(6));

        JsonNode result = JSON.readTree(
                call("GET", "/v3/async/task-result?task_id=" + id, null).body());

        assertThat(result.at("/task/task_type").asText()).isEqualTo("IMG_TO_IMG");
        assertThat(result.at("/images/0/image_type").asText()).isEqualTo("webp");
        byte[] bytes = HTTP.send(
                        HttpRequest.newBuilder(URI.create(
                                        result.at("/images/0/image_url").asText()))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray())
                .body();
        assertThat(LocalImages.sniff(bytes)).isEqualTo("webp");
    }

    @Test
    void theListHonoursItsTaskTypeFilter() throws Exception {
        NovitaSimulator sim = NovitaSimulator.create();
        sim.start();
        try {
            String auth = "Bearer " + sim.apiKey();
            String a = upload(sim, auth);
            String styleBody = style().toString().replace(asset, a);
            assertThat(call(sim, "POST", "/v3/training/style", styleBody, auth).statusCode())
                    .isEqualTo(200);
            sim.seedTask("a subject", Duration.ofMinutes(1));

            JsonNode styles =
                    JSON.readTree(call(sim, "GET", "/v3/training?pagination.limit=10&task_type=style", null, auth)
                            .body());
            JsonNode subjects =
                    JSON.readTree(call(sim, "GET", "/v3/training?pagination.limit=10&task_type=subject", null, auth)
                            .body());

            assertThat(styles.get("tasks").findValuesAsText("task_type")).containsExactly("style");
            assertThat(subjects.get("tasks").findValuesAsText("task_type")).containsExactly("subject");
        } finally {
            sim.stop();
        }
    }

    @Test
    void noAnswerCarriesSimulatorOnlyFields() throws Exception {
        JsonNode slot = JSON.readTree(call("POST", "/v3/assets/training_dataset", "{\"file_extension\":\"webp\"}")
                .body());
        JsonNode[] answers = createStatusAndList();
        JsonNode created = answers[0];
        JsonNode status = answers[1];
        JsonNode list = answers[2];

        assertThat(simFields(slot, "assets")).isEmpty();
        assertThat(simFields(created, "create")).isEmpty();
        assertThat(simFields(status, "status")).isEmpty();
        assertThat(simFields(list, "list")).isEmpty();
    }

    @Test
    void statusAndListingCarryExactlyTheirDocumentedFields() throws Exception {
        JsonNode[] answers = createStatusAndList();
        JsonNode status = answers[1];
        JsonNode list = answers[2];

        // providers.md A.5: the status answer has no name, type or date; A.6: the listing has them, and no extra.
        assertThat(fieldNames(status))
                .contains("task_id", "task_status", "models")
                .isSubsetOf("task_id", "task_status", "model_type", "models", "extra");
        assertThat(list.get("tasks")).isNotEmpty();
        for (JsonNode item : list.get("tasks")) {
            assertThat(fieldNames(item))
                    .containsExactlyInAnyOrder(
                            "task_name", "task_id", "task_type", "task_status", "created_at", "models");
        }
    }

    @Test
    void theEtaOnASpedUpClockIsTheRealSecondsLeftSoAClientFollowingItEndsInSeconds() throws Exception {
        NovitaSimulator sim = NovitaSimulator.create(VirtualClock.scaled(600));
        sim.durations(TaskDurations.of(Duration.ZERO, Duration.ofMinutes(10), Duration.ZERO));
        sim.start();
        try {
            String auth = "Bearer " + sim.apiKey();
            String id = sim.seedTask("eta", Duration.ZERO);
            // A client of another language following the documented hint: poll, sleep eta_relative, poll again.
            int polls = 0;
            String statusNow = "";
            while (polls < 20 && !statusNow.equals("SUCCESS")) {
                JsonNode status = JSON.readTree(call(sim, "GET", "/v3/training/subject?task_id=" + id, null, auth)
                        .body());
                polls++;
                statusNow = status.path("task_status").asText();
                if (statusNow.equals("TRAINING")) {
                    long eta = status.at("/extra/eta_relative").asLong();
                    // 10 virtual minutes at speed 600 are one real second, not 600.
                    assertThat(eta).as("eta_relative at poll %d", polls).isBetween(0L, 1L);
                    Thread.sleep(Math.max(200, eta * 1000));
                } else {
                    Thread.sleep(200);
                }
            }
            assertThat(statusNow).as("after %d polls", polls).isEqualTo("SUCCESS");
        } finally {
            sim.stop();
        }
    }

    /** A subject create's answer, then that job's status answer, then the listing. */
    private static JsonNode[] createStatusAndList() throws Exception {
        JsonNode created = JSON.readTree(
                call("POST", "/v3/training/subject", subject().toString()).body());
        JsonNode status = JSON.readTree(call(
                        "GET",
                        "/v3/training/subject?task_id=" + created.get("task_id").asText(),
                        null)
                .body());
        JsonNode list = JSON.readTree(
                call("GET", "/v3/training?pagination.limit=100", null).body());
        return new JsonNode[] {created, status, list};
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** A value that is valid for a documented optional field, per endpoint. */
    static Stream<Arguments> optionalFields() {
        return Stream.of(
                Arguments.of("subject", "/expert_setting/train_batch_size", "2"),
                Arguments.of("subject", "/expert_setting/learning_rate", "1e-4"),
                Arguments.of("subject", "/expert_setting/max_train_steps", "500"),
                Arguments.of("subject", "/expert_setting/seed", "42"),
                Arguments.of("subject", "/expert_setting/lr_scheduler", "\"cosine\""),
                Arguments.of("subject", "/expert_setting/lr_warmup_steps", "0"),
                Arguments.of("subject", "/expert_setting/with_prior_preservation", "true"),
                Arguments.of("subject", "/expert_setting/prior_loss_weight", "1.0"),
                Arguments.of("subject", "/expert_setting/train_text_encoder", "true"),
                Arguments.of("subject", "/expert_setting/lora_r", "8"),
                Arguments.of("subject", "/expert_setting/lora_alpha", "16"),
                Arguments.of("subject", "/expert_setting/lora_text_encoder_r", "8"),
                Arguments.of("subject", "/expert_setting/lora_text_encoder_alpha", "16"),
                Arguments.of("subject", "/image_dataset_items/0/caption", "\"a photo\""),
                Arguments.of("style", "/expert_setting", "{}"),
                Arguments.of("style", "/expert_setting/train_batch_size", "4"),
                Arguments.of("style", "/expert_setting/learning_rate", "5e-5"),
                Arguments.of("style", "/expert_setting/max_train_steps", "2000"),
                Arguments.of("style", "/expert_setting/seed", "1"),
                Arguments.of("style", "/expert_setting/lr_scheduler", "\"constant_with_warmup\""),
                Arguments.of("style", "/expert_setting/lr_warmup_steps", "10"),
                Arguments.of("txt2img", "/extra", "{}"),
                Arguments.of("txt2img", "/extra/response_image_type", "\"webp\""),
                Arguments.of("txt2img", "/extra/enable_nsfw_detection", "true"),
                Arguments.of("txt2img", "/extra/nsfw_detection_level", "2"),
                Arguments.of("txt2img", "/extra/webhook", "{\"url\":\"https://example.com/hook\"}"),
                Arguments.of("txt2img", "/request/negative_prompt", "\"blurry\""),
                Arguments.of("txt2img", "/request/sd_vae", "\"vae.pt\""),
                Arguments.of("txt2img", "/request/seed", "-1"),
                Arguments.of("txt2img", "/request/loras", "[]"),
                Arguments.of("txt2img", "/request/embeddings", "[]"),
                Arguments.of(
                        "txt2img",
                        "/request/hires_fix",
                        "{\"target_width\":1024,\"target_height\":1024,\"strength\":0.5,\"upscaler\":\"Latent\"}"),
                Arguments.of("txt2img", "/request/refiner", "{\"switch_at\":0.5}"),
                Arguments.of("txt2img", "/request/clip_skip", "2"),
                Arguments.of("txt2img", "/request/enable_transparent_background", "false"),
                Arguments.of("txt2img", "/request/restore_faces", "true"),
                Arguments.of("img2img", "/extra/response_image_type", "\"jpeg\""),
                Arguments.of("img2img", "/request/negative_prompt", "\"blurry\""),
                Arguments.of("img2img", "/request/seed", "7"),
                Arguments.of("img2img", "/request/strength", "0.5"),
                Arguments.of("img2img", "/request/clip_skip", "12"),
                Arguments.of("img2img", "/request/loras", "[]"),
                Arguments.of("img2img", "/request/controlnet", "{\"units\":[]}"),
                Arguments.of("img2img", "/request/ip_adapters", "[]"));
    }

    /** Documented required fields, per endpoint. */
    static Stream<Arguments> requiredFields() {
        return Stream.of(
                Arguments.of("assets", "/file_extension"),
                Arguments.of("subject", "/name"),
                Arguments.of("subject", "/base_model"),
                Arguments.of("subject", "/width"),
                Arguments.of("subject", "/height"),
                Arguments.of("subject", "/image_dataset_items"),
                Arguments.of("subject", "/image_dataset_items/0/assets_id"),
                Arguments.of("subject", "/expert_setting/instance_prompt"),
                Arguments.of("subject", "/expert_setting/class_prompt"),
                Arguments.of("subject", "/components"),
                Arguments.of("subject", "/components/0/name"),
                Arguments.of("subject", "/components/0/args"),
                Arguments.of("style", "/name"),
                Arguments.of("style", "/base_model"),
                Arguments.of("style", "/width"),
                Arguments.of("style", "/height"),
                Arguments.of("style", "/image_dataset_items"),
                Arguments.of("style", "/image_dataset_items/0/caption"),
                Arguments.of("style", "/components"),
                Arguments.of("txt2img", "/request"),
                Arguments.of("txt2img", "/request/model_name"),
                Arguments.of("txt2img", "/request/prompt"),
                Arguments.of("txt2img", "/request/width"),
                Arguments.of("txt2img", "/request/height"),
                Arguments.of("txt2img", "/request/image_num"),
                Arguments.of("txt2img", "/request/steps"),
                Arguments.of("txt2img", "/request/guidance_scale"),
                Arguments.of("txt2img", "/request/sampler_name"),
                Arguments.of("img2img", "/request/image_base64"),
                Arguments.of("img2img", "/request/steps"),
                Arguments.of("img2img", "/request/sampler_name"));
    }

    private static ObjectNode base(String endpoint) throws IOException {
        return switch (endpoint) {
            case "assets" -> (ObjectNode) JSON.readTree("{\"file_extension\":\"png\"}");
            case "subject" -> subject();
            case "style" -> style();
            case "txt2img" -> txt2img();
            case "img2img" -> img2img();
            default -> throw new IllegalArgumentException(endpoint);
        };
    }

    private static String path(String endpoint) {
        return switch (endpoint) {
            case "assets" -> "/v3/assets/training_dataset";
            case "subject" -> "/v3/training/subject";
            case "style" -> "/v3/training/style";
            default -> "/v3/async/" + endpoint;
        };
    }

    /** Sets (value != null), nulls ("null") or removes (value == null) the member at a JSON pointer. */
    private static ObjectNode with(ObjectNode body, String pointer, String value) throws IOException {
        int slash = pointer.lastIndexOf('/');
        String parentPath = pointer.substring(0, slash);
        String name = pointer.substring(slash + 1);
        JsonNode parent = parentPath.isEmpty() ? body : body.at(parentPath);
        if (parent.isMissingNode()) {
            // The optional field's parent (style's expert_setting) is absent in the minimal body: create it.
            with(body, parentPath, "{}");
            parent = body.at(parentPath);
        }
        ObjectNode p = (ObjectNode) parent;
        if (value == null) {
            p.remove(name);
        } else {
            p.set(name, JSON.readTree(value));
        }
        return body;
    }

    @ParameterizedTest(name = "{0} {1} = {2}")
    @MethodSource("optionalFields")
    void anOptionalFieldAbsentNullOrValidIsAccepted(String endpoint, String pointer, String valid) throws Exception {
        for (String value : new String[] {null, "null", valid}) {
            ObjectNode body = with(base(endpoint), pointer, value);

            HttpResponse<String> r = call("POST", path(endpoint), body.toString());

            assertThat(r.statusCode())
                    .as("%s with %s = %s: %s", endpoint, pointer, value, r.body())
                    .isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("requiredFields")
    void aRequiredFieldAbsentOrNullIsRefusedTheSameWay(String endpoint, String pointer) throws Exception {
        HttpResponse<String> absent =
                call("POST", path(endpoint), with(base(endpoint), pointer, null).toString());
        HttpResponse<String> nulled = call(
                "POST", path(endpoint), with(base(endpoint), pointer, "null").toString());

        assertThat(absent.statusCode()).as(absent.body()).isEqualTo(400);
        assertThat(JSON.readTree(absent.body()).get("reason").asText()).isEqualTo("INVALID_REQUEST_BODY");
        assertThat(nulled.statusCode()).as(nulled.body()).isEqualTo(400);
        assertThat(nulled.body()).isEqualTo(absent.body());
    }
}
