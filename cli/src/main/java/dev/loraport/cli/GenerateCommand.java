package dev.loraport.cli;

import dev.loraport.GeneratedImage;
import dev.loraport.GenerationRequest;
import dev.loraport.GenerationResult;
import dev.loraport.TrainingProvider;
import dev.loraport.internal.LocalImages;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Generates images with a trained LoRA and saves them to a folder. */
@Command(name = "generate", description = "Generate images with a trained LoRA and save them.")
final class GenerateCommand implements Callable<Integer> {

    @ParentCommand
    LoraportCommand parent;

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Mixin
    ServiceOptions service = new ServiceOptions();

    @Option(
            names = "--prompt",
            required = true,
            paramLabel = "TEXT",
            description = "what to draw; include the LoRA's trigger word")
    String prompt;

    @Option(names = "--lora", required = true, paramLabel = "MODEL", description = "trained model name, repeatable")
    List<String> loras;

    @Option(names = "--strength", defaultValue = "0.7", description = "LoRA strength 0..1 (default ${DEFAULT-VALUE})")
    double strength;

    @Option(names = "--base-model", description = "checkpoint to generate with (default: the provider's)")
    @Nullable
    String baseModel;

    @Option(
            names = "--count",
            defaultValue = "1",
            paramLabel = "N",
            description = "images to generate (default ${DEFAULT-VALUE})")
    int count;

    @Option(
            names = "--out",
            defaultValue = "loraport-out",
            paramLabel = "DIR",
            description =
                    "where to save images; refuses to overwrite earlier ones unless --force (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--force", description = "overwrite images an earlier generate saved in --out")
    boolean force;

    @Override
    public Integer call() throws IOException, InterruptedException {
        CliContext ctx = global.apply(parent.ctx);
        service.apply(ctx);
        if (!(strength >= 0 && strength <= 1)) {
            throw new UsageException("--strength: " + strength + " is out of range; allowed 0..1");
        }
        GenerationRequest.Builder b =
                GenerationRequest.builder().prompt(prompt).baseModel(baseModel).imageCount(count);
        loras.forEach(l -> b.addLora(l, strength));
        if (count < 1) {
            throw new UsageException("--count: " + count + " is out of range; allowed 1 or more");
        }
        TrainingProvider provider = ctx.provider();
        String prefix = provider.info().id();
        if (!force) {
            // Before the paid call: the names this generate would write must all be free.
            List<Path> taken = taken(out, prefix, count);
            if (!taken.isEmpty()) {
                throw new UsageException(
                        "--out: " + out + " already holds " + taken.get(0).getFileName()
                                + (taken.size() > 1 ? " and " + (taken.size() - 1) + " more" : "")
                                + " from an earlier generate; choose another --out, or pass --force to overwrite");
            }
        }
        GenerationResult result = provider.generate(b.build());
        List<Path> saved = save(result, out, prefix, force);
        if (global.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("provider", provider.info().id());
            m.put("images", saved.stream().map(Path::toString).toList());
            ctx.out.println(Render.json(m));
        } else {
            saved.forEach(p -> ctx.out.println("saved " + p));
        }
        return ExitCode.OK.code();
    }

    /** The files among PREFIX-1 to PREFIX-COUNT (any image extension) that already exist in {@code dir}. */
    static List<Path> taken(Path dir, String prefix, int count) {
        List<Path> taken = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            for (String ext : EXTENSIONS) {
                Path p = dir.resolve(prefix + "-" + i + ext);
                if (Files.exists(p)) {
                    taken.add(p);
                }
            }
        }
        return taken;
    }

    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".webp");

    /**
     * Saves the images as PREFIX-1.png and so on; without {@code overwrite}, an existing file is an error rather
     * than replaced.
     */
    static List<Path> save(GenerationResult result, Path dir, String prefix, boolean overwrite)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        List<Path> saved = new ArrayList<>();
        int i = 0;
        for (GeneratedImage image : result.images()) {
            byte[] bytes = image.bytes().orElse(null);
            if (bytes == null) {
                HttpResponse<byte[]> r = http.send(
                        HttpRequest.newBuilder(image.url())
                                .timeout(Duration.ofSeconds(60))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() / 100 != 2) {
                    throw new IOException("image download failed: HTTP " + r.statusCode() + " from "
                            + image.url().getHost());
                }
                bytes = r.body();
            }
            Path file = dir.resolve(prefix + "-" + (++i) + extension(bytes));
            try {
                if (overwrite) {
                    Files.write(file, bytes);
                } else {
                    // CREATE_NEW: another process writing the same name meanwhile is refused, not overwritten.
                    Files.write(file, bytes, java.nio.file.StandardOpenOption.CREATE_NEW);
                }
            } catch (java.nio.file.FileAlreadyExistsException e) {
                throw new UsageException("--out: " + file + " already exists; pass --force to overwrite");
            }
            saved.add(file);
        }
        return saved;
    }

    private static String extension(byte[] b) {
        String format = LocalImages.sniff(b);
        return "png".equals(format) ? ".png" : "jpeg".equals(format) ? ".jpg" : ".webp";
    }
}
