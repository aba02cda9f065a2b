package dev.loraport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loraport.InvalidRequestException.Violation;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProviderCapabilitiesTest {

    private static final ProviderCapabilities CAPS = ProviderCapabilities.builder()
            .trainingKinds(TrainingKind.SUBJECT, TrainingKind.STYLE)
            .baseModels(List.of("v1-5-pruned-emaonly", "sdxl"))
            .images(1, 3)
            .imageFormats("png", "jpeg", "webp")
            .imageSources(TrainingImage.Source.FILE, TrainingImage.Source.BYTES)
            .captionLength(1, 10)
            .require(TrainingKind.SUBJECT, "instancePrompt", "classPrompt")
            .require(TrainingKind.STYLE, ProviderCapabilities.CAPTION)
            .trainingValues("classPrompt", "person")
            .trainingValues("scheduler", "constant", "cosine")
            .trainingNumbers("learningRate", 1e-4, 1e-5)
            .trainingRange("steps", 1, 2000)
            .trainingRange("loraRank", 4, 128)
            .trainingRange("loraAlpha", 4, 128)
            .trainingRange("textEncoderRank", 4, 128)
            .trainingRange("textEncoderAlpha", 4, 128)
            .trainingRange("batchSize", 1, 4)
            .trainingRange("warmupSteps", 0, 10_000)
            .trainingRange("width", 256, 1024)
            .trainingRange("height", 256, 1024)
            .trainingRange("seed", 1, Integer.MAX_VALUE)
            .trainingRange("priorLossWeight", 0.01, 10)
            .supportsGenerate(true)
            .loras(2, 0, 1)
            .generationRange("steps", 1, 50)
            .generationRange("imageCount", 1, 4)
            .generationRange("guidanceScale", 1, 30)
            .generationValues("sampler", "Euler a", "DPM++ 2M Karras")
            .build();

    private static TrainingRequest.Builder subject() {
        return TrainingRequest.builder()
                .name("alice")
                .kind(TrainingKind.SUBJECT)
                .baseModel("sdxl")
                .addImage(TrainingImage.ofBytes("a.png", new byte[] {1}))
                .instancePrompt("ohwx woman")
                .classPrompt("person");
    }

    private static List<Violation> violations(TrainingRequest request) {
        try {
            CAPS.validate("test", request);
            return List.of();
        } catch (InvalidRequestException e) {
            assertThat(e.providerId()).isEqualTo("test");
            assertThat(e.operation()).isEqualTo("create");
            assertThat(e.isRetryable()).isFalse();
            return e.violations();
        }
    }

    @Test
    void aValidRequestPasses() {
        assertThatCode(() -> CAPS.validate(
                        "test", subject().steps(500).learningRate(1e-4).build()))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "steps            | 5000 is out of range; allowed 1..2000",
                "loraRank         | 2 is out of range; allowed 4..128",
                "loraAlpha        | 200 is out of range; allowed 4..128",
                "textEncoderRank  | 3 is out of range; allowed 4..128",
                "textEncoderAlpha | 129 is out of range; allowed 4..128",
                "batchSize        | 5 is out of range; allowed 1..4",
                "warmupSteps      | -1 is out of range; allowed 0..10000",
                "seed             | 0 is out of range; allowed 1..2147483647",
                "priorLossWeight  | 20 is out of range; allowed 0.01..10",
                "learningRate     | '0.5' is not allowed; allowed: [1.0E-4, 1.0E-5]",
                "scheduler        | 'linear' is not allowed; allowed: [constant, cosine]",
                "classPrompt      | 'dog' is not allowed; allowed: [person]",
                "width            | 100 is out of range; allowed 256..1024",
            })
    void eachParameterRuleNamesTheFieldTheValueAndWhatIsAllowed(String field, String problem) {
        UnaryOperator<TrainingRequest.Builder> breakIt = switch (field) {
            case "steps" -> b -> b.steps(5000);
            case "loraRank" -> b -> b.loraRank(2);
            case "loraAlpha" -> b -> b.loraAlpha(200);
            case "textEncoderRank" -> b -> b.textEncoderRank(3);
            case "textEncoderAlpha" -> b -> b.textEncoderAlpha(129);
            case "batchSize" -> b -> b.batchSize(5);
            case "warmupSteps" -> b -> b.warmupSteps(-1);
            case "seed" -> b -> b.seed(0L);
            case "priorLossWeight" -> b -> b.priorLossWeight(20.0);
            case "learningRate" -> b -> b.learningRate(0.5);
            case "scheduler" -> b -> b.scheduler("linear");
            case "classPrompt" -> b -> b.classPrompt("dog");
            case "width" -> b -> b.resolution(100, 512);
            default -> throw new IllegalArgumentException(field);
        };

        assertThat(violations(breakIt.apply(subject()).build())).containsExactly(new Violation(field, problem));
    }

    @Test
    void unsupportedKindAndBaseModelAreNamed() {
        ProviderCapabilities subjectOnly = ProviderCapabilities.builder()
                .trainingKinds(TrainingKind.SUBJECT)
                .baseModels(List.of("a"))
                .build();

        assertThatThrownBy(() -> subjectOnly.validate(
                        "p", subject().kind(TrainingKind.STYLE).baseModel("zzz").build()))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> assertThat(e.violations())
                                .extracting(Violation::field)
                                .containsExactly("kind", "baseModel"))
                .hasMessageContaining("kind: STYLE is not supported; allowed: [SUBJECT]")
                .hasMessageContaining("baseModel: 'zzz' is not supported; allowed: [a]");
    }

    @Test
    void tooManyImagesWrongFormatAndSourceAreEachNamed() {
        TrainingRequest r = subject()
                .images(List.of(
                        TrainingImage.ofBytes("a.gif", new byte[] {1}),
                        TrainingImage.ofUrl(URI.create("https://example.com/b.png")),
                        TrainingImage.ofFile(Path.of("c.jpg")),
                        TrainingImage.ofFile(Path.of("d.webp"))))
                .build();

        assertThat(violations(r))
                .containsExactly(
                        new Violation("images", "4 given; allowed 1..3 images"),
                        new Violation(
                                "images[0]", "format 'gif' of 'a.gif' is not supported; allowed: [jpeg, png, webp]"),
                        new Violation(
                                "images[1]", "URL image 'b.png' is not accepted; allowed sources: [FILE, BYTES]"));
    }

    @Test
    void styleNeedsACaptionOnEveryImageWithinTheLengthLimit() {
        TrainingRequest r = TrainingRequest.builder()
                .name("s")
                .kind(TrainingKind.STYLE)
                .baseModel("sdxl")
                .addImage(TrainingImage.ofBytes("a.png", new byte[] {1}).withCaption("ok"))
                .addImage(TrainingImage.ofBytes("b.png", new byte[] {1}))
                .addImage(TrainingImage.ofBytes("c.png", new byte[] {1}).withCaption("far too long caption"))
                .build();

        assertThat(violations(r))
                .containsExactly(
                        new Violation("images[1].caption", "required for STYLE training"),
                        new Violation("images[2].caption", "length 20 is out of range; allowed 1..10 characters"));
    }

    @Test
    void missingRequiredPromptsAreReportedTogether() {
        TrainingRequest r = subject().instancePrompt(null).classPrompt(" ").build();

        assertThat(violations(r))
                .extracting(Violation::field)
                .containsExactly("instancePrompt", "classPrompt", "classPrompt");
    }

    @Test
    void severalViolationsGoInOneMessage() {
        assertThatThrownBy(() ->
                        CAPS.validate("test", subject().steps(0).batchSize(9).build()))
                .hasMessage("test create: invalid request, 2 problems: steps: 0 is out of range; allowed 1..2000; "
                        + "batchSize: 9 is out of range; allowed 1..4");
    }

    @Test
    void generationRulesNameTheirFields() {
        GenerationRequest r = GenerationRequest.builder()
                .prompt("p")
                .addLora("a", 0.5)
                .addLora("b", 0.5)
                .addLora("c", 0.5)
                .steps(80)
                .imageCount(9)
                .sampler("bogus")
                .build();

        assertThatThrownBy(() -> CAPS.validate("test", r))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> assertThat(e.violations())
                                .extracting(Violation::field)
                                .containsExactly("loras", "steps", "sampler", "imageCount"));
    }

    @Test
    void generationAndImg2imgNeedTheirCapabilities() {
        GenerationRequest img2img = GenerationRequest.builder()
                .prompt("p")
                .initImage(TrainingImage.ofBytes("i.png", new byte[] {1}))
                .build();

        assertThatThrownBy(() -> ProviderCapabilities.builder().build().validate("x", img2img))
                .isInstanceOf(UnsupportedCapabilityException.class)
                .hasMessage("x generate: provider 'x' does not support 'generate'");
        assertThatThrownBy(() -> CAPS.validate("x", img2img))
                .isInstanceOf(UnsupportedCapabilityException.class)
                .hasMessageContaining("'img2img'");
    }

    @Test
    void loraStrengthOutsideZeroToOneIsRejectedByTheValueType() {
        assertThatThrownBy(() -> LoraWeight.of("a", 1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("strength: 1.5 is out of range; allowed 0..1");
    }
}
