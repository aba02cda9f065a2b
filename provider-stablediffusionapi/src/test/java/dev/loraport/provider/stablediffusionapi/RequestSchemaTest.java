package dev.loraport.provider.stablediffusionapi;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.loraport.GenerationRequest;
import dev.loraport.PageRequest;
import dev.loraport.TaskId;
import dev.loraport.TrainingImage;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingRequest;
import dev.loraport.simulators.SampleImages;
import dev.loraport.simulators.internal.OpenApiSchemas;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every body the adapter sends validates against ModelsLab's published request schemas. */
class RequestSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OpenApiSchemas TRAIN = OpenApiSchemas.modelsLabTraining();
    private static final OpenApiSchemas COMMUNITY = OpenApiSchemas.modelsLabCommunityModels();
    // Quirk 4: the service's own examples send these as strings while its schema says integer.
    private static final Set<String> NUMBERS_AS_STRINGS =
            Set.of("width", "height", "samples", "num_inference_steps", "lora_strength");

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    @Test
    void everyRequestBodyMatchesThePublishedSchema() throws Exception {
        wm.stubFor(post("/api/v3/base64_crop")
                .willReturn(okJson("{\"status\":\"success\",\"link\":\"https://pub.example/a.png\"}")));
        wm.stubFor(post("/api/v3/lora_fine_tune")
                .willReturn(okJson("{\"status\":\"success\",\"messege\":\"deploying_gpu\",\"training_id\":\"T1\"}")));
        wm.stubFor(post(urlPathMatching("/api/v3/(fine_tune_status|cancle_training|finetune/delete)/T1"))
                .willReturn(okJson("{\"status\":\"success\",\"messege\":\"training_started\",\"data\":\"\"}")));
        wm.stubFor(post("/api/v3/finetune_list")
                .willReturn(okJson("{\"status\":\"success\",\"messege\":\"model list\",\"data\":[\"T1\"]}")));
        wm.stubFor(post("/api/v6/images/text2img")
                .willReturn(okJson("{\"status\":\"success\",\"id\":1,\"output\":[\"https://pub.example/o.png\"]}")));
        StableDiffusionApiTrainingProvider p = StableDiffusionApiTrainingProvider.builder()
                .apiKey("k")
                .baseUrl(URI.create(wm.baseUrl()))
                .generateTimeout(Duration.ofSeconds(5))
                .generatePollInterval(Duration.ofMillis(1))
                .build();

        p.create(TrainingRequest.builder()
                .name("n")
                .kind(TrainingKind.SUBJECT)
                .baseModel("sdxl")
                .images(SampleImages.pngs(1))
                .addImage(TrainingImage.ofUrl(URI.create("https://cdn.example/b.png")))
                .instancePrompt("photo of ambika0 man")
                .classPrompt("photo of a man")
                .steps(18)
                .seed(3L)
                .build());
        p.status(TaskId.of("T1"));
        p.list(PageRequest.first(10));
        p.cancel(TaskId.of("T1"));
        p.delete(TaskId.of("T1"));
        p.generate(GenerationRequest.builder()
                .prompt("a photo of ambika0 man")
                .addLora("T1", 0.7)
                .size(512, 768)
                .seed(9L)
                .build());

        List<String> problems = new ArrayList<>();
        List<ServeEvent> events = wm.getAllServeEvents();
        for (ServeEvent e : events) {
            String path = e.getRequest().getUrl();
            JsonNode body = JSON.readTree(e.getRequest().getBodyAsString());
            List<String> found;
            if (path.endsWith("/lora_fine_tune")) {
                found = TRAIN.validate(body, "LoraTrainingRequest");
            } else if (path.endsWith("/base64_crop")) {
                found = TRAIN.validate(body, "Base64CropRequest");
            } else if (path.endsWith("/text2img")) {
                ObjectNode copy = body.deepCopy();
                NUMBERS_AS_STRINGS.forEach(f -> {
                    if (copy.path(f).isTextual() && copy.get(f).asText().matches("[0-9.,]+")) {
                        copy.remove(f);
                    }
                });
                found = COMMUNITY.validate(copy, "TextToImageRequest");
            } else {
                found = TRAIN.validate(body, "ApiKeyRequest");
            }
            found.forEach(f -> problems.add(path + " " + f));
        }
        assertThat(events).hasSize(7);
        assertThat(problems).isEmpty();
    }
}
