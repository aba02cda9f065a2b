package dev.loraport.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loraport.AuthenticationException;
import dev.loraport.GenerationRequest;
import dev.loraport.GenerationResult;
import dev.loraport.InvalidRequestException;
import dev.loraport.MalformedResponseException;
import dev.loraport.Page;
import dev.loraport.ProviderConfig;
import dev.loraport.ProviderUnavailableException;
import dev.loraport.RateLimitedException;
import dev.loraport.TaskId;
import dev.loraport.TaskNotFoundException;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingProviderException;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import dev.loraport.UnsupportedCapabilityException;
import dev.loraport.internal.LocalImages;
import dev.loraport.simulators.Endpoint;
import dev.loraport.simulators.Fault;
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
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link TrainingProvider} adapter must show against its service's simulator. An adapter's
 * test extends it, registers the simulator and builds the adapter:
 *
 * <pre>{@code
 * class NovitaContractTest extends TrainingProviderContract {
 *   final NovitaSimulator novita = NovitaSimulator.create();
 *   @RegisterExtension final SimulatorExtension running = SimulatorExtension.of(novita);
 *   @Override protected ProviderSimulator simulator() { return novita; }
 *   @Override protected TrainingProvider provider(ProviderConfig c) { return NovitaTrainingProvider.from(c); }
 * }
 * }</pre>
 *
 * @since 0.1
 */
public abstract class TrainingProviderContract {

    /** Fixed job durations so the lifecycle checks know where each phase ends. */
    protected static final TaskDurations DURATIONS =
            TaskDurations.of(Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofMinutes(5));

    private final List<String> messages = new ArrayList<>();
    private TrainingProvider provider;

    /** Creates the suite. */
    protected TrainingProviderContract() {}

    /**
     * The simulator, registered by the subclass as a JUnit extension.
     *
     * @return the simulator
     */
    protected abstract ProviderSimulator simulator();

    /**
     * Builds the adapter under test.
     *
     * @param config a configuration pointing at the simulator
     * @return the adapter
     */
    protected abstract TrainingProvider provider(ProviderConfig config);

    /**
     * The adapter class {@code TrainingProviders.create(id, ...)} must yield.
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
     * Whether the service reports errors in HTTP 200 bodies (ModelsLab), so the suite checks they are mapped.
     *
     * @return {@code false} unless overridden
     */
    protected boolean usesErrorBodiesWithHttp200() {
        return false;
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

    /** Builds the adapter against the simulator with fixed job durations. */
    @BeforeEach
    void openProvider() {
        simulator().durations(DURATIONS);
        provider = provider(simulator().config());
    }

    /** Closes the adapter. */
    @AfterEach
    void closeProvider() {
        provider.close();
    }

    /**
     * The adapter under test, for subclasses' own checks.
     *
     * @return the adapter
     */
    protected TrainingProvider provider() {
        return provider;
    }

    private <T extends Throwable> T caught(Class<T> type, Supplier<?> call) {
        try {
            call.get();
        } catch (Throwable t) {
            messages.add(String.valueOf(t));
            assertThat(t).isInstanceOf(type);
            return type.cast(t);
        }
        throw new AssertionError("expected " + type.getSimpleName() + " but the call succeeded");
    }

    private TrainingTask advanceAndRead(TaskId id, Duration by) {
        simulator().clock().advance(by);
        return provider.status(id);
    }

    @Test
    @DisplayName("is found by ServiceLoader under its id")
    void discoveredByServiceLoader() throws Exception {
        assertThat(TrainingProviders.available()).contains(simulator().providerId());
        try (TrainingProvider p =
                TrainingProviders.create(simulator().providerId(), simulator().config())) {
            assertThat(p).isInstanceOf(expectedProviderClass());
            assertThat(p.info().id()).isEqualTo(simulator().providerId());
        }
    }

    @Test
    @DisplayName("follows a job from QUEUED through TRAINING and DEPLOYING to READY")
    void happyLifecycle() {
        TrainingTask created = provider.create(sampleRequest(TrainingKind.SUBJECT));
        assertThat(created.status()).isEqualTo(TrainingStatus.QUEUED);
        assertThat(simulator().tasksCreated()).isEqualTo(1);

        TrainingTask queued = provider.status(created.id());
        assertThat(queued.status()).isEqualTo(TrainingStatus.QUEUED);
        assertThat(queued.rawStatus()).isPresent();

        TrainingTask training = advanceAndRead(created.id(), Duration.ofMinutes(4));
        assertThat(training.status()).isEqualTo(TrainingStatus.TRAINING);
        assertThat(training.eta()).isPresent();

        TrainingTask deploying = advanceAndRead(created.id(), Duration.ofMinutes(8));
        assertThat(deploying.status()).isEqualTo(TrainingStatus.DEPLOYING);

        TrainingTask ready = advanceAndRead(created.id(), Duration.ofMinutes(5));
        assertThat(ready.status()).isEqualTo(TrainingStatus.READY);
        assertThat(ready.status().isTerminal()).isTrue();
        assertThat(ready.models()).isNotEmpty();
        assertThat(ready.rawStatus()).isPresent();
    }

    @Test
    @DisplayName("reports a failed job as FAILED, not as an exception")
    void failedTask() {
        simulator().failNextTraining("CUDA out of memory");
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
        simulator().clock().advance(Duration.ofMinutes(3));
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
        Set<TaskId> ids = new java.util.HashSet<>();
        for (int i = 0; i < 5; i++) {
            ids.add(provider.create(sampleRequest(TrainingKind.SUBJECT)).id());
        }
        int before = simulator().requestCount(Endpoint.LIST);

        List<TrainingTask> all = Page.streamAll(provider, 2).collect(Collectors.toList());

        assertThat(all).extracting(TrainingTask::id).containsAll(ids);
        assertThat(all).hasSize(5);
        assertThat(simulator().requestCount(Endpoint.LIST) - before).isGreaterThanOrEqualTo(1);
    }

    @Test
    @DisplayName("maps a rejected key to AuthenticationException")
    void invalidKey() {
        try (TrainingProvider wrong =
                provider(simulator().config().toBuilder().apiKey("wrong-key").build())) {
            caught(AuthenticationException.class, () -> wrong.status(TaskId.of("any")));
        }
    }

    @Test
    @DisplayName("maps 429 to RateLimitedException with the retry-after")
    void rateLimited() {
        TaskId id = provider.create(sampleRequest(TrainingKind.SUBJECT)).id();
        simulator().failNext(Endpoint.STATUS, Fault.rateLimited(Duration.ofSeconds(7)));

        RateLimitedException e = caught(RateLimitedException.class, () -> provider.status(id));

        assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(e.isRetryable()).isTrue();
    }

    @Test
    @DisplayName("maps 5xx, HTML pages, resets and timeouts to ProviderUnavailableException")
    void unavailable() {
        TaskId id = provider.create(sampleRequest(TrainingKind.SUBJECT)).id();
        for (Fault f : List.of(Fault.serverError(500), Fault.serverError(503), Fault.htmlErrorPage())) {
            simulator().failNext(Endpoint.STATUS, f);
            caught(ProviderUnavailableException.class, () -> provider.status(id));
        }
        // A reset may only mean the server closed a pooled connection, so an adapter may send a read once more on a
        // fresh one; a reset that happens again is the service being unavailable.
        int before = simulator().requestCount(Endpoint.STATUS);
        simulator().failNext(Endpoint.STATUS, Fault.connectionReset());
        simulator().failNext(Endpoint.STATUS, Fault.connectionReset());
        caught(ProviderUnavailableException.class, () -> provider.status(id));
        if (simulator().requestCount(Endpoint.STATUS) - before == 1) {
            // This adapter does not send a read again: the second reset is still due, and is unavailability too.
            caught(ProviderUnavailableException.class, () -> provider.status(id));
        }
        try (TrainingProvider impatient = provider(simulator().config().toBuilder()
                .readTimeout(Duration.ofMillis(300))
                .callTimeout(Duration.ofSeconds(2))
                .build())) {
            simulator().failNext(Endpoint.STATUS, Fault.delay(Duration.ofSeconds(1)));
            caught(ProviderUnavailableException.class, () -> impatient.status(id));
        }
        assertThat(provider.status(id).id()).isEqualTo(id);
    }

    @Test
    @DisplayName("maps an unreadable 2xx body to MalformedResponseException")
    void malformed() {
        TaskId id = provider.create(sampleRequest(TrainingKind.SUBJECT)).id();
        simulator().failNext(Endpoint.STATUS, Fault.malformedJson());

        caught(MalformedResponseException.class, () -> provider.status(id));
    }

    @Test
    @DisplayName("maps an error reported with HTTP 200 to a typed error")
    void errorBodyWith200() {
        if (!usesErrorBodiesWithHttp200()) {
            return;
        }
        simulator().failNext(Endpoint.LIST, Fault.errorBody200());

        TrainingProviderException e =
                caught(TrainingProviderException.class, () -> provider.list(dev.loraport.PageRequest.first(10)));

        assertThat(e).isInstanceOf(AuthenticationException.class);
    }

    @Test
    @DisplayName("reports a status it does not know as UNKNOWN with the raw string")
    void unknownRawStatus() {
        TaskId id = provider.create(sampleRequest(TrainingKind.SUBJECT)).id();
        simulator().forceRawStatus(id.value(), "brand_new_state");

        TrainingTask t = provider.status(id);

        assertThat(t.status()).isEqualTo(TrainingStatus.UNKNOWN);
        assertThat(t.rawStatus()).contains("brand_new_state");
    }

    @Test
    @DisplayName("rejects a bad request locally, before any call reaches the service")
    void localValidation() {
        int before = simulator().requestCount(Endpoint.ANY);

        InvalidRequestException e = caught(
                InvalidRequestException.class,
                () -> provider.create(sampleRequest(TrainingKind.SUBJECT).toBuilder()
                        .steps(-5)
                        .baseModel("no-such-base-model")
                        .build()));

        assertThat(e.violations())
                .extracting(InvalidRequestException.Violation::field)
                .contains("steps", "baseModel");
        assertThat(simulator().requestCount(Endpoint.ANY)).isEqualTo(before);
        assertThat(simulator().tasksCreated()).isZero();
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

    @Test
    @DisplayName("never shows the API key in an exception, toString or configuration")
    void keyNeverLeaks() {
        String key = simulator().apiKey();
        TaskId id = provider.create(sampleRequest(TrainingKind.SUBJECT)).id();
        simulator().failNext(Endpoint.STATUS, Fault.serverError(500));
        caught(ProviderUnavailableException.class, () -> provider.status(id));
        caught(TaskNotFoundException.class, () -> provider.status(TaskId.of("missing-0000")));
        try (TrainingProvider wrong =
                provider(simulator().config().toBuilder().apiKey("wrong-" + key).build())) {
            caught(AuthenticationException.class, () -> wrong.status(id));
            messages.add(wrong.toString());
        }
        messages.add(provider.toString());
        messages.add(simulator().config().toString());

        assertThat(messages).isNotEmpty().noneMatch(m -> m.contains(key));
    }
}
