package dev.loraport.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loraport.AuthenticationException;
import dev.loraport.InvalidRequestException;
import dev.loraport.MalformedResponseException;
import dev.loraport.PageRequest;
import dev.loraport.ProviderUnavailableException;
import dev.loraport.RateLimitedException;
import dev.loraport.TaskId;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingProviderException;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import dev.loraport.simulators.Endpoint;
import dev.loraport.simulators.Fault;
import dev.loraport.simulators.ProviderSimulator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The whole contract for an adapter whose service has a simulator: the behaviour half of
 * {@link ProviderBehaviourContract}, plus the wire-fault half, which scripts what the network and the service do
 * wrong (429 with a retry-after, 5xx, HTML pages, resets, timeouts, unreadable bodies, errors inside HTTP 200, raw
 * statuses nobody documented) and counts requests. An adapter's test extends it, registers the simulator and
 * builds the adapter:
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
 * <p>A third party with its own test double implements {@link ProviderSimulator} (ten methods); one without any
 * fault injection extends {@link ProviderBehaviourContract} instead. Not thread-safe: JUnit runs one check at a
 * time per instance.
 *
 * @since 0.1
 */
public abstract class TrainingProviderContract extends ProviderBehaviourContract {

    /** Creates the suite. */
    protected TrainingProviderContract() {}

    /**
     * The simulator, registered by the subclass as a JUnit extension.
     *
     * @return the simulator
     */
    protected abstract ProviderSimulator simulator();

    /**
     * The behaviour half's view of {@link #simulator()}.
     *
     * @return the service
     */
    @Override
    protected final Service service() {
        return Service.of(simulator());
    }

    /**
     * Whether the service reports errors in HTTP 200 bodies (ModelsLab), so the suite checks they are mapped.
     *
     * @return {@code false} unless overridden
     */
    protected boolean usesErrorBodiesWithHttp200() {
        return false;
    }

    /** A server error, so {@code keyNeverLeaks} reads a 5xx message too. */
    @Override
    protected void provokeErrors() {
        TaskId id = provider().create(sampleRequest(TrainingKind.SUBJECT)).id();
        simulator().failNext(Endpoint.STATUS, Fault.serverError(500));
        caught(ProviderUnavailableException.class, () -> provider().status(id));
    }

    @Test
    @DisplayName("one create makes exactly one job on the service")
    void oneCreateOneJob() {
        provider().create(sampleRequest(TrainingKind.SUBJECT));

        assertThat(simulator().tasksCreated()).isEqualTo(1);
        assertThat(simulator().requestCount(Endpoint.CREATE)).isEqualTo(1);
    }

    @Test
    @DisplayName("sends no request at all for a bad request")
    void localValidationSendsNothing() {
        int before = simulator().requestCount(Endpoint.ANY);

        caught(
                InvalidRequestException.class,
                () -> provider()
                        .create(sampleRequest(TrainingKind.SUBJECT).toBuilder()
                                .steps(-5)
                                .baseModel("no-such-base-model")
                                .build()));

        assertThat(simulator().requestCount(Endpoint.ANY)).isEqualTo(before);
        assertThat(simulator().tasksCreated()).isZero();
    }

    @Test
    @DisplayName("maps 429 to RateLimitedException with the retry-after")
    void rateLimited() {
        TaskId id = provider().create(sampleRequest(TrainingKind.SUBJECT)).id();
        simulator().failNext(Endpoint.STATUS, Fault.rateLimited(Duration.ofSeconds(7)));

        RateLimitedException e =
                caught(RateLimitedException.class, () -> provider().status(id));

        assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(e.isRetryable()).isTrue();
    }

    @Test
    @DisplayName("maps 5xx, HTML pages, resets and timeouts to ProviderUnavailableException")
    void unavailable() {
        TaskId id = provider().create(sampleRequest(TrainingKind.SUBJECT)).id();
        for (Fault f : List.of(Fault.serverError(500), Fault.serverError(503), Fault.htmlErrorPage())) {
            simulator().failNext(Endpoint.STATUS, f);
            caught(ProviderUnavailableException.class, () -> provider().status(id));
        }
        // A reset may only mean the server closed a pooled connection, so an adapter may send a read once more on a
        // fresh one; a reset that happens again is the service being unavailable.
        int before = simulator().requestCount(Endpoint.STATUS);
        simulator().failNext(Endpoint.STATUS, Fault.connectionReset());
        simulator().failNext(Endpoint.STATUS, Fault.connectionReset());
        caught(ProviderUnavailableException.class, () -> provider().status(id));
        if (simulator().requestCount(Endpoint.STATUS) - before == 1) {
            // This adapter does not send a read again: the second reset is still due, and is unavailability too.
            caught(ProviderUnavailableException.class, () -> provider().status(id));
        }
        try (TrainingProvider impatient = provider(simulator().config().toBuilder()
                .readTimeout(Duration.ofMillis(300))
                .callTimeout(Duration.ofSeconds(2))
                .build())) {
            simulator().failNext(Endpoint.STATUS, Fault.delay(Duration.ofSeconds(1)));
            caught(ProviderUnavailableException.class, () -> impatient.status(id));
        }
        assertThat(provider().status(id).id()).isEqualTo(id);
    }

    @Test
    @DisplayName("maps an unreadable 2xx body to MalformedResponseException")
    void malformed() {
        TaskId id = provider().create(sampleRequest(TrainingKind.SUBJECT)).id();
        simulator().failNext(Endpoint.STATUS, Fault.malformedJson());

        caught(MalformedResponseException.class, () -> provider().status(id));
    }

    @Test
    @DisplayName("maps an error reported with HTTP 200 to a typed error")
    void errorBodyWith200() {
        if (!usesErrorBodiesWithHttp200()) {
            return;
        }
        simulator().failNext(Endpoint.LIST, Fault.errorBody200());

        TrainingProviderException e =
                caught(TrainingProviderException.class, () -> provider().list(PageRequest.first(10)));

        assertThat(e).isInstanceOf(AuthenticationException.class);
    }

    @Test
    @DisplayName("reports a status it does not know as UNKNOWN with the raw string")
    void unknownRawStatus() {
        TaskId id = provider().create(sampleRequest(TrainingKind.SUBJECT)).id();
        simulator().forceRawStatus(id.value(), "brand_new_state");

        TrainingTask t = provider().status(id);

        assertThat(t.status()).isEqualTo(TrainingStatus.UNKNOWN);
        assertThat(t.rawStatus()).contains("brand_new_state");
    }
}
