package dev.loraport.store.postgres;

import dev.loraport.CreateOutcomeUnknownException;
import dev.loraport.ProviderConfig;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingProviderException;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingTask;
import dev.loraport.decorators.ProviderStack;
import dev.loraport.simulators.SampleImages;
import dev.loraport.watch.TaskStore;
import dev.loraport.watch.TaskWatcher;
import dev.loraport.watch.WatchOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One worker process of {@link CrashRecoveryTest}: a create-then-watch loop against a simulator in the test's JVM,
 * journaling in a file store, until the test kills it. It prints {@code READY} once its stack is built, waits for
 * a line on its input, then
 * {@code SEND <reference>} before each create and {@code GOT <reference> <task id>} (or {@code UNKNOWN} /
 * {@code REFUSED <reference>}) after it, and {@code DONE} when every create is made; then it keeps watching until
 * it is killed.
 */
public final class CrashWorkerMain {

    private CrashWorkerMain() {}

    /**
     * Runs the worker.
     *
     * @param args provider id, base URL, API key, store file, reference prefix, creates, base model
     */
    public static void main(String[] args) throws InterruptedException, IOException {
        String providerId = args[0];
        String baseUrl = args[1];
        String key = args[2];
        Path storeFile = Path.of(args[3]);
        String prefix = args[4];
        int creates = Integer.parseInt(args[5]);
        String baseModel = args[6];
        TaskStore store = TaskStore.file(storeFile);
        ProviderConfig cfg = ProviderConfig.builder()
                .providerId(providerId)
                .apiKey(key)
                .baseUrl(URI.create(baseUrl))
                .readTimeout(Duration.ofSeconds(5))
                .callTimeout(Duration.ofSeconds(10))
                .option("retry.initial-backoff", "1ms")
                .option("retry.max-backoff", "5ms")
                .option("reconcile.delay", "0s")
                .option("ratelimit.enabled", "false")
                .option("circuitbreaker.enabled", "false")
                .build();
        try (TrainingProvider p = ProviderStack.builder()
                        .config(cfg)
                        .meterRegistry(new SimpleMeterRegistry())
                        .store(store)
                        .build();
                TaskWatcher watcher = TaskWatcher.builder()
                        .store(store)
                        .minPollInterval(Duration.ofMillis(100))
                        .maxPollInterval(Duration.ofMillis(500))
                        .build()) {
            // Warms the HTTP client and JSON up (a listing makes nothing), so that the kill window is the loop's.
            p.list(dev.loraport.PageRequest.first(1));
            say("READY");
            if (creates == 0) {
                // A dry run, which the test makes once to dump a class-data archive that starts the workers faster.
                return;
            }
            // The test starts the next worker while it checks the last one: this one creates nothing before GO.
            if (new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine() == null) {
                // The test is gone.
                return;
            }
            for (int i = 0; i < creates; i++) {
                String reference = prefix + "-" + i;
                say("SEND " + reference);
                TrainingTask task;
                try {
                    task = p.create(request(reference, baseModel));
                } catch (CreateOutcomeUnknownException e) {
                    say("UNKNOWN " + reference);
                    continue;
                } catch (TrainingProviderException e) {
                    say("REFUSED " + reference);
                    continue;
                }
                say("GOT " + reference + " " + task.id().value());
                watcher.watch(
                        p,
                        task.id(),
                        WatchOptions.builder().clientReference(reference).build());
            }
            say("DONE");
            // Watches until killed: the test's kill may land here too.
            Thread.sleep(Duration.ofMinutes(2).toMillis());
        }
    }

    static TrainingRequest request(String reference, String baseModel) {
        return TrainingRequest.builder()
                .name("crash")
                .kind(TrainingKind.SUBJECT)
                .baseModel(baseModel)
                .images(SampleImages.pngs(2))
                .instancePrompt("a photo of ohwx person")
                .classPrompt("person")
                .clientReference(reference)
                .build();
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
