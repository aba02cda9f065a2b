package dev.loraport.provider.replicate;

import dev.loraport.GenerationRequest;
import dev.loraport.TaskId;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingRequest;
import dev.loraport.decorators.ProviderStack;
import dev.loraport.simulators.ProviderSimulator;
import dev.loraport.simulators.ReplicateSimulator;
import dev.loraport.testkit.BadInputCase;
import dev.loraport.testkit.BadInputContract;
import dev.loraport.testkit.SimulatorExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared bad-input cases and Replicate's own: the trainer's inputs and ranges, fields the flux trainer does not
 * take, and settings (destination, webhook, sizes) refused before any call.
 */
class ReplicateBadInputTest extends BadInputContract {

    static final ReplicateSimulator REPLICATE = ReplicateSimulator.create();

    @RegisterExtension
    static final SimulatorExtension RUNNING = SimulatorExtension.of(REPLICATE);

    @Override
    protected ProviderSimulator simulator() {
        return REPLICATE;
    }

    @Override
    protected TrainingProvider stack(Map<String, String> settings) {
        return ProviderStack.fromConfig(settings);
    }

    @Override
    protected TrainingRequest.Builder validTraining(Fixture fixture) {
        // The flux trainer takes a trigger word and no class prompt.
        return super.validTraining(fixture).instancePrompt("TOK").classPrompt(null);
    }

    private static String lora;

    /** A generation runs on one trained version: a finished training of the simulator's account, read as a client. */
    @Override
    protected GenerationRequest.Builder validGeneration(Fixture fixture) {
        synchronized (ReplicateBadInputTest.class) {
            if (lora == null) {
                String id = REPLICATE.seedTask("bad-input-lora", Duration.ofDays(1));
                try (ReplicateTrainingProvider p = ReplicateTrainingProvider.from(REPLICATE.config())) {
                    lora = p.status(TaskId.of(id)).models().get(0).name();
                }
            }
        }
        return super.validGeneration(fixture).addLora(lora, 1.0);
    }

    @Override
    protected List<BadInputCase> providerCases(Fixture f) {
        List<BadInputCase> out = new ArrayList<>();
        out.add(BadInputCase.trainingOption("optimizer", "sgd", "adamw8bit"));
        out.add(BadInputCase.trainingOption("autocaption", "maybe", "true"));
        String numbers = "training request: numbers";
        out.add(BadInputCase.training(
                        numbers, "steps 2", "steps", x -> x.training().steps(2).build())
                .allowing("3"));
        out.add(BadInputCase.training(
                        numbers,
                        "steps 6001",
                        "steps",
                        x -> x.training().steps(6001).build())
                .allowing("6000"));
        out.add(BadInputCase.training(
                        numbers,
                        "loraRank 129",
                        "loraRank",
                        x -> x.training().loraRank(129).build())
                .allowing("128"));
        out.add(BadInputCase.training(
                        numbers,
                        "batchSize 9",
                        "batchSize",
                        x -> x.training().batchSize(9).build())
                .allowing("8"));
        out.add(BadInputCase.training(
                numbers,
                "learningRate 0.5",
                "learningRate",
                x -> x.training().learningRate(0.5).build()));
        out.add(BadInputCase.training(
                "training request: fields",
                "classPrompt (the flux trainer has none)",
                "classPrompt",
                x -> x.training().classPrompt("person").build()));

        out.add(BadInputCase.setting("destination.naming 'random'", "destination.naming", "random"));
        out.add(BadInputCase.setting("destination.visibility 'secret'", "destination.visibility", "secret"));
        out.add(BadInputCase.setting("webhook not a URL", "webhook", "not a url"));
        out.add(BadInputCase.setting("webhook.events 'finished'", "webhook.events", "finished"));
        out.add(BadInputCase.setting("upload.max-attempts 11", "upload.max-attempts", "11"));
        out.add(BadInputCase.setting("max-response-size 512", "max-response-size", "512"));
        out.add(BadInputCase.setting("upload.parallelism (one zip)", "upload.parallelism", "4"));
        out.add(BadInputCase.setting("list.fetch-status (ModelsLab only)", "list.fetch-status", "true"));
        out.add(BadInputCase.setting("generate.model (the LoRA's own version)", "generate.model", "sdxl"));
        return out;
    }
}
