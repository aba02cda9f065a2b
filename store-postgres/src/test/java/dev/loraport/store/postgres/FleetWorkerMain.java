package dev.loraport.store.postgres;

import dev.loraport.CreateOutcomeUnknownException;
import dev.loraport.ProviderConfig;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingProviderException;
import dev.loraport.TrainingRequest;
import dev.loraport.decorators.ProviderStack;
import dev.loraport.simulators.SampleImages;
import dev.loraport.watch.TaskStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;

/**
 * One worker process of {@link FileStoreTwoProcessSoakTest}: creates against a simulator in another process,
 * journaling in a file store shared with other processes, and prints one line per create:
 * {@code <reference> <task id | UNKNOWN | REFUSED>}.
 */
public final class FleetWorkerMain {

    private FleetWorkerMain() {}

    /**
     * Runs the worker.
     *
     * @param args base URL, API key, store file, worker number, creates, base model
     */
    public static void main(String[] args) {
        String baseUrl = args[0];
        String key = args[1];
        Path storeFile = Path.of(args[2]);
        int worker = Integer.parseInt(args[3]);
        int creates = Integer.parseInt(args[4]);
        String baseModel = args[5];
        ProviderConfig cfg = ProviderConfig.builder()
                .providerId("stablediffusionapi")
                .apiKey(key)
                .baseUrl(java.net.URI.create(baseUrl))
                .option("retry.initial-backoff", "1ms")
                .option("retry.max-backoff", "5ms")
                .option("reconcile.delay", "0s")
                .option("ratelimit.enabled", "false")
                .option("circuitbreaker.enabled", "false")
                .build();
        try (TrainingProvider p = ProviderStack.builder()
                .config(cfg)
                .meterRegistry(new SimpleMeterRegistry())
                .store(TaskStore.file(storeFile))
                .build()) {
            for (int i = 0; i < creates; i++) {
                // Every other reference is sent by both processes at about the same time.
                String reference = i % 2 == 0 ? "p" + worker + "-" + i : "both-" + i;
                String outcome;
                try {
                    outcome = p.create(TrainingRequest.builder()
                                    .name("soak")
                                    .kind(TrainingKind.SUBJECT)
                                    .baseModel(baseModel)
                                    .images(SampleImages.pngs(2))
                                    .instancePrompt("a photo of ohwx person")
                                    .classPrompt("person")
                                    .clientReference(reference)
                                    .build())
                            .id()
                            .value();
                } catch (CreateOutcomeUnknownException e) {
                    outcome = "UNKNOWN";
                } catch (TrainingProviderException e) {
                    outcome = "REFUSED";
                }
                System.out.println(reference + " " + outcome);
            }
        }
        System.out.flush();
    }
}
