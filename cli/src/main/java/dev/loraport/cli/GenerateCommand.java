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

    @Option(names = "--prompt", required = true)
    String prompt;

    @Option(names = "--lora", required = true, paramLabel = "MODEL", description = "trained model name, repeatable")
    List<String> loras;

    @Option(names = "--strength", defaultValue = "0.7", description = "LoRA strength 0..1 (default ${DEFAULT-VALUE})")
    double strength;

    @Option(names = "--base-model", description = "checkpoint to generate with (default: the provider's)")
    @Nullable
    String baseModel;

    @Option(names = "--count", defaultValue = "1")
    int count;

    @Option(names = "--out", defaultValue = "loraport-out", paramLabel = "DIR", description = "where to save images")
    Path out;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() throws IOException, InterruptedException {
        CliContext ctx = global.apply(parent.ctx);
        if (!(strength >= 0 && strength <= 1)) {
            throw new UsageException("--strength: " + strength + " is out of range; allowed 0..1");
        }
        GenerationRequest.Builder b =
                GenerationRequest.builder().prompt(prompt).baseModel(baseModel).imageCount(count);
        loras.forEach(l -> b.addLora(l, strength));
        TrainingProvider provider = ctx.provider();
        GenerationResult result = provider.generate(b.build());
        List<Path> saved = save(result, out, provider.info().id());
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("provider", provider.info().id());
            m.put("images", saved.stream().map(Path::toString).toList());
            ctx.out.println(Render.json(m));
        } else {
            saved.forEach(p -> ctx.out.println("saved " + p));
        }
        return ExitCodes.OK;
    }

    static List<Path> save(GenerationResult result, Path dir, String prefix) throws IOException, InterruptedException {
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
            Files.write(file, bytes);
            saved.add(file);
        }
        return saved;
    }

    private static String extension(byte[] b) {
        String format = LocalImages.sniff(b);
        return "png".equals(format) ? ".png" : "jpeg".equals(format) ? ".jpg" : ".webp";
    }
}
