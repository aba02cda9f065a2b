package dev.loraport.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loraport.AuthenticationException;
import dev.loraport.GenerationRequest;
import dev.loraport.GenerationResult;
import dev.loraport.InvalidRequestException;
import dev.loraport.Page;
import dev.loraport.ProviderConfig;
import dev.loraport.TaskId;
import dev.loraport.TaskNotFoundException;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import dev.loraport.UnsupportedCapabilityException;
import dev.loraport.internal.LocalImages;
import dev.loraport.simulators.ProviderSimulator;
import dev.loraport.simulators.SampleImages;
import dev.loraport.simulators.TaskDurations;
import dev.loraport.spi.TrainingProviders;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The half of the contract any {@link TrainingProvider} can pass, whatever it talks to: discovery, the lifecycle,
 * failure, cancel, paging, a rejected key, an unknown id, local validation, generation and key hygiene. It asks of
 * the service only the five things in {@link Service}: a configuration, job durations, a way to let time pass, and
 * optionally a failing training; no fault injection, no request counts. An adapter whose service has a loraport
 * simulator extends {@link TrainingProviderContract}, which adds the wire-fault half; a third party whose service
 * has none (its own test double, a sandbox account on virtual time) extends this class:
 *
 * <pre>{@code
 * class AcmeBehaviourTest extends ProviderBehaviourContract {
 *   final AcmeFakeServer acme = AcmeFakeServer.start();
 *   @Override protected Service service() { return new Service() {
 *       public ProviderConfig config() { return acme.config(); }
 *       public void durations(TaskDurations d) { acme.durations(d); }
 *       public void advance(Duration by) { acme.advance(by); }
 *   }; }
 *   @Override protected TrainingProvider provider(ProviderConfig c) { return AcmeTrainingProvider.from(c); }
 *   @Override protected Class<? extends TrainingProvider> expectedProviderClass() { return AcmeTrainingProvider.class; }
 * }
 * }</pre>
 *
 * <p>Not thread-safe: JUnit runs one check at a time per instance.
 *
 * @since 0.1
 */
public abstract class ProviderBehaviourContract {

    /**
     * The service the provider under test talks to, as far as the behaviour half needs it. Implementations are
     * called from the test thread only.
     *
     * @since 0.1
     */
    public interface Service {

        /**
         * A configuration pointing an adapter at the service: provider id, key, base URL.
         *
         * @return the configuration
         */
        ProviderConfig config();

        /**
         * Makes jobs created from now on take these phases: queued, training, deploying.
         *
         * @param durations the profile
         */
        void durations(TaskDurations durations);

        /**
         * Lets time pass on the service, so jobs move on.
         *
         * @param by how long, positive
         */
        void advance(Duration by);

        /**
         * Makes the next created job fail when its training ends. A service that cannot be steered keeps this
         * default, and the check that needs it is skipped (reported as aborted, not as passed).
         *
         * @param reason the failure reason the service reports
         */
        default void failNextTraining(String reason) {
            Assumptions.abort("this service cannot be made to fail a training");
        }

        /**
         * The behaviour half's view of a loraport simulator.
         *
         * @param simulator the simulator, started
         * @return the service
         */
        static Service of(ProviderSimulator simulator) {
            return new Service() {
                @Override
                public ProviderConfig config() {
                    return simulator.config();
                }

                @Override
                public void durations(TaskDurations durations) {
                    simulator.durations(durations);
                }

                @Override
                public void advance(Duration by) {
                    simulator.clock().advance(by);
                }

                @Override
                public void failNextTraining(String reason) {
                    simulator.failNextTraining(reason);
                }
            };
        }
    }

    /** Fixed job durations so the lifecycle checks know where each phase ends. */
    protected static final TaskDurations DURATIONS =
            TaskDurations.of(Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofMinutes(5));

    /** A base URL where nothing listens: a provider that calls out for a bad request fails there, not locally. */
    private static final String NOWHERE = "http://127.0.0.1:9";

    private final List<String> messages = new ArrayList<>();
    private TrainingProvider provider;

    /** Creates the suite. */
    protected ProviderBehaviourContract() {}

    /**
     * The service, started by the subclass (for instance as a JUnit extension).
     *
     * @return the service
     */
    protected abstract Service service();

    /**
     * Builds the provider under test.
     *
     * @param config a configuration pointing at the service, possibly altered by a check (another key)
     * @return the provider
     */
    protected abstract TrainingProvider provider(ProviderConfig config);

    /**
     * The provider class {@code TrainingProviders.create(id, ...)} must yield.
     *
     * @return the class
     */
    protected abstract Class<? extends TrainingProvider> expectedProviderClass();

    /**
     * Whether a FAILED job carries the service's reason (Novita's status has no reason field).
     *
     * @return {@code true} unless overridden
     */
    protected boolean reportsFailureReason() {
        return true;
    }

    /**
     * Whether the service has a state between training and ready that maps to {@link TrainingStatus#DEPLOYING}.
     * Replicate, for one, keeps a job {@code processing} until its version is pushed; such a provider returns
     * false and the lifecycle test accepts TRAINING in that phase.
     *
     * @return true (the default) when the provider reports DEPLOYING
     */
    protected boolean reportsDeploying() {
        return true;
    }

    /**
     * A valid small training request for this provider.
     *
     * @param kind the kind
     * @return the request
     */
    protected TrainingRequest sampleRequest(TrainingKind kind) {
        String baseModel =
                provider.info().capabilities().baseModels().stream().findFirst().orElse("sd-1.5");
        return TrainingRequest.builder()
                .name("contract")
                .kind(kind)
                .baseModel(baseModel)
                .images(SampleImages.pngs(3))
                .instancePrompt("a photo of ohwx person")
                .classPrompt("person")
                .steps(100)
                .build();
    }

    /** Builds the provider against the service with fixed job durations. */
    @BeforeEach
    void openProvider() {
        service().durations(DURATIONS);
        provider = provider(service().config());
    }

    /** Closes the provider. */
    @AfterEach
    void closeProvider() {
        provider.close();
    }

    /**
     * The provider under test, for subclasses' own checks.
     *
     * @return the provider
     */
    protected TrainingProvider provider() {
        return provider;
    }

    /**
     * Runs a call that must fail with a type, and keeps its message for {@link #keyNeverLeaks()}.
     *
     * @param type the expected type
     * @param call the call
     * @param <T> the type
     * @return the exception
     */
    protected final <T extends Throwable> T caught(Class<T> type, Supplier<?> call) {
        try {
            call.get();
        } catch (Throwable t) {
            messages.add(String.valueOf(t));
            assertThat(t).isInstanceOf(type);
            return type.cast(t);
        }
        throw new AssertionError("expected " + type.getSimpleName() + " but the call succeeded");
    }

    /**
     * Keeps a text that must not show the API key, checked by {@link #keyNeverLeaks()}.
     *
     * @param text an exception message, a {@code toString()}
     */
    protected final void shown(String text) {
        messages.add(text);
    }

    private TrainingTask advanceAndRead(TaskId id, Duration by) {
        service().advance(by);
        return provider.status(id);
    }

    @Test
    @DisplayName("is found by ServiceLoader under its id")
    void discoveredByServiceLoader() throws Exception {
        String id = service().config().providerId().orElseThrow();
        assertThat(TrainingProviders.available()).contains(id);
        try (TrainingProvider p = TrainingProviders.create(id, service().config())) {
            assertThat(p).isInstanceOf(expectedProviderClass());
            assertThat(p.info().id()).isEqualTo(id);
        }
    }

    @Test
    @DisplayName("follows a job from QUEUED through TRAINING and DEPLOYING to READY")
    void happyLifecycle() {
        TrainingTask created = provider.create(sampleRequest(TrainingKind.SUBJECT));
        assertThat(created.status()).isEqualTo(TrainingStatus.QUEUED);

        TrainingTask queued = provider.status(created.id());
        assertThat(queued.status()).isEqualTo(TrainingStatus.QUEUED);
        assertThat(queued.rawStatus()).isPresent();

        TrainingTask training = advanceAndRead(created.id(), Duration.ofMinutes(4));
        assertThat(training.status()).isEqualTo(TrainingStatus.TRAINING);
        assertThat(training.eta()).isPresent();

        TrainingTask deploying = advanceAndRead(created.id(), Duration.ofMinutes(8));
        if (reportsDeploying()) {
            assertThat(deploying.status()).isEqualTo(TrainingStatus.DEPLOYING);
        } else {
            // A service without a deploy state still reports the job as running, never as done, in that phase.
            assertThat(deploying.status()).isIn(TrainingStatus.TRAINING, TrainingStatus.DEPLOYING);
        }

        TrainingTask ready = advanceAndRead(created.id(), Duration.ofMinutes(5));
        assertThat(ready.status()).isEqualTo(TrainingStatus.READY);
        assertThat(ready.status().isTerminal()).isTrue();
        assertThat(ready.models()).isNotEmpty();
        assertThat(ready.rawStatus()).isPresent();
    }

    @Test
    @DisplayName("reports a failed job as FAILED, not as an exception")
    void failedTask() {
        service().failNextTraining("CUDA out of memory");
        TaskId id = provider.create(sampleRequest(TrainingKind.SUBJECT)).id();

        TrainingTask failed = advanceAndRead(id, DURATIONS.total());

        assertThat(failed.status()).isEqualTo(TrainingStatus.FAILED);
        if (reportsFailureReason()) {
            assertThat(failed.failureReason())
                    .hasValueSatisfying(r -> assertThat(r).contains("CUDA out of memory"));
        }
    }

    @Test
    @DisplayName("cancels a running job, or says it cannot")
    void cancel() {
        TaskId id = provider.create(sampleRequest(TrainingKind.SUBJECT)).id();
        service().advance(Duration.ofMinutes(3));
        if (!provider.info().capabilities().supportsCancel()) {
            caught(UnsupportedCapabilityException.class, () -> {
                provider.cancel(id);
                return null;
            });
            return;
        }
        provider.cancel(id);
        assertThat(provider.status(id).status()).isEqualTo(TrainingStatus.CANCELED);
    }

    @Test
    @DisplayName("lists every job across pages")
    void listPaging() {
        if (!provider.info().capabilities().supportsList()) {
            caught(
                    UnsupportedCapabilityException.class,
                    () -> Page.streamAll(provider, 2).count());
            return;
        }
        Set<TaskId> ids = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            ids.add(provider.create(sampleRequest(TrainingKind.SUBJECT)).id());
        }

        List<TrainingTask> all = Page.streamAll(provider, 2).collect(Collectors.toList());

        assertThat(all).extracting(TrainingTask::id).containsAll(ids);
        assertThat(all).hasSize(5);
    }

    @Test
    @DisplayName("maps a rejected key to AuthenticationException")
    void invalidKey() {
        try (TrainingProvider wrong =
                provider(service().config().toBuilder().apiKey("wrong-key").build())) {
            caught(AuthenticationException.class, () -> wrong.status(TaskId.of("any")));
        }
    }

    @Test
    @DisplayName("rejects a bad request locally: against a base URL where nothing listens it is still refused")
    void localValidation() {
        try (TrainingProvider unreachable =
                provider(service().config().toBuilder().baseUrl(NOWHERE).build())) {
            InvalidRequestException e = caught(
                    InvalidRequestException.class,
                    () -> unreachable.create(sampleRequest(TrainingKind.SUBJECT).toBuilder()
                            .steps(-5)
                            .baseModel("no-such-base-model")
                            .build()));

            // Had the provider uploaded or asked anything first, it would have failed as unavailable instead.
            assertThat(e.violations())
                    .extracting(InvalidRequestException.Violation::field)
                    .contains("steps", "baseModel");
        }
    }

    @Test
    @DisplayName("maps an unknown id to TaskNotFoundException")
    void unknownId() {
        caught(TaskNotFoundException.class, () -> provider.status(TaskId.of("no-such-task-0000")));
    }

    @Test
    @DisplayName("generates with the trained LoRA once it is ready")
    void generateWithTrainedLora() throws IOException, InterruptedException {
        if (!provider.info().capabilities().supportsGenerate()) {
            return;
        }
        TaskId id = provider.create(sampleRequest(TrainingKind.SUBJECT)).id();
        TrainingTask ready = advanceAndRead(id, DURATIONS.total());
        assertThat(ready.status()).isEqualTo(TrainingStatus.READY);

        GenerationResult result = provider.generate(GenerationRequest.builder()
                .prompt("a photo of ohwx person")
                .addLora(ready.models().get(0).name(), 0.7)
                .build());

        assertThat(result.images()).isNotEmpty();
        checkImage(result.images().get(0).url());
    }

    /**
     * Checks that a generated image URL serves a PNG; a provider without a server overrides it.
     *
     * @param url the image URL
     * @throws IOException when the download fails
     * @throws InterruptedException when interrupted
     */
    protected void checkImage(URI url) throws IOException, InterruptedException {
        HttpResponse<byte[]> image = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(LocalImages.sniff(image.body())).isEqualTo("png");
    }

    /**
     * The errors a subclass provokes on top of the behaviour half's own, before {@link #keyNeverLeaks()} reads
     * their messages; the wire-fault half adds a server error here.
     */
    protected void provokeErrors() {}

    @Test
    @DisplayName("never shows the API key in an exception, toString or configuration")
    void keyNeverLeaks() {
        String key = service().config().apiKey().orElseThrow();
        TaskId id = provider.create(sampleRequest(TrainingKind.SUBJECT)).id();
        provokeErrors();
        caught(TaskNotFoundException.class, () -> provider.status(TaskId.of("missing-0000")));
        try (TrainingProvider wrong =
                provider(service().config().toBuilder().apiKey("wrong-" + key).build())) {
            caught(AuthenticationException.class, () -> wrong.status(id));
            shown(wrong.toString());
        }
        shown(provider.toString());
        shown(service().config().toString());

        assertThat(messages).isNotEmpty().noneMatch(m -> m.contains(key));
    }
}
