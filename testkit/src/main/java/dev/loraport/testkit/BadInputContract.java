package dev.loraport.testkit;

import dev.loraport.GenerationRequest;
import dev.loraport.ProviderCapabilities;
import dev.loraport.ProviderConfig;
import dev.loraport.TrainingImage;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingRequest;
import dev.loraport.simulators.Endpoint;
import dev.loraport.simulators.ProviderSimulator;
import dev.loraport.simulators.SampleImages;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feeds an adapter, wrapped in the full provider stack, well over a hundred kinds of bad input and checks that
 * each is refused properly: (a) with the expected exception type ({@link dev.loraport.InvalidRequestException}
 * for requests, {@link IllegalArgumentException} for settings, {@link NullPointerException} only for nulls given
 * to builders), (b) with a message naming the field, or the full key {@code loraport.<id>.<key>}, (c) naming what
 * is allowed where a rule exists, and (d) before any request reached the simulator, on any endpoint. Each case is
 * a dynamic test named after what is wrong; the figures go to {@code target/bad-input-report.txt} (see {@link
 * #reportFile()}), even when cases fail, so the suite measures code that does not pass it yet.
 *
 * <pre>{@code
 * class NovitaBadInputTest extends BadInputContract {
 *   static final NovitaSimulator novita = NovitaSimulator.create();
 *   @RegisterExtension static final SimulatorExtension running = SimulatorExtension.of(novita);
 *   @Override protected ProviderSimulator simulator() { return novita; }
 *   @Override protected TrainingProvider stack(Map<String, String> settings) {
 *     return ProviderStack.fromConfig(settings);
 *   }
 *   @Override protected List<BadInputCase> providerCases(Fixture f) { return List.of(...); }
 * }
 * }</pre>
 *
 * <p>The shared cases come from {@link #commonCases(Fixture)}; an adapter adds its own options and settings in
 * {@link #providerCases(Fixture)}. Two control tests first check that the valid requests the cases start from do
 * reach the simulator, so a refusal is caused by the one bad value.
 *
 * @since 0.1
 */
public abstract class BadInputContract {

    private static final Map<String, List<BadInputReport.Outcome>> OUTCOMES = new ConcurrentHashMap<>();

    /** Creates the suite. */
    protected BadInputContract() {}

    /**
     * The simulator, registered by the subclass as a JUnit extension and running while the suite runs.
     *
     * @return the simulator
     */
    protected abstract ProviderSimulator simulator();

    /**
     * Builds the provider stack from settings, as an application would: usually {@code
     * ProviderStack.fromConfig(settings)} from {@code loraport-decorators}.
     *
     * @param settings {@code loraport.*} keys: the provider id, the simulator's URL and key, and the case's
     *     settings
     * @return the stack, which the suite closes
     */
    protected abstract TrainingProvider stack(Map<String, String> settings);

    /**
     * The adapter's own cases: its provider options, its settings, values only it refuses.
     *
     * @param fixture valid requests and files to start from
     * @return the cases, none unless overridden
     */
    protected List<BadInputCase> providerCases(Fixture fixture) {
        return List.of();
    }

    /**
     * The valid training request every training case changes one thing of. By default a SUBJECT job on the first
     * base model of the capabilities, three PNG files, instance prompt and class prompt {@code person}, 100 steps.
     *
     * @param fixture the fixture, for its capabilities and image files
     * @return the builder
     */
    protected TrainingRequest.Builder validTraining(Fixture fixture) {
        String baseModel =
                fixture.capabilities().baseModels().stream().findFirst().orElse("sd-1.5");
        return TrainingRequest.builder()
                .name("bad-input")
                .kind(TrainingKind.SUBJECT)
                .baseModel(baseModel)
                .images(List.of(fixture.image(1), fixture.image(2), fixture.image(3)))
                .instancePrompt("a photo of ohwx person")
                .classPrompt("person")
                .steps(100);
    }

    /**
     * The valid generation request every generation case changes one thing of: a prompt, one image.
     *
     * @param fixture the fixture
     * @return the builder
     */
    protected GenerationRequest.Builder validGeneration(Fixture fixture) {
        return GenerationRequest.builder().prompt("a photo of ohwx person").imageCount(1);
    }

    /**
     * The largest local image the adapter takes, for the too-large case.
     *
     * @param capabilities the adapter's capabilities
     * @return {@link ProviderCapabilities#maxImageBytes()}, or 64 MiB when that declares no limit
     */
    protected long imageByteLimit(ProviderCapabilities capabilities) {
        return capabilities.maxImageBytes() > 0 ? capabilities.maxImageBytes() : 64L << 20;
    }

    /**
     * The valid settings every case starts from: the simulator's configuration, the rate limiter out of the way.
     *
     * @return {@code loraport.*} keys
     */
    protected Map<String, String> baseSettings() {
        ProviderConfig c = simulator().config();
        String id = simulator().providerId();
        String prefix = "loraport." + id + ".";
        Map<String, String> m = new LinkedHashMap<>();
        m.put("loraport.provider", id);
        m.put(prefix + "api-key", simulator().apiKey());
        c.baseUrl().ifPresent(u -> m.put(prefix + "base-url", u.toString()));
        c.connectTimeout().ifPresent(d -> m.put(prefix + "connect-timeout", d.toMillis() + "ms"));
        c.readTimeout().ifPresent(d -> m.put(prefix + "read-timeout", d.toMillis() + "ms"));
        c.callTimeout().ifPresent(d -> m.put(prefix + "call-timeout", d.toMillis() + "ms"));
        c.options().forEach((k, v) -> m.put(prefix + k, v));
        m.put(prefix + "ratelimit.permits-per-second", "1000");
        m.put(prefix + "retry.initial-backoff", "1ms");
        return m;
    }

    /**
     * Where the summary goes: the system property {@code loraport.bad-input.report}, else {@code
     * target/bad-input-report.txt} under the working directory (the module, under Maven).
     *
     * @return the file
     */
    protected static Path reportFile() {
        return Paths.get(System.getProperty("loraport.bad-input.report", "target/bad-input-report.txt"));
    }

    /**
     * The cases, grouped, each a dynamic test; the two control tests come first.
     *
     * @param dir a temporary folder for image files
     * @return the groups
     */
    @TestFactory
    Stream<DynamicNode> badInput(@TempDir Path dir) {
        String id = simulator().providerId();
        ProviderCapabilities caps;
        try (TrainingProvider p = stack(baseSettings())) {
            caps = p.info().capabilities();
        }
        Fixture fixture = new Fixture(this, dir, caps, id);
        List<BadInputCase> cases = new ArrayList<>(commonCases(fixture));
        cases.addAll(providerCases(fixture));
        Map<String, List<DynamicNode>> groups = new LinkedHashMap<>();
        groups.put("control", new ArrayList<>());
        groups.get("control")
                .add(DynamicTest.dynamicTest(
                        "the valid training request reaches the simulator",
                        () -> control(fixture, p -> p.create(fixture.training().build()))));
        if (caps.supportsGenerate()) {
            groups.get("control")
                    .add(DynamicTest.dynamicTest(
                            "the valid generation request reaches the simulator",
                            () -> control(
                                    fixture,
                                    p -> p.generate(fixture.generation().build()))));
        }
        List<BadInputReport.Outcome> outcomes =
                OUTCOMES.computeIfAbsent(id, k -> Collections.synchronizedList(new ArrayList<>()));
        for (BadInputCase c : cases) {
            groups.computeIfAbsent(c.group(), g -> new ArrayList<>()).add(DynamicTest.dynamicTest(c.name(), () -> {
                BadInputReport.Outcome o = run(c, fixture);
                outcomes.add(o);
                if (!o.proper()) {
                    throw new AssertionError(o.explain());
                }
            }));
        }
        return groups.entrySet().stream()
                .map(e -> DynamicContainer.dynamicContainer(id + ": " + e.getKey(), e.getValue()));
    }

    /** Writes the summary of every provider run in this JVM, and of the sibling modules' last runs. */
    @AfterAll
    static void writeReport() throws IOException {
        BadInputReport.write(reportFile(), OUTCOMES);
    }

    private interface Call {
        void run(TrainingProvider p) throws Exception;
    }

    private void control(Fixture fixture, Call call) throws Exception {
        int before = simulator().requestCount(Endpoint.ANY);
        try (TrainingProvider p = stack(baseSettings())) {
            call.run(p);
        }
        if (simulator().requestCount(Endpoint.ANY) == before) {
            throw new AssertionError("the valid request sent nothing, so the cases prove nothing");
        }
    }

    private BadInputReport.Outcome run(BadInputCase c, Fixture fixture) {
        String id = simulator().providerId();
        Map<String, String> settings = baseSettings();
        c.settings().forEach((k, v) -> settings.put(fullKey(id, k), v));
        String field = c.kind() == BadInputCase.Kind.SETTING ? fullKey(id, c.field()) : c.field();
        int before = simulator().requestCount(Endpoint.ANY);
        Throwable thrown = null;
        TrainingProvider p = null;
        try {
            p = stack(settings);
            c.action().run(p, fixture);
        } catch (Throwable t) {
            thrown = t;
        } finally {
            if (p != null) {
                try {
                    p.close();
                } catch (RuntimeException e) {
                    // A close failure is not the case's subject.
                }
            }
        }
        int sent = simulator().requestCount(Endpoint.ANY) - before;
        return BadInputReport.Outcome.of(id, c, field, thrown, sent);
    }

    private static String fullKey(String id, String key) {
        return key.startsWith("loraport.") ? key : "loraport." + id + "." + key;
    }

    /**
     * The cases every adapter must pass: training request text, images, numbers and options; generation
     * requests; settings of the adapter and the decorators; nulls given to builders.
     *
     * @param f the fixture
     * @return the cases
     */
    protected List<BadInputCase> commonCases(Fixture f) {
        List<BadInputCase> out = new ArrayList<>();
        ProviderCapabilities caps = f.capabilities();
        String text = "training request: text";
        String longText = "x".repeat(1025);
        out.add(BadInputCase.training(
                text, "name blank", "name", x -> x.training().name("   ").build()));
        out.add(BadInputCase.training(
                text, "name empty", "name", x -> x.training().name("").build()));
        out.add(BadInputCase.training(
                        text,
                        "name 129 characters",
                        "name",
                        x -> x.training().name("n".repeat(129)).build())
                .allowing("1..128"));
        out.add(BadInputCase.training(
                text,
                "name with a BEL control character",
                "name",
                x -> x.training().name("a\u0007b").build()));
        out.add(BadInputCase.training(
                text,
                "name with a line break",
                "name",
                x -> x.training().name("a\nb").build()));
        out.add(BadInputCase.training(
                text,
                "name with NUL",
                "name",
                x -> x.training().name("a\u0000b").build()));
        out.add(BadInputCase.training(
                text,
                "instancePrompt blank",
                "instancePrompt",
                x -> x.training().instancePrompt("  ").build()));
        out.add(BadInputCase.training(
                text,
                "instancePrompt missing",
                "instancePrompt",
                x -> x.training().instancePrompt(null).build()));
        out.add(BadInputCase.training(
                        text,
                        "instancePrompt 1025 characters",
                        "instancePrompt",
                        x -> x.training().instancePrompt(longText).build())
                .allowing("0..1024", "1..1024"));
        out.add(BadInputCase.training(
                text,
                "instancePrompt with NUL",
                "instancePrompt",
                x -> x.training().instancePrompt("a photo of\u0000 ohwx").build()));
        out.add(BadInputCase.training(
                text,
                "classPrompt blank",
                "classPrompt",
                x -> x.training().classPrompt(" ").build()));
        out.add(BadInputCase.training(
                text,
                "classPrompt 1025 characters",
                "classPrompt",
                x -> x.training().classPrompt(longText).build()));
        out.add(BadInputCase.training(
                text,
                "classPrompt with ESC",
                "classPrompt",
                x -> x.training().classPrompt("per\u001bson").build()));
        out.add(BadInputCase.training(
                        text,
                        "clientReference with spaces and '!'",
                        "clientReference",
                        x -> x.training().clientReference("bad ref!").build())
                .allowing("a-z"));
        out.add(BadInputCase.training(
                        text,
                        "clientReference 41 characters",
                        "clientReference",
                        x -> x.training().clientReference("r".repeat(41)).build())
                .allowing("4 to 40"));
        out.add(BadInputCase.training(
                        text,
                        "clientReference 3 characters",
                        "clientReference",
                        x -> x.training().clientReference("abc").build())
                .allowing("4 to 40"));
        out.add(BadInputCase.training(
                        text,
                        "clientReference upper case",
                        "clientReference",
                        x -> x.training().clientReference("ABCDEF").build())
                .allowing("a-z"));

        String images = "training request: images";
        String count = Long.toString((long) caps.imageCount().min()) + ".."
                + (long) caps.imageCount().max();
        out.add(BadInputCase.training(
                        images,
                        "no image",
                        "images",
                        x -> x.training().images(List.of()).build())
                .allowing(count));
        out.add(BadInputCase.training(images, (caps.maxImages() + 1) + " images", "images", x -> {
                    List<TrainingImage> many = new ArrayList<>();
                    for (int i = 0; i <= caps.maxImages(); i++) {
                        many.add(x.image(1 + i % 3));
                    }
                    return x.training().images(many).build();
                })
                .allowing(count));
        for (String url : List.of(
                "ftp://example.com/face.png",
                "file:///etc/passwd",
                "data:image/png;base64,iVBORw0KGgo=",
                "faces/face.png",
                "http:///face.png",
                "javascript:alert(1)")) {
            out.add(BadInputCase.training(
                            images,
                            "image URL " + url,
                            "images[0]",
                            x -> x.training()
                                    .images(List.of(TrainingImage.ofUrl(URI.create(url))))
                                    .build())
                    .allowing("allowed"));
        }
        out.add(BadInputCase.training(
                        images,
                        "local image missing",
                        "images[0]",
                        x -> x.training()
                                .images(List.of(TrainingImage.ofFile(x.dir().resolve("missing.png"))))
                                .build())
                .allowing("allowed"));
        out.add(BadInputCase.training(
                        images,
                        "local image is a directory",
                        "images[0]",
                        x -> x.training()
                                .images(List.of(TrainingImage.ofFile(x.directory("folder.png"))))
                                .build())
                .allowing("allowed"));
        out.add(BadInputCase.training(
                        images,
                        "local image of 0 bytes",
                        "images[0]",
                        x -> x.training()
                                .images(List.of(TrainingImage.ofFile(x.file("empty.png", new byte[0]))))
                                .build())
                .allowing("allowed"));
        out.add(BadInputCase.training(
                        images,
                        "local image is text",
                        "images[0]",
                        x -> x.training()
                                .images(List.of(TrainingImage.ofFile(
                                        x.file("notes.png", "not an image".getBytes(StandardCharsets.UTF_8)))))
                                .build())
                .allowing("allowed"));
        out.add(BadInputCase.training(
                        images,
                        "local image is a GIF",
                        "images[0]",
                        x -> x.training()
                                .images(List.of(TrainingImage.ofFile(x.file(
                                        "anim.gif",
                                        "GIF89a\u0001\u0000\u0001\u0000".getBytes(StandardCharsets.ISO_8859_1)))))
                                .build())
                .allowing("allowed"));
        out.add(BadInputCase.training(
                        images,
                        "PNG bytes named .jpg",
                        "images[0]",
                        x -> x.training()
                                .images(List.of(TrainingImage.ofFile(x.file("face.jpg", SampleImages.png(7)))))
                                .build())
                .allowing("allowed"));
        long limit = imageByteLimit(caps);
        out.add(BadInputCase.training(
                        images,
                        "local image one byte over " + limit,
                        "images[0]",
                        x -> x.training()
                                .images(List.of(TrainingImage.ofFile(x.sparse("huge.png", limit + 1))))
                                .build())
                .allowing(Long.toString(limit), "allowed"));
        out.add(BadInputCase.training(
                        images,
                        "image bytes empty",
                        "images[0]",
                        x -> x.training()
                                .images(List.of(TrainingImage.ofBytes("empty.png", new byte[0])))
                                .build())
                .allowing("allowed"));
        out.add(BadInputCase.training(
                        images,
                        "image bytes not an image",
                        "images[0]",
                        x -> x.training()
                                .images(List.of(TrainingImage.ofBytes("x.png", new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9})))
                                .build())
                .allowing("allowed"));
        out.add(BadInputCase.training(
                        images,
                        "second of three images missing",
                        "images[1]",
                        x -> x.training()
                                .images(List.of(
                                        x.image(1), TrainingImage.ofFile(x.dir().resolve("gone.png")), x.image(3)))
                                .build())
                .allowing("allowed"));
        out.add(BadInputCase.training(
                images,
                "caption with NUL",
                "images[0].caption",
                x -> x.training()
                        .images(List.of(x.image(1).withCaption("a\u0000b"), x.image(2), x.image(3)))
                        .build()));
        out.add(BadInputCase.training(
                images,
                "caption 1025 characters",
                "images[0].caption",
                x -> x.training()
                        .images(List.of(x.image(1).withCaption(longText), x.image(2), x.image(3)))
                        .build()));

        String numbers = "training request: numbers";
        intCase(out, numbers, "steps", -1, (b, v) -> b.steps(v));
        intCase(out, numbers, "steps", 0, (b, v) -> b.steps(v));
        intCase(out, numbers, "steps", Integer.MAX_VALUE, (b, v) -> b.steps(v));
        for (double v : new double[] {Double.NaN, -1e-4, 0, 1e9, Double.POSITIVE_INFINITY}) {
            out.add(BadInputCase.training(
                    numbers,
                    "learningRate = " + v,
                    "learningRate",
                    x -> x.training().learningRate(v).build()));
        }
        intCase(out, numbers, "loraRank", -1, (b, v) -> b.loraRank(v));
        intCase(out, numbers, "loraRank", 0, (b, v) -> b.loraRank(v));
        intCase(out, numbers, "loraRank", 100_000, (b, v) -> b.loraRank(v));
        intCase(out, numbers, "loraAlpha", -1, (b, v) -> b.loraAlpha(v));
        intCase(out, numbers, "loraAlpha", 0, (b, v) -> b.loraAlpha(v));
        intCase(out, numbers, "loraAlpha", 100_000, (b, v) -> b.loraAlpha(v));
        intCase(out, numbers, "textEncoderRank", 0, (b, v) -> b.textEncoderRank(v));
        intCase(out, numbers, "textEncoderAlpha", -3, (b, v) -> b.textEncoderAlpha(v));
        intCase(out, numbers, "batchSize", -1, (b, v) -> b.batchSize(v));
        intCase(out, numbers, "batchSize", 0, (b, v) -> b.batchSize(v));
        intCase(out, numbers, "batchSize", 10_000, (b, v) -> b.batchSize(v));
        intCase(out, numbers, "width", 0, (b, v) -> b.resolution(v, 512));
        intCase(out, numbers, "width", 100_000, (b, v) -> b.resolution(v, 512));
        intCase(out, numbers, "height", -512, (b, v) -> b.resolution(512, v));
        intCase(out, numbers, "warmupSteps", -1, (b, v) -> b.warmupSteps(v));
        intCase(out, numbers, "warmupSteps", Integer.MAX_VALUE, (b, v) -> b.warmupSteps(v));
        for (double v : new double[] {Double.NaN, -1, 0, Double.POSITIVE_INFINITY}) {
            out.add(BadInputCase.training(
                    numbers,
                    "priorLossWeight = " + v,
                    "priorLossWeight",
                    x -> x.training().priorLossWeight(v).build()));
        }
        out.add(BadInputCase.training(
                numbers, "seed = -2", "seed", x -> x.training().seed(-2L).build()));
        out.add(BadInputCase.training(
                numbers,
                "scheduler 'bogus'",
                "scheduler",
                x -> x.training().scheduler("bogus").build()));
        out.add(BadInputCase.training(
                        numbers,
                        "baseModel unknown",
                        "baseModel",
                        x -> x.training().baseModel("no-such-base-model").build())
                .allowing("allowed"));
        out.add(BadInputCase.training(
                numbers,
                "baseModel blank",
                "baseModel",
                x -> x.training().baseModel(" ").build()));
        for (TrainingKind kind : TrainingKind.values()) {
            if (!caps.trainingKinds().contains(kind)) {
                out.add(BadInputCase.training(
                        numbers,
                        "kind " + kind + " unsupported",
                        "kind",
                        x -> x.training().kind(kind).build()));
            }
        }

        String options = "training request: options";
        out.add(BadInputCase.training(
                        options,
                        "unknown provider option",
                        "providerOptions.no_such_option",
                        x -> x.training().providerOption("no_such_option", "1").build())
                .allowing("options:"));

        String gen = "generation request";
        if (caps.supportsGenerate()) {
            out.add(BadInputCase.generation(
                    gen,
                    "prompt blank",
                    "prompt",
                    x -> GenerationRequest.builder().prompt("   ").build()));
            out.add(BadInputCase.generation(
                    gen,
                    "prompt empty",
                    "prompt",
                    x -> GenerationRequest.builder().prompt("").build()));
            out.add(BadInputCase.generation(
                    gen,
                    "prompt 1025 characters",
                    "prompt",
                    x -> x.generation().prompt(longText).build()));
            out.add(BadInputCase.generation(
                    gen,
                    "prompt with NUL",
                    "prompt",
                    x -> x.generation().prompt("a\u0000b").build()));
            out.add(BadInputCase.generation(
                    gen,
                    "negativePrompt with ESC",
                    "negativePrompt",
                    x -> x.generation().negativePrompt("blur\u001b").build()));
            out.add(BadInputCase.generation(
                    gen, "width 0", "width", x -> x.generation().size(0, 512).build()));
            out.add(BadInputCase.generation(
                    gen,
                    "width 100000",
                    "width",
                    x -> x.generation().size(100_000, 512).build()));
            out.add(BadInputCase.generation(
                    gen,
                    "height -1",
                    "height",
                    x -> x.generation().size(512, -1).build()));
            out.add(BadInputCase.generation(
                    gen,
                    "height 100000",
                    "height",
                    x -> x.generation().size(512, 100_000).build()));
            out.add(BadInputCase.generation(
                    gen, "steps 0", "steps", x -> x.generation().steps(0).build()));
            out.add(BadInputCase.generation(
                    gen,
                    "steps 10000",
                    "steps",
                    x -> x.generation().steps(10_000).build()));
            out.add(BadInputCase.generation(
                    gen,
                    "guidanceScale NaN",
                    "guidanceScale",
                    x -> x.generation().guidanceScale(Double.NaN).build()));
            out.add(BadInputCase.generation(
                    gen,
                    "guidanceScale -1",
                    "guidanceScale",
                    x -> x.generation().guidanceScale(-1.0).build()));
            out.add(BadInputCase.generation(
                    gen,
                    "guidanceScale 1000",
                    "guidanceScale",
                    x -> x.generation().guidanceScale(1000.0).build()));
            out.add(BadInputCase.generation(
                    gen,
                    "imageCount 0",
                    "imageCount",
                    x -> x.generation().imageCount(0).build()));
            out.add(BadInputCase.generation(
                    gen,
                    "imageCount 99",
                    "imageCount",
                    x -> x.generation().imageCount(99).build()));
            out.add(BadInputCase.generation(
                    gen,
                    "imageCount -1",
                    "imageCount",
                    x -> x.generation().imageCount(-1).build()));
            out.add(BadInputCase.generation(
                    gen,
                    "sampler 'bogus'",
                    "sampler",
                    x -> x.generation().sampler("bogus").build()));
            out.add(BadInputCase.generation(
                    gen, "seed -2", "seed", x -> x.generation().seed(-2L).build()));
            out.add(BadInputCase.generation(
                    gen,
                    "baseModel blank",
                    "baseModel",
                    x -> x.generation().baseModel("  ").build()));
            int tooMany = Math.max(caps.maxLoras(), 0) + 1;
            out.add(BadInputCase.generation(gen, tooMany + " LoRAs", "loras", x -> {
                        GenerationRequest.Builder b = x.generation();
                        for (int i = 0; i < tooMany; i++) {
                            b.addLora("lora-" + i, 0.5);
                        }
                        return b.build();
                    })
                    .allowing("at most " + caps.maxLoras()));
            double top = caps.loraStrength().max();
            double bottom = caps.loraStrength().min();
            // A service that runs every generation on a LoRA has one in the valid request: the bad one comes after.
            String added = "loras[" + f.generation().build().loras().size() + "]";
            for (double s : new double[] {top + 0.5, bottom - 0.5, Double.NaN}) {
                out.add(BadInputCase.generation(
                                gen,
                                "LoRA strength " + s,
                                added + ".strength",
                                x -> x.generation().addLora("lora-1", s).build())
                        .allowing(caps.loraStrength().toString()));
            }
            out.add(BadInputCase.generation(
                    gen,
                    "LoRA model blank",
                    added + ".model",
                    x -> x.generation().addLora("  ", 0.5).build()));
            out.add(BadInputCase.generation(
                    gen,
                    "LoRA model empty",
                    added + ".model",
                    x -> x.generation().addLora("", 0.5).build()));
            out.add(BadInputCase.generation(
                            gen,
                            "unknown provider option",
                            "providerOptions.no_such_option",
                            x -> x.generation()
                                    .providerOption("no_such_option", "1")
                                    .build())
                    .allowing("options:"));
        }

        out.add(BadInputCase.setting("connect-timeout -5ms", "connect-timeout", "-5ms"));
        out.add(BadInputCase.setting("read-timeout PT-5S", "read-timeout", "PT-5S"));
        out.add(BadInputCase.setting("call-timeout 1e400s", "call-timeout", "1e400s"));
        out.add(BadInputCase.setting("read-timeout 0", "read-timeout", "0"));
        out.add(BadInputCase.setting("call-timeout 0s", "call-timeout", "0s"));
        out.add(BadInputCase.setting("connect-timeout 'soon'", "connect-timeout", "soon"));
        out.add(BadInputCase.setting("read-timeout 25h", "read-timeout", "25h"));
        out.add(BadInputCase.setting("generate.timeout -1s", "generate.timeout", "-1s"));
        out.add(BadInputCase.setting("generate.poll-interval 0ms", "generate.poll-interval", "0ms"));
        out.add(BadInputCase.setting("generate.model blank", "generate.model", "  "));
        out.add(BadInputCase.setting("upload.parallelism 0", "upload.parallelism", "0"));
        out.add(BadInputCase.setting("upload.max-attempts 1000", "upload.max-attempts", "1000"));
        out.add(BadInputCase.setting("max-response-size 1B", "max-response-size", "1B"));
        out.add(BadInputCase.setting("max-response-size 2GiB", "max-response-size", "2GiB"));
        out.add(BadInputCase.setting("max-response-size 'lots'", "max-response-size", "lots"));
        out.add(BadInputCase.setting("base-url ftp://", "base-url", "ftp://example.com/api"));
        out.add(BadInputCase.setting("base-url without scheme", "base-url", "example.com"));
        out.add(BadInputCase.setting("base-url with a space", "base-url", "http://exa mple.com"));
        out.add(BadInputCase.setting("retry.multiplier NaN", "retry.multiplier", "NaN"));
        out.add(BadInputCase.setting("retry.jitter 5", "retry.jitter", "5"));
        out.add(BadInputCase.setting("retry.max-attempts 0", "retry.max-attempts", "0"));
        out.add(BadInputCase.setting("retry.initial-backoff 0ms", "retry.initial-backoff", "0ms"));
        out.add(BadInputCase.setting("retry.enabled 'maybe'", "retry.enabled", "maybe"));
        out.add(BadInputCase.setting("reconcile.max-pages -1", "reconcile.max-pages", "-1"));
        out.add(BadInputCase.setting("reconcile.delay -2s", "reconcile.delay", "-2s"));
        out.add(BadInputCase.setting(
                "circuitbreaker.failure-rate-threshold 500", "circuitbreaker.failure-rate-threshold", "500"));
        out.add(BadInputCase.setting(
                "circuitbreaker.sliding-window-size 0", "circuitbreaker.sliding-window-size", "0"));
        out.add(BadInputCase.setting("circuitbreaker.enabled 'sometimes'", "circuitbreaker.enabled", "sometimes"));
        out.add(BadInputCase.setting("ratelimit.permits-per-second 0", "ratelimit.permits-per-second", "0"));
        out.add(BadInputCase.setting("ratelimit.max-wait -1s", "ratelimit.max-wait", "-1s"));
        out.add(BadInputCase.setting("metrics.enabled 'perhaps'", "loraport.metrics.enabled", "perhaps"));

        out.add(BadInputCase.builderNull(
                "TrainingRequest name(null)",
                "name",
                () -> TrainingRequest.builder().name(nothing())));
        out.add(BadInputCase.builderNull(
                "TrainingRequest without baseModel",
                "baseModel",
                () -> TrainingRequest.builder()
                        .name("n")
                        .kind(TrainingKind.SUBJECT)
                        .build()));
        out.add(BadInputCase.builderNull(
                "GenerationRequest prompt(null)",
                "prompt",
                () -> GenerationRequest.builder().prompt(nothing())));
        out.add(BadInputCase.builderNull("TrainingImage.ofFile(null)", "path", () -> TrainingImage.ofFile(nothing())));
        return out;
    }

    @SuppressWarnings("NullAway")
    private static <T> T nothing() {
        return null;
    }

    private interface IntSetter {
        TrainingRequest.Builder set(TrainingRequest.Builder b, int value);
    }

    private static void intCase(List<BadInputCase> out, String group, String field, int value, IntSetter set) {
        out.add(BadInputCase.training(
                group,
                field + " = " + value,
                field,
                x -> set.set(x.training(), value).build()));
    }

    /**
     * What the cases start from: the adapter's capabilities, valid requests, and image files in a temporary
     * folder. Not thread-safe; one per run.
     *
     * @since 0.1
     */
    public static final class Fixture {
        private final BadInputContract suite;
        private final Path dir;
        private final ProviderCapabilities capabilities;
        private final String providerId;
        private final Map<Integer, TrainingImage> images = new LinkedHashMap<>();

        Fixture(BadInputContract suite, Path dir, ProviderCapabilities capabilities, String providerId) {
            this.suite = suite;
            this.dir = dir;
            this.capabilities = capabilities;
            this.providerId = providerId;
        }

        /**
         * The temporary folder.
         *
         * @return the folder
         */
        public Path dir() {
            return dir;
        }

        /**
         * The adapter's capabilities, read from the stack.
         *
         * @return the capabilities
         */
        public ProviderCapabilities capabilities() {
            return capabilities;
        }

        /**
         * The provider id.
         *
         * @return the id
         */
        public String providerId() {
            return providerId;
        }

        /**
         * A builder holding the valid training request ({@link BadInputContract#validTraining(Fixture)}).
         *
         * @return a new builder
         */
        public TrainingRequest.Builder training() {
            return suite.validTraining(this);
        }

        /**
         * A builder holding the valid generation request.
         *
         * @return a new builder
         */
        public GenerationRequest.Builder generation() {
            return suite.validGeneration(this);
        }

        /**
         * A valid 64×64 PNG file with a caption, written once.
         *
         * @param variant which picture
         * @return the image
         */
        public TrainingImage image(int variant) {
            return images.computeIfAbsent(
                    variant,
                    v -> TrainingImage.ofFile(file("face-" + v + ".png", SampleImages.png(v)))
                            .withCaption("a photo of ohwx person, pose " + v));
        }

        /**
         * Writes a file in the temporary folder.
         *
         * @param name the file name
         * @param content the bytes
         * @return the path
         */
        public Path file(String name, byte[] content) {
            try {
                return Files.write(dir.resolve(name), content);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * Creates a folder in the temporary folder.
         *
         * @param name its name
         * @return the path
         */
        public Path directory(String name) {
            try {
                return Files.createDirectories(dir.resolve(name));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * A sparse file of this size starting with a PNG signature: large on paper, nothing on disk or heap.
         *
         * @param name the file name
         * @param size the length in bytes
         * @return the path
         */
        public Path sparse(String name, long size) {
            Path p = dir.resolve(name);
            try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
                f.write(SampleImages.png(1), 0, 16);
                f.setLength(size);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return p;
        }

        @Override
        public String toString() {
            return "Fixture{" + providerId.toLowerCase(Locale.ROOT) + ", " + dir + "}";
        }
    }
}
