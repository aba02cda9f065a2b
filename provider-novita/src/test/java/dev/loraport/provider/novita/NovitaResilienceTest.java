package dev.loraport.provider.novita;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loraport.AuthenticationException;
import dev.loraport.CreateOutcomeUnknownException;
import dev.loraport.InvalidRequestException;
import dev.loraport.Page;
import dev.loraport.PageRequest;
import dev.loraport.ProviderConfig;
import dev.loraport.QuotaExceededException;
import dev.loraport.TaskId;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingProviderException;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingTask;
import dev.loraport.decorators.CircuitOpenException;
import dev.loraport.decorators.LoraportMetrics;
import dev.loraport.decorators.ProviderStack;
import dev.loraport.simulators.Endpoint;
import dev.loraport.simulators.Fault;
import dev.loraport.simulators.NovitaSimulator;
import dev.loraport.simulators.SampleImages;
import dev.loraport.testkit.SimulatorExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The decorator stack against the Novita simulator's fault injection: retries, exactly-once create, breaker. */
class NovitaResilienceTest {

    final NovitaSimulator novita = NovitaSimulator.create();

    @RegisterExtension
    final SimulatorExtension novitaRunning = SimulatorExtension.of(novita);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Duration> waits = new ArrayList<>();

    private TrainingProvider stack(String... options) {
        ProviderConfig.Builder cfg =
                novita.config().toBuilder().option("ratelimit.enabled", "false").option("upload.max-attempts", "1");
        for (int i = 0; i < options.length; i += 2) {
            cfg.option(options[i], options[i + 1]);
        }
        ProviderConfig config = cfg.build();
        return ProviderStack.builder()
                .config(config)
                .adapter(NovitaTrainingProvider.builder()
                        .apiKey(config.requireApiKey())
                        .baseUrl(config.baseUrl().orElseThrow())
                        .readTimeout(Duration.ofSeconds(2))
                        .uploadMaxAttempts(1)
                        .pause(d -> {})
                        .build())
                .meterRegistry(registry)
                .sleeper(d -> {
                    waits.add(d);
                    novita.clock().advance(d);
                })
                .random(new Random(7))
                .build();
    }

    private static TrainingRequest request(String reference) {
        TrainingRequest.Builder b = TrainingRequest.builder()
                .name("soak")
                .kind(TrainingKind.SUBJECT)
                .baseModel("v1-5-pruned-emaonly")
                .images(SampleImages.pngs(1))
                .instancePrompt("a photo of ohwx person")
                .classPrompt("person");
        return reference == null ? b.build() : b.clientReference(reference).build();
    }

    private double counter(String name, String... tags) {
        return registry.find(name).tags(tags).counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    @Test
    void aStatusThatMeetsA429ThenA503SucceedsAfterTheRetryAfter() {
        TrainingProvider p = stack();
        TaskId id = p.create(request(null)).id();
        novita.failNext(Endpoint.STATUS, Fault.rateLimited(Duration.ofSeconds(7)));
        novita.failNext(Endpoint.STATUS, Fault.serverError(503));

        TrainingTask t = p.status(id);

        assertThat(t.id()).isEqualTo(id);
        assertThat(waits.get(0)).isGreaterThanOrEqualTo(Duration.ofSeconds(7));
        assertThat(novita.requestCount(Endpoint.STATUS)).isEqualTo(3);
        assertThat(counter(LoraportMetrics.ATTEMPTS, "operation", "status")).isEqualTo(3);
        assertThat(counter(LoraportMetrics.RETRIES, "operation", "status")).isEqualTo(2);
    }

    @Test
    void aCreateWhoseResponseIsLostReturnsTheSimulatorsOnlyJob() {
        TrainingProvider p = stack();
        novita.failNext(Endpoint.CREATE, Fault.acceptedButLost());

        TrainingTask t = p.create(request(null));

        assertThat(novita.tasksCreated()).isEqualTo(1);
        assertThat(novita.taskIds()).containsExactly(t.id().value());
        assertThat(novita.requestCount(Endpoint.CREATE)).isEqualTo(1);
        assertThat(counter(LoraportMetrics.RECONCILIATIONS, "result", "found")).isEqualTo(1);
        assertThat(counter(LoraportMetrics.DUPLICATES_AVOIDED)).isEqualTo(1);
    }

    @Test
    void aCreateRefusedWith503BeforeAcceptanceIsSentOnceMore() {
        TrainingProvider p = stack();
        novita.failNext(Endpoint.CREATE, Fault.serverError(503));

        p.create(request(null));

        assertThat(novita.tasksCreated()).isEqualTo(1);
        assertThat(novita.requestCount(Endpoint.CREATE)).isEqualTo(2);
        assertThat(counter(LoraportMetrics.ATTEMPTS, "operation", "create")).isEqualTo(2);
        assertThat(counter(LoraportMetrics.RECONCILIATIONS, "result", "absent")).isEqualTo(1);
    }

    @Test
    void quotaAuthAndInvalidAreSentOnce() {
        TrainingProvider p = stack();
        novita.failNext(Endpoint.CREATE, Fault.insufficientBalance());
        assertThatThrownBy(() -> p.create(request(null))).isInstanceOf(QuotaExceededException.class);
        assertThat(novita.requestCount(Endpoint.CREATE)).isEqualTo(1);

        novita.failNext(Endpoint.STATUS, Fault.invalidKey());
        assertThatThrownBy(() -> p.status(TaskId.of("x"))).isInstanceOf(AuthenticationException.class);
        assertThat(novita.requestCount(Endpoint.STATUS)).isEqualTo(1);

        int before = novita.requestCount(Endpoint.ANY);
        assertThatThrownBy(() -> p.create(request(null).toBuilder().steps(0).build()))
                .isInstanceOf(InvalidRequestException.class);
        assertThat(novita.requestCount(Endpoint.ANY)).isEqualTo(before);
        assertThat(novita.tasksCreated()).isZero();
    }

    @Test
    void anOpenBreakerFailsFastWithoutReachingTheSimulator() {
        TrainingProvider p = stack(
                "retry.max-attempts", "1",
                "circuitbreaker.minimum-number-of-calls", "4",
                "circuitbreaker.sliding-window-size", "4");
        novita.failEvery(1, Endpoint.STATUS, Fault.serverError(503));
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> p.status(TaskId.of("x"))).isNotInstanceOf(CircuitOpenException.class);
        }

        assertThatThrownBy(() -> p.status(TaskId.of("x"))).isInstanceOf(CircuitOpenException.class);
        assertThat(novita.requestCount(Endpoint.STATUS)).isEqualTo(4);
    }

    @Test
    void faultSoakCreatesNoDuplicateAndLosesNoCreate() {
        TrainingProvider p = stack(
                "retry.max-attempts", "6",
                "circuitbreaker.enabled", "false",
                "reconcile.max-pages", "100");
        Fault[] mix = {
            Fault.acceptedButLost(),
            Fault.serverError(503),
            Fault.serverError(500),
            Fault.rateLimited(Duration.ofSeconds(3)),
            Fault.rateLimited(),
            Fault.connectionReset(),
            Fault.malformedJson(),
            Fault.htmlErrorPage()
        };
        int seed = 0;
        for (Endpoint e : new Endpoint[] {Endpoint.CREATE, Endpoint.STATUS, Endpoint.LIST, Endpoint.UPLOAD}) {
            for (Fault f : mix) {
                // Eight rules of 2.5 % each: about 20 % of each endpoint's calls fail, in every way at once.
                novita.failRandomly(0.025, seed++, e, f);
            }
        }
        List<String> returned = new ArrayList<>();
        List<String> unknownRefs = new ArrayList<>();
        List<Throwable> untyped = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        List<TaskId> created = new ArrayList<>();
        int creates = 1_000;
        int refused = 0;
        for (int i = 0; i < creates; i++) {
            try {
                TaskId id = p.create(request(null)).id();
                created.add(id);
                returned.add(id.value());
            } catch (CreateOutcomeUnknownException e) {
                unknownRefs.add(e.clientReference());
                messages.add(e.getMessage());
            } catch (TrainingProviderException e) {
                refused++;
                messages.add(e.getMessage());
            } catch (RuntimeException e) {
                untyped.add(e);
            }
        }
        AtomicLong reads = new AtomicLong();
        for (int i = 0; i < 5_000 && !created.isEmpty(); i++) {
            try {
                if (i % 5 == 0) {
                    p.list(PageRequest.first(100));
                } else {
                    p.status(created.get(i % created.size()));
                }
                reads.incrementAndGet();
            } catch (TrainingProviderException e) {
                messages.add(e.getMessage());
            } catch (RuntimeException e) {
                untyped.add(e);
            }
        }

        novita.clearFaults();
        Map<String, Long> jobsPerRef = new HashMap<>();
        long unaccounted = 0;
        // Each job's name carries the client reference its create was tagged with; the listing has the names.
        Map<String, String> names = new HashMap<>();
        Page.streamAll(p, 100).forEach(t -> names.put(t.id().value(), t.name().orElse("")));
        for (String id : novita.taskIds()) {
            String name = names.getOrDefault(id, "");
            String ref = name.substring(name.lastIndexOf('-') + 1);
            jobsPerRef.merge(ref, 1L, Long::sum);
            if (!returned.contains(id) && !unknownRefs.contains(ref)) {
                unaccounted++;
            }
        }
        long duplicates = jobsPerRef.values().stream().filter(n -> n > 1).count();
        long jobs = returned.size();
        System.out.printf(
                "fault soak: %d creates -> %d jobs returned, %d refused before acceptance, %d unknown outcome; "
                        + "%d simulator jobs; %d duplicates; %d unaccounted; %d/5000 reads ok; %d create calls, "
                        + "%d status calls, %d list calls; reconciliations: %.0f found, %.0f absent, %.0f unknown%n",
                creates,
                jobs,
                refused,
                unknownRefs.size(),
                novita.tasksCreated(),
                duplicates,
                unaccounted,
                reads.get(),
                novita.requestCount(Endpoint.CREATE),
                novita.requestCount(Endpoint.STATUS),
                novita.requestCount(Endpoint.LIST),
                counter(LoraportMetrics.RECONCILIATIONS, "result", "found"),
                counter(LoraportMetrics.RECONCILIATIONS, "result", "absent"),
                counter(LoraportMetrics.RECONCILIATIONS, "result", "unknown"));

        assertThat(untyped).isEmpty();
        assertThat(jobs + refused + unknownRefs.size()).isEqualTo(creates);
        assertThat(duplicates).isZero();
        assertThat(unaccounted).isZero();
        assertThat(novita.tasksCreated()).isEqualTo(jobsPerRef.size()).isGreaterThanOrEqualTo((int) jobs);
        assertThat(jobs).isGreaterThan(creates / 2);
        // Every status attempt is one HTTP call, or two when a reset made the adapter send it again on a fresh
        // connection; a create attempt may stop at its upload before the create call.
        double statusAttempts = counter(LoraportMetrics.ATTEMPTS, "operation", "status");
        assertThat((double) novita.requestCount(Endpoint.STATUS))
                .isGreaterThanOrEqualTo(statusAttempts)
                .isLessThanOrEqualTo(2 * statusAttempts);
        assertThat(counter(LoraportMetrics.ATTEMPTS, "operation", "create"))
                .isGreaterThanOrEqualTo(novita.requestCount(Endpoint.CREATE));
        assertThat(messages).noneMatch(m -> m.contains(novita.apiKey()));
    }
}
