package dev.loraport.provider.stablediffusionapi;

import dev.loraport.ProviderCapabilities;
import dev.loraport.TrainingProvider;
import dev.loraport.decorators.ProviderStack;
import dev.loraport.simulators.ProviderSimulator;
import dev.loraport.simulators.StableDiffusionApiSimulator;
import dev.loraport.testkit.BadInputCase;
import dev.loraport.testkit.BadInputContract;
import dev.loraport.testkit.SimulatorExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared bad-input cases and ModelsLab's own: endpoints, training types, DreamBooth options, the webhook. */
class StableDiffusionApiBadInputTest extends BadInputContract {

    static final StableDiffusionApiSimulator MODELSLAB = StableDiffusionApiSimulator.create();

    @RegisterExtension
    static final SimulatorExtension RUNNING = SimulatorExtension.of(MODELSLAB);

    @Override
    protected ProviderSimulator simulator() {
        return MODELSLAB;
    }

    @Override
    protected TrainingProvider stack(Map<String, String> settings) {
        return ProviderStack.fromConfig(settings);
    }

    @Override
    protected long imageByteLimit(ProviderCapabilities capabilities) {
        // base64_crop takes at most 5 MB (README).
        return capabilities.maxImageBytes() > 0 ? capabilities.maxImageBytes() : 5L << 20;
    }

    @Override
    protected List<BadInputCase> providerCases(Fixture f) {
        List<BadInputCase> out = new ArrayList<>();
        option(out, "endpoint", "bogus", "lora_fine_tune");
        option(out, "endpoint", " ", "lora_fine_tune");
        option(out, "training_type", "bogus", "women");
        option(out, "training_type", "MEN", "women");
        option(out, "lora_type", "huge", "lycoris");
        option(out, "learning_rate_unet", "NaN", "allowed");
        option(out, "steps_unet", "-1", "allowed");
        option(out, "steps_text_encoder", "many", "allowed");
        option(out, "negative_prompt", "blur\u0000", "allowed");
        out.add(BadInputCase.training(
                        "training request: options",
                        "DreamBooth endpoint fine_tune without base_model_id",
                        "providerOptions.base_model_id",
                        x -> x.training()
                                .providerOption("endpoint", "fine_tune")
                                .build())
                .allowing("required"));
        out.add(BadInputCase.training(
                        "training request: options",
                        "DreamBooth endpoint fine_tune_v2 with a blank base_model_id",
                        "providerOptions.base_model_id",
                        x -> x.training()
                                .providerOption("endpoint", "fine_tune_v2")
                                .providerOption("base_model_id", "  ")
                                .build())
                .allowing("required", "blank"));
        out.add(BadInputCase.training(
                        "training request: options",
                        "lora_type on the DreamBooth endpoint",
                        "providerOptions.lora_type",
                        x -> x.training()
                                .providerOption("endpoint", "fine_tune")
                                .providerOption("base_model_id", "midjourney")
                                .providerOption("lora_type", "lora")
                                .build())
                .allowing("lora_fine_tune"));

        out.add(BadInputCase.setting("webhook not a URL", "webhook", "call me maybe"));
        out.add(BadInputCase.setting("webhook ftp://", "webhook", "ftp://example.com/hook"));
        out.add(BadInputCase.setting("webhook relative", "webhook", "/hooks/training"));
        out.add(BadInputCase.setting("webhook blank", "webhook", " "));
        out.add(BadInputCase.setting("list.fetch-status 'maybe'", "list.fetch-status", "maybe"));
        out.add(BadInputCase.setting("generate.model-id blank", "generate.model-id", " "));
        out.add(BadInputCase.setting("validate-base-model (Novita only)", "validate-base-model", "false"));
        return out;
    }

    private static void option(List<BadInputCase> out, String key, String value, String allowed) {
        out.add(BadInputCase.training(
                        "training request: options",
                        key + " = '" + value + "'",
                        "providerOptions." + key,
                        x -> x.training().providerOption(key, value).build())
                .allowing(allowed));
    }
}
