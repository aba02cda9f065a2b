package dev.loraport.cli;

import dev.loraport.TrainingImage;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import dev.loraport.watch.TaskRef;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Submits one training job from a folder of images, and optionally waits for it with a progress bar. */
@Command(
        name = "train",
        description = {
            "Train a LoRA from a folder of images.",
            "Prints 'submitted PROVIDER:ID' as soon as the service accepts the job (on stderr with --json). The job"
                    + " is journaled in the local store (--store) before it is sent, so a rerun with the same"
                    + " --client-reference finds it instead of training twice, and list --local, status and wait"
                    + " know it later."
        })
final class TrainCommand implements Callable<Integer> {

    @ParentCommand
    LoraportCommand parent;

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Mixin
    ServiceOptions service = new ServiceOptions();

    @Mixin
    PollOptions poll = new PollOptions();

    @Option(
            names = "--images",
            required = true,
            paramLabel = "DIR",
            description = "folder of png/jpeg/webp images; " + "a sibling NAME.txt file is that image's caption")
    Path images;

    @Option(
            names = "--kind",
            defaultValue = "SUBJECT",
            description = "${COMPLETION-CANDIDATES}, any case (default ${DEFAULT-VALUE})")
    TrainingKind kind;

    @Option(names = "--name", description = "job name (default: loraport-<folder>)")
    @Nullable
    String name;

    @Option(names = "--base-model", description = "base model id (default: the provider's first)")
    @Nullable
    String baseModel;

    @Option(
            names = "--instance-prompt",
            defaultValue = "a photo of ohwx person",
            description = "prompt with the trigger word that names the subject (default: ${DEFAULT-VALUE})")
    String instancePrompt;

    @Option(names = "--class-prompt", description = "default: person for SUBJECT")
    @Nullable
    String classPrompt;

    @Option(names = "--steps", paramLabel = "N", description = "training steps (default: the provider's)")
    @Nullable
    Integer steps;

    @Option(
            names = "--learning-rate",
            paramLabel = "RATE",
            description = "learning rate, such as 1e-4 (default: the provider's)")
    @Nullable
    Double learningRate;

    @Option(
            names = "--scheduler",
            paramLabel = "NAME",
            description = "learning-rate scheduler, such as constant or cosine (default: the provider's)")
    @Nullable
    String scheduler;

    @Option(
            names = "--lora-rank",
            paramLabel = "N",
            description = "LoRA rank (network dimension) (default: the provider's)")
    @Nullable
    Integer loraRank;

    @Option(names = "--lora-alpha", paramLabel = "N", description = "LoRA alpha (scaling) (default: the provider's)")
    @Nullable
    Integer loraAlpha;

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            description = "images per training step (default: the provider's)")
    @Nullable
    Integer batchSize;

    @Option(
            names = "--seed",
            paramLabel = "N",
            description = "random seed, for a repeatable training (default: random)")
    @Nullable
    Long seed;

    @Option(names = "--client-reference", description = "idempotency key: a rerun finds the earlier job")
    @Nullable
    String clientReference;

    @Option(names = "--option", paramLabel = "KEY=VALUE", description = "provider option, repeatable")
    Map<String, String> options = Map.of();

    @Option(names = "--wait", description = "wait for the job to end, with a progress bar")
    boolean await;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "PT2H",
            description = "how long --wait waits (default ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    public Integer call() throws InterruptedException {
        CliContext ctx = global.apply(parent.ctx);
        service.apply(ctx);
        poll.apply(ctx);
        List<TrainingImage> found = readImages(images);
        TrainingProvider provider = ctx.provider();
        String model = baseModel != null
                ? baseModel
                : provider.info().capabilities().baseModels().stream()
                        .findFirst()
                        .orElseThrow(() -> new UsageException("--base-model: required for provider "
                                + provider.info().id()));
        TrainingRequest.Builder b = TrainingRequest.builder()
                .name(
                        name != null
                                ? name
                                : "loraport-"
                                        + images.toAbsolutePath().normalize().getFileName())
                .kind(kind)
                .baseModel(model)
                .images(found)
                .instancePrompt(instancePrompt)
                .classPrompt(classPrompt != null ? classPrompt : kind == TrainingKind.SUBJECT ? "person" : null)
                .steps(steps)
                .learningRate(learningRate)
                .scheduler(scheduler)
                .loraRank(loraRank)
                .loraAlpha(loraAlpha)
                .batchSize(batchSize)
                .seed(seed)
                .clientReference(clientReference);
        options.forEach(b::providerOption);
        // The decorators journal the intent in the store before the create is sent, and mark it accepted after.
        TrainingTask task = provider.create(b.build());
        String ref = task.providerId() + ":" + task.id();
        // The job exists and bills from here on: say so before anything else can fail or be killed. Under --json on
        // stderr, so stdout stays one JSON document.
        PrintWriter submitted = global.json ? ctx.err : ctx.out;
        submitted.println("submitted " + ref + (global.json || await ? "" : "  " + task.status()));
        submitted.flush();
        if (!await) {
            remember(ctx, new TaskRef(task.providerId(), task.id(), clientReference, createdAt(task, Instant.now())));
            if (global.json) {
                ctx.out.println(Render.json(Render.task(task)));
            }
            return ExitCode.OK.code();
        }
        TaskFollower follower = ctx.follower();
        TaskRef watched = new TaskRef(task.providerId(), task.id(), clientReference, createdAt(task, follower.now()));
        AtomicReference<TrainingTask> last = new AtomicReference<>(task);
        Thread hook = new Thread(() -> {
            TrainingTask t = last.get();
            if (!t.status().isTerminal()) {
                ctx.err.println(System.lineSeparator()
                        + "loraport: stopped waiting; the job keeps running. Resume with: " + "loraport wait " + ref);
                ctx.err.flush();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            TrainingTask done;
            // Closed however the wait ends, so stderr is never left going through bars nobody draws any more.
            try (ProgressView view = ctx.progressView(ctx.out)) {
                // The watcher saves the ref in the store first, and removes it once the job ends.
                done = follower.await(provider, watched, task, timeout, t -> {
                    last.set(t);
                    if (!global.json) {
                        view.update(task.providerId(), t);
                    }
                });
            }
            ctx.out.println(global.json ? Render.json(Render.task(done)) : Render.taskLine(done));
            return done.status() == TrainingStatus.READY ? ExitCode.OK.code() : ExitCode.JOB_FAILED.code();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is already running: it prints the ref.
            }
        }
    }

    private static Instant createdAt(TrainingTask task, Instant fallback) {
        return task.createdAt().orElse(fallback);
    }

    /** Records a job submitted without --wait, so list --local, status and wait know it later. */
    private static void remember(CliContext ctx, TaskRef ref) {
        try {
            ctx.providerStore().save(ref);
        } catch (UncheckedIOException e) {
            // The job runs whatever the disk says; its id is printed, and the create journal may still hold it.
            ctx.err.println("loraport: the job runs, but it could not be recorded locally: " + e.getMessage());
            ctx.err.flush();
        }
    }

    static List<TrainingImage> readImages(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UsageException("--images: folder not found: " + dir);
        }
        List<TrainingImage> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.sorted().toList()) {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                if (Files.isRegularFile(p)
                        && (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".webp"))) {
                    TrainingImage image = TrainingImage.ofFile(p);
                    Path caption = p.resolveSibling(p.getFileName().toString().replaceFirst("\\.[^.]+$", "") + ".txt");
                    if (Files.isRegularFile(caption)) {
                        image = image.withCaption(Files.readString(caption).trim());
                    }
                    out.add(image);
                }
            }
        } catch (IOException e) {
            throw new UsageException("--images: cannot read " + dir + ": " + e.getMessage());
        }
        if (out.isEmpty()) {
            throw new UsageException("--images: no images (png, jpeg, webp) in " + dir);
        }
        return out;
    }
}
