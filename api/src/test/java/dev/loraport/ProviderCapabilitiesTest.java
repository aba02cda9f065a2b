package dev.loraport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loraport.InvalidRequestException.Violation;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProviderCapabilitiesTest {

    /** The first bytes of a PNG: enough for the local check of an image's format. */
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0};

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
                .addImage(TrainingImage.ofBytes("a.png", PNG))
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
                        TrainingImage.ofBytes("a.gif", PNG),
                        TrainingImage.ofUrl(URI.create("https://example.com/b.png")),
                        TrainingImage.ofFile(Path.of("c.jpg")),
                        TrainingImage.ofFile(Path.of("d.webp"))))
                .build();

        assertThat(violations(r))
                .containsExactly(
                        new Violation("images", "4 given; allowed 1..3 images"),
                        new Violation(
                                "images[0]", "format 'gif' of 'a.gif' is not supported; allowed: [jpeg, png, webp]"),
                        new Violation("images[1]", "URL image 'b.png' is not accepted; allowed sources: [FILE, BYTES]"),
                        new Violation(
                                "images[2]",
                                "'c.jpg' does not exist"
                                        + "; allowed: an existing, readable, non-empty image file in [jpeg, png, webp]"),
                        new Violation(
                                "images[3]",
                                "'d.webp' does not exist"
                                        + "; allowed: an existing, readable, non-empty image file in [jpeg, png, webp]"));
    }

    @Test
    void styleNeedsACaptionOnEveryImageWithinTheLengthLimit() {
        TrainingRequest r = TrainingRequest.builder()
                .name("s")
                .kind(TrainingKind.STYLE)
                .baseModel("sdxl")
                .addImage(TrainingImage.ofBytes("a.png", PNG).withCaption("ok"))
                .addImage(TrainingImage.ofBytes("b.png", PNG))
                .addImage(TrainingImage.ofBytes("c.png", PNG).withCaption("far too long caption"))
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
                .initImage(TrainingImage.ofBytes("i.png", PNG))
                .build();

        assertThatThrownBy(() -> ProviderCapabilities.builder().build().validate("x", img2img))
                .isInstanceOf(UnsupportedCapabilityException.class)
                .hasMessage("x generate: provider 'x' does not support 'generate'");
        assertThatThrownBy(() -> CAPS.validate("x", img2img))
                .isInstanceOf(UnsupportedCapabilityException.class)
                .hasMessageContaining("'img2img'");
    }

    @Test
    void aBlankGenerationModelAndAStrengthWithoutAnInitImageAreRefusedNotDropped() {
        GenerationRequest r = GenerationRequest.builder()
                .prompt("p")
                .baseModel("  ")
                .initImageStrength(0.5)
                .build();
        assertThatThrownBy(() -> CAPS.validate("test", r))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> assertThat(e.violations())
                                .extracting(Violation::field)
                                .containsExactly("baseModel", "initImageStrength"))
                .hasMessageContaining("baseModel: is blank; allowed: a model name")
                .hasMessageContaining("initImageStrength: is set without an initImage; allowed only together");
    }

    @Test
    void loraStrengthAndModelAreTheProvidersToReject() {
        GenerationRequest r = GenerationRequest.builder()
                .prompt("p")
                .addLora("a", 1.5)
                .addLora(" ", Double.NaN)
                .build();
        assertThatThrownBy(() -> CAPS.validate("test", r))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("loras[0].strength: 1.5 is out of range; allowed 0..1")
                .hasMessageContaining("loras[1].model: is blank")
                .hasMessageContaining("loras[1].strength: NaN is out of range");
    }

    private static final String ALLOWED_DECLARED =
            "; allowed: an existing, readable, non-empty image file in [jpeg, png, webp] of at most 1000 bytes";

    private static final ProviderCapabilities DECLARED = ProviderCapabilities.builder()
            .trainingKinds(TrainingKind.SUBJECT)
            .imageSources(TrainingImage.Source.FILE, TrainingImage.Source.BYTES, TrainingImage.Source.URL)
            .trainingRange("steps", 1, 2000)
            .trainingFields("instancePrompt", "classPrompt", "trainTextEncoder")
            .trainingOption("lora_type", "lora", "lycoris")
            .trainingOption("negative_prompt")
            .maxImageBytes(1000)
            .supportsGenerate(true)
            .generationRange("steps", 1, 50)
            .generationFields("negativePrompt")
            .noGenerationOptions()
            .build();

    private static List<Violation> declaredViolations(TrainingRequest request) {
        try {
            DECLARED.validate("test", request);
            return List.of();
        } catch (InvalidRequestException e) {
            return e.violations();
        }
    }

    @Test
    void aFieldTheProviderDoesNotTakeIsRejectedNotDropped() {
        TrainingRequest r = subject()
                .baseModel("any")
                .steps(10)
                .trainTextEncoder(true)
                .learningRate(1e-4)
                .scheduler("cosine")
                .priorPreservation(true)
                .build();

        assertThat(declaredViolations(r))
                .extracting(Violation::field)
                .containsExactly("learningRate", "scheduler", "priorPreservation");
        assertThat(declaredViolations(r).get(0).problem())
                .isEqualTo("is not supported by test; fields it takes: [classPrompt, instancePrompt, steps,"
                        + " trainTextEncoder]");
        assertThat(DECLARED.trainingFields())
                .contains(java.util.Set.of("classPrompt", "instancePrompt", "steps", "trainTextEncoder"));
        assertThat(CAPS.trainingFields())
                .as("undeclared: nothing refused as unsupported")
                .isEmpty();
    }

    @Test
    void providerOptionsAreCheckedByKeyAndValue() {
        TrainingRequest r = subject()
                .baseModel("any")
                .providerOption("lora_type", "huge")
                .providerOption("negative_prompt", "blurry")
                .providerOption("endpoint", "x")
                .providerOption("negative_prompt ", "typo")
                .build();

        assertThat(declaredViolations(r))
                .containsExactly(
                        new Violation("providerOptions.lora_type", "'huge' is not allowed; allowed: [lora, lycoris]"),
                        new Violation(
                                "providerOptions.endpoint",
                                "is not an option of test; options: [lora_type, negative_prompt]"),
                        new Violation(
                                "providerOptions.negative_prompt ",
                                "is not an option of test; options: [lora_type, negative_prompt]"));
        GenerationRequest g =
                GenerationRequest.builder().prompt("p").providerOption("x", "1").build();
        assertThatThrownBy(() -> DECLARED.validate("test", g))
                .hasMessageContaining("providerOptions.x: is not an option of test; options: none");
    }

    @Test
    void namesAndPromptsHaveLengthAndCharacterLimits() {
        String tenKb = "a".repeat(10_240);
        assertThat(violations(subject().name(tenKb).build()))
                .containsExactly(new Violation("name", "length 10240 is out of range; allowed 1..128 characters"));
        assertThat(violations(subject().name("a\u0000b").build()))
                .containsExactly(new Violation(
                        "name",
                        "control character U+0000 at index 1 is not allowed; allowed: printable text on one line"));
        assertThat(violations(subject().name("line\r\nbreak").build()))
                .extracting(Violation::field)
                .containsExactly("name");
        assertThat(violations(subject().instancePrompt("ohwx\u001b[31m").build()))
                .extracting(Violation::field)
                .containsExactly("instancePrompt");
        assertThat(violations(subject().instancePrompt("two\nlines\tand a tab").build()))
                .as("prompts may break lines")
                .isEmpty();
        assertThat(violations(subject().instancePrompt(tenKb).build()))
                .containsExactly(
                        new Violation("instancePrompt", "length 10240 is out of range; allowed 0..1024 characters"));
        assertThatThrownBy(() -> CAPS.validate(
                        "test",
                        GenerationRequest.builder().prompt("  ").imageCount(0).build()))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> assertThat(e.violations())
                                .extracting(Violation::field)
                                .containsExactly("prompt", "imageCount"));
    }

    @Test
    void imageUrlsMustBeAbsoluteHttp() {
        for (String url :
                List.of("ftp://example.com/a.png", "file:///etc/passwd", "data:image/png;base64,AA", "a.png")) {
            TrainingRequest r = subject()
                    .baseModel("any")
                    .images(List.of(TrainingImage.ofUrl(URI.create(url))))
                    .build();
            assertThat(declaredViolations(r)).as(url).hasSize(1).first().satisfies(v -> {
                assertThat(v.field()).isEqualTo("images[0]");
                assertThat(v.problem()).contains("allowed: an absolute URL with scheme [http, https]");
            });
        }
        TrainingRequest ok = subject()
                .baseModel("any")
                .images(List.of(TrainingImage.ofUrl(URI.create("HTTPS://example.com/a.png"))))
                .build();
        assertThat(declaredViolations(ok)).isEmpty();
    }

    @Test
    void localImagesAreCheckedWithoutReadingThemWhole(@TempDir Path dir) throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.png"));
        Path text = Files.writeString(dir.resolve("notes.png"), "not an image");
        Path huge = dir.resolve("huge.png");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.write(PNG);
            f.setLength(60L << 20); // sparse: 60 MB on paper, nothing on disk
        }
        Path folder = Files.createDirectory(dir.resolve("folder.png"));
        TrainingRequest r = subject()
                .baseModel("any")
                .images(List.of(
                        TrainingImage.ofFile(empty),
                        TrainingImage.ofFile(text),
                        TrainingImage.ofFile(huge),
                        TrainingImage.ofFile(folder),
                        TrainingImage.ofFile(dir.resolve("missing.png")),
                        TrainingImage.ofBytes("a.jpg", PNG)))
                .build();

        assertThat(declaredViolations(r))
                .containsExactly(
                        new Violation("images[0]", "'empty.png' is empty (0 bytes)" + ALLOWED_DECLARED),
                        new Violation(
                                "images[1]",
                                "'notes.png' is not a PNG, JPEG or WebP image (by its first bytes)" + ALLOWED_DECLARED),
                        new Violation("images[2]", "'huge.png' is 62914560 bytes; allowed at most 1000"),
                        new Violation("images[3]", "'folder.png' is a directory, not an image file" + ALLOWED_DECLARED),
                        new Violation("images[4]", "'missing.png' does not exist" + ALLOWED_DECLARED),
                        new Violation(
                                "images[5]",
                                "'a.jpg' is named .jpeg but its bytes are png; allowed: a file name whose extension"
                                        + " matches its content"));
    }

    @Test
    void aHugeRejectedValueIsClippedInTheMessage() {
        String long1 = "x".repeat(5000);
        assertThatThrownBy(
                        () -> CAPS.validate("test", subject().baseModel(long1).build()))
                .hasMessageContaining("...(5000 chars)")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400));
    }
}
