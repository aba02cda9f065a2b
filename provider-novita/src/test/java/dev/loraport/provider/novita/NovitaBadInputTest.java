package dev.loraport.provider.novita;

import dev.loraport.TrainingImage;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingProvider;
import dev.loraport.decorators.ProviderStack;
import dev.loraport.simulators.NovitaSimulator;
import dev.loraport.simulators.ProviderSimulator;
import dev.loraport.simulators.SampleImages;
import dev.loraport.testkit.BadInputCase;
import dev.loraport.testkit.BadInputContract;
import dev.loraport.testkit.SimulatorExtension;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared bad-input cases and Novita's own: dataset options, the class prompt, learning rates, img2img. */
class NovitaBadInputTest extends BadInputContract {

    static final NovitaSimulator NOVITA = NovitaSimulator.create();

    @RegisterExtension
    static final SimulatorExtension RUNNING = SimulatorExtension.of(NOVITA);

    @Override
    protected ProviderSimulator simulator() {
        return NOVITA;
    }

    @Override
    protected TrainingProvider stack(Map<String, String> settings) {
        return ProviderStack.fromConfig(settings);
    }

    @Override
    protected List<BadInputCase> providerCases(Fixture f) {
        List<BadInputCase> out = new ArrayList<>();
        out.add(BadInputCase.trainingOption("face_crop_region.ratio", "0", "above 0 up to 10"));
        out.add(BadInputCase.trainingOption("face_crop_region.ratio", "-1", "above 0 up to 10"));
        out.add(BadInputCase.trainingOption("face_crop_region.ratio", "11", "above 0 up to 10"));
        out.add(BadInputCase.trainingOption("face_crop_region.ratio", "wide", "above 0 up to 10"));
        out.add(BadInputCase.trainingOption("resize.width", "0", "1..4096"));
        out.add(BadInputCase.trainingOption("resize.width", "5000", "1..4096"));
        out.add(BadInputCase.trainingOption("resize.width", "12.5", "1..4096"));
        out.add(BadInputCase.trainingOption("resize.height", "-8", "1..4096"));
        out.add(BadInputCase.trainingOption("face_restore.method", "codeformer", "gfpgan_1.4"));
        out.add(BadInputCase.trainingOption("face_restore.method", " ", "gfpgan_1.4"));
        out.add(BadInputCase.trainingOption("face_restore.upscale", "9", "1..4"));
        out.add(BadInputCase.trainingOption("face_restore.upscale", "NaN", "1..4"));

        String numbers = "training request: numbers";
        out.add(BadInputCase.training(
                        numbers,
                        "classPrompt 'dog' (Novita trains person only)",
                        "classPrompt",
                        x -> x.training().classPrompt("dog").build())
                .allowing("person"));
        out.add(BadInputCase.training(
                        numbers,
                        "learningRate 3e-4 (not one of Novita's five)",
                        "learningRate",
                        x -> x.training().learningRate(3e-4).build())
                .allowing("1.0E-4", "0.0001"));
        out.add(BadInputCase.training(
                numbers, "seed 0", "seed", x -> x.training().seed(0L).build()));
        out.add(BadInputCase.training(
                        numbers,
                        "textEncoderRank 129",
                        "textEncoderRank",
                        x -> x.training().textEncoderRank(129).build())
                .allowing("4..128"));

        String images = "training request: images";
        out.add(BadInputCase.training(
                        images,
                        "https image URL (Novita needs the bytes)",
                        "images[0]",
                        x -> x.training()
                                .images(List.of(TrainingImage.ofUrl(URI.create("https://example.com/face.png"))))
                                .build())
                .allowing("FILE"));
        out.add(BadInputCase.training(
                        images,
                        "STYLE image without a caption",
                        "images[1].caption",
                        x -> x.training()
                                .kind(TrainingKind.STYLE)
                                .images(List.of(x.image(1), x.image(2).withCaption(null)))
                                .build())
                .allowing("required"));
        out.add(BadInputCase.training(
                images,
                "STYLE caption blank",
                "images[0].caption",
                x -> x.training()
                        .kind(TrainingKind.STYLE)
                        .images(List.of(x.image(1).withCaption("  "), x.image(2)))
                        .build()));

        String gen = "generation request";
        out.add(BadInputCase.generation(
                        gen,
                        "init image missing",
                        "initImage",
                        x -> x.generation()
                                .initImage(TrainingImage.ofFile(x.dir().resolve("no-init.png")))
                                .build())
                .allowing("allowed"));
        out.add(BadInputCase.generation(
                        gen,
                        "init image not an image",
                        "initImage",
                        x -> x.generation()
                                .initImage(TrainingImage.ofBytes("init.png", new byte[] {9, 9, 9, 9}))
                                .build())
                .allowing("allowed"));
        out.add(BadInputCase.generation(
                        gen,
                        "initImageStrength 1.5",
                        "initImageStrength",
                        x -> x.generation()
                                .initImage(TrainingImage.ofBytes("init.png", SampleImages.png(2)))
                                .initImageStrength(1.5)
                                .build())
                .allowing("0..1"));
        out.add(BadInputCase.generation(
                gen,
                "initImageStrength without an init image",
                "initImageStrength",
                x -> x.generation().initImageStrength(0.5).build()));
        out.add(BadInputCase.generation(
                        gen,
                        "sampler 'euler a' (case matters)",
                        "sampler",
                        x -> x.generation().sampler("euler a").build())
                .allowing("Euler a"));

        out.add(BadInputCase.setting("webhook (Novita has none)", "webhook", "https://example.com/hook"));
        out.add(BadInputCase.setting("validate-base-model 'sometimes'", "validate-base-model", "sometimes"));
        out.add(BadInputCase.setting("generate.model-name blank", "generate.model-name", " "));
        out.add(BadInputCase.setting("upload.parallelism 65", "upload.parallelism", "65"));
        out.add(BadInputCase.setting("list.fetch-status (ModelsLab only)", "list.fetch-status", "true"));
        return out;
    }
}
