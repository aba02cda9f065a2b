package dev.loraport.decorators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loraport.AuthenticationException;
import dev.loraport.CreateOutcomeUnknownException;
import dev.loraport.InvalidRequestException;
import dev.loraport.ProviderConfig;
import dev.loraport.ProviderUnavailableException;
import dev.loraport.QuotaExceededException;
import dev.loraport.RateLimitedException;
import dev.loraport.TaskId;
import dev.loraport.TrainingImage;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingTask;
import dev.loraport.decorators.ScriptedProvider.Op;
import dev.loraport.spi.TrainingProviders;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ProviderStackTest {

    /** The first bytes of a PNG: enough for the local check of an image's format. */
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0};

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Duration> waits = new ArrayList<>();

    private TrainingProvider stack(ScriptedProvider adapter, String... options) {
        ProviderConfig.Builder cfg = ProviderConfig.builder().providerId("scripted");
        cfg.option("ratelimit.enabled", "false");
        for (int i = 0; i < options.length; i += 2) {
            cfg.option(options[i], options[i + 1]);
        }
        return ProviderStack.builder()
                .config(cfg.build())
                .adapter(adapter)
                .meterRegistry(registry)
                .sleeper(waits::add)
                .random(new Random(1))
                .build();
    }

    private static TrainingRequest request() {
        return TrainingRequest.builder()
                .name("alice")
                .kind(TrainingKind.SUBJECT)
                .baseModel("m")
                .addImage(TrainingImage.ofBytes("a.png", PNG))
                .build();
    }

    private double count(String name, String... tags) {
        return registry.find(name).tags(tags).meters().stream()
                .mapToDouble(m -> m.measure().iterator().next().getValue())
                .sum();
    }

    private static Supplier<RuntimeException> unavailable() {
        return () -> new ProviderUnavailableException("scripted", "x", "503", 503, null, null);
    }

    @Test
    void statusRetriesA429ThenA503WaitingTheRetryAfter() {
        ScriptedProvider adapter = new ScriptedProvider(true);
        TrainingProvider p = stack(adapter);
        TaskId id = p.create(request()).id();
        adapter.failNext(
                        Op.STATUS,
                        () -> new RateLimitedException(
                                "scripted", "status", "429", 429, null, Duration.ofSeconds(7), null))
                .failNext(Op.STATUS, unavailable());

        TrainingTask task = p.status(id);

        assertThat(task.id()).isEqualTo(id);
        assertThat(adapter.calls(Op.STATUS)).isEqualTo(3);
        assertThat(waits.get(0)).isEqualTo(Duration.ofSeconds(7));
        assertThat(waits).hasSize(2);
        assertThat(count(LoraportMetrics.RETRIES, "operation", "status")).isEqualTo(2);
        assertThat(count(LoraportMetrics.ATTEMPTS, "operation", "status")).isEqualTo(3);
    }

    @Test
    void retryAfterIsCappedAndBackoffGrows() {
        ScriptedProvider adapter = new ScriptedProvider(true);
        TrainingProvider p = stack(adapter, "retry.max-retry-after", "10s", "retry.jitter", "0");
        TaskId id = p.create(request()).id();
        adapter.failNext(
                        Op.STATUS,
                        () -> new RateLimitedException(
                                "scripted", "status", "429", 429, null, Duration.ofMinutes(5), null))
                .failNext(Op.STATUS, unavailable())
                .failNext(Op.STATUS, unavailable());

        p.status(id);

        assertThat(waits).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    @Test
    void retriesStopAtMaxAttempts() {
        ScriptedProvider adapter = new ScriptedProvider(true);
        TrainingProvider p = stack(adapter, "retry.max-attempts", "2");
        TaskId id = p.create(request()).id();
        adapter.failNext(Op.STATUS, unavailable()).failNext(Op.STATUS, unavailable());

        assertThatThrownBy(() -> p.status(id)).isInstanceOf(ProviderUnavailableException.class);
        assertThat(adapter.calls(Op.STATUS)).isEqualTo(2);
    }

    @Test
    void quotaAuthAndInvalidAreNeverRetried() {
        ScriptedProvider adapter = new ScriptedProvider(true);
        TrainingProvider p = stack(adapter);
        adapter.failNext(
                Op.CREATE, () -> new QuotaExceededException("scripted", "create", "no money", 400, null, null));
        adapter.failNext(
                Op.STATUS, () -> new AuthenticationException("scripted", "status", "bad key", 403, null, null));
        adapter.failNext(Op.LIST, () -> new InvalidRequestException("scripted", "list", "bad", 400, null, null));

        assertThatThrownBy(() -> p.create(request())).isInstanceOf(QuotaExceededException.class);
        assertThatThrownBy(() -> p.status(TaskId.of("x"))).isInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> p.list(dev.loraport.PageRequest.first(10)))
                .isInstanceOf(InvalidRequestException.class);
        assertThat(adapter.calls(Op.CREATE)).isEqualTo(1);
        assertThat(adapter.calls(Op.STATUS)).isEqualTo(1);
        assertThat(adapter.calls(Op.LIST)).isEqualTo(1);
        assertThat(adapter.jobs()).isEmpty();
    }

    @Test
    void aCreateWhoseResponseIsLostReturnsTheJobTheServiceCreated() {
        ScriptedProvider adapter = new ScriptedProvider(true).loseNextCreateResponse();
        TrainingProvider p = stack(adapter);

        TrainingTask task = p.create(request());

        assertThat(adapter.jobs()).hasSize(1);
        assertThat(task.id()).isEqualTo(adapter.jobs().get(0).id());
        assertThat(task.name()).hasValueSatisfying(n -> assertThat(n).startsWith("alice-lp"));
        assertThat(adapter.calls(Op.CREATE)).isEqualTo(1);
        assertThat(count(LoraportMetrics.RECONCILIATIONS, "result", "found")).isEqualTo(1);
        assertThat(count(LoraportMetrics.DUPLICATES_AVOIDED)).isEqualTo(1);
    }

    @Test
    void aCreateRefusedBeforeAcceptanceIsSentAgainOnce() {
        ScriptedProvider adapter = new ScriptedProvider(true).failNext(Op.CREATE, unavailable());
        TrainingProvider p = stack(adapter);

        p.create(request());

        assertThat(adapter.jobs()).hasSize(1);
        assertThat(adapter.calls(Op.CREATE)).isEqualTo(2);
        assertThat(count(LoraportMetrics.RECONCILIATIONS, "result", "absent")).isEqualTo(1);
        assertThat(count(LoraportMetrics.ATTEMPTS, "operation", "create")).isEqualTo(2);
    }

    @Test
    void whenTheJobCannotBeLookedUpTheCallerGetsTheClientReference() {
        ScriptedProvider adapter = new ScriptedProvider(true).loseNextCreateResponse();
        for (int i = 0; i < 4; i++) {
            adapter.failNext(Op.LIST, unavailable());
        }
        TrainingProvider p = stack(adapter);

        assertThatThrownBy(() -> p.create(request())).isInstanceOfSatisfying(CreateOutcomeUnknownException.class, e -> {
            assertThat(e.clientReference()).startsWith("lp");
            assertThat(adapter.jobs().get(0).name())
                    .hasValueSatisfying(n -> assertThat(n).endsWith(e.clientReference()));
            assertThat(e.isRetryable()).isFalse();
        });
        assertThat(adapter.calls(Op.CREATE)).isEqualTo(1);
        assertThat(count(LoraportMetrics.RECONCILIATIONS, "result", "unknown")).isEqualTo(1);
    }

    @Test
    void withoutNamesInListingsAndWithoutASharedStoreALostJobIsNeverClaimedFromADiff() {
        ScriptedProvider adapter = new ScriptedProvider(false);
        TrainingProvider p = stack(adapter);
        adapter.loseNextCreateResponse();

        // Another worker of the account could have made the job that appeared: only a shared lock proves it ours.
        assertThatThrownBy(() -> p.create(request())).isInstanceOf(CreateOutcomeUnknownException.class);
        assertThat(adapter.calls(Op.CREATE)).isEqualTo(1);
    }

    @Test
    void withoutNamesInListingsTheLostJobIsFoundByComparingListingsTakenUnderTheStoresLock() {
        ScriptedProvider adapter = new ScriptedProvider(false);
        TrainingProvider p = ProviderStack.builder()
                .config(ProviderConfig.builder()
                        .providerId("scripted")
                        .option("ratelimit.enabled", "false")
                        .build())
                .adapter(adapter)
                .meterRegistry(registry)
                .sleeper(waits::add)
                .store(dev.loraport.watch.TaskStore.inMemory())
                .build();
        p.create(request());
        adapter.loseNextCreateResponse();

        TrainingTask second = p.create(request());

        assertThat(adapter.jobs()).hasSize(2);
        assertThat(second.id()).isEqualTo(adapter.jobs().get(1).id());
        assertThat(adapter.calls(Op.CREATE)).isEqualTo(2);
    }

    @Test
    void aCallerReferenceFindsTheJobOfAnEarlierRunInsteadOfTrainingAgain() {
        ScriptedProvider adapter = new ScriptedProvider(true);
        TrainingProvider p = stack(adapter);
        TrainingRequest withRef =
                request().toBuilder().clientReference("order-42").build();
        TrainingTask first = p.create(withRef);

        TrainingTask again = p.create(withRef);

        assertThat(again.id()).isEqualTo(first.id());
        assertThat(adapter.calls(Op.CREATE)).isEqualTo(1);
        assertThat(first.name()).contains("alice-order-42");
    }

    @Test
    void aCallerReferenceNeverClaimsATaskWhoseReferenceMerelyContainsIt() {
        ScriptedProvider adapter = new ScriptedProvider(true);
        TrainingProvider p = stack(adapter);
        TrainingTask other =
                p.create(request().toBuilder().clientReference("job-12").build());

        TrainingTask mine =
                p.create(request().toBuilder().clientReference("job-1").build());

        assertThat(mine.id()).isNotEqualTo(other.id());
        assertThat(adapter.calls(Op.CREATE)).isEqualTo(2);
        assertThat(CreateReconciler.carries("alice-job-12", "job-1")).isFalse();
        assertThat(CreateReconciler.carries("alice-job-1", "job-1")).isTrue();
    }

    @Test
    void aCallerReferenceWhoseEarlierTaskCannotBeLookedUpSubmitsNothing() {
        ScriptedProvider adapter = new ScriptedProvider(true);
        TrainingProvider p = stack(adapter, "retry.max-attempts", "1");
        adapter.failNext(Op.LIST, unavailable());

        assertThatThrownBy(() -> p.create(
                        request().toBuilder().clientReference("order-7").build()))
                .isInstanceOfSatisfying(
                        CreateOutcomeUnknownException.class,
                        e -> assertThat(e.clientReference()).isEqualTo("order-7"));
        // Creating without knowing whether the earlier run's task exists could train twice.
        assertThat(adapter.calls(Op.CREATE)).isZero();
    }

    @Test
    void anOpenBreakerFailsFastWithoutReachingTheService() {
        ScriptedProvider adapter = new ScriptedProvider(true);
        TrainingProvider p = stack(
                adapter,
                "retry.max-attempts",
                "1",
                "circuitbreaker.minimum-number-of-calls",
                "4",
                "circuitbreaker.sliding-window-size",
                "4");
        for (int i = 0; i < 4; i++) {
            adapter.failNext(Op.STATUS, unavailable());
            assertThatThrownBy(() -> p.status(TaskId.of("x"))).isInstanceOf(ProviderUnavailableException.class);
        }

        assertThatThrownBy(() -> p.status(TaskId.of("x")))
                .isInstanceOf(CircuitOpenException.class)
                .hasMessageContaining("circuit breaker open");
        assertThat(adapter.calls(Op.STATUS)).isEqualTo(4);
    }

    @Test
    void clientErrorsDoNotOpenTheBreaker() {
        ScriptedProvider adapter = new ScriptedProvider(true);
        TrainingProvider p = stack(
                adapter, "circuitbreaker.minimum-number-of-calls", "2", "circuitbreaker.sliding-window-size", "2");
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> p.status(TaskId.of("missing")))
                    .isInstanceOf(dev.loraport.TaskNotFoundException.class);
        }
        assertThat(adapter.calls(Op.STATUS)).isEqualTo(5);
    }

    @Test
    void theRateLimiterMakesCallsWaitAndCountsIt() {
        ScriptedProvider adapter = new ScriptedProvider(true);
        TrainingProvider p = ProviderStack.builder()
                .config(ProviderConfig.builder()
                        .providerId("scripted")
                        .option("ratelimit.permits-per-second", "0.01")
                        .option("ratelimit.max-wait", "10m")
                        .build())
                .adapter(adapter)
                .meterRegistry(registry)
                .sleeper(waits::add)
                .build();

        p.cancel(TaskId.of("a"));
        p.cancel(TaskId.of("b"));

        assertThat(waits).hasSize(1);
        assertThat(waits.get(0)).isGreaterThan(Duration.ofSeconds(1));
        assertThat(count(LoraportMetrics.RATE_LIMIT_WAITS)).isEqualTo(1);
    }

    @Test
    void requestsAreTimedWithOutcomeAndNoSecretInAnyTag() {
        ScriptedProvider adapter = new ScriptedProvider(true);
        TrainingProvider p = stack(adapter);
        TaskId id = p.create(request()).id();
        p.status(id);
        assertThatThrownBy(() -> p.status(TaskId.of("nope"))).isNotNull();

        assertThat(registry.find(LoraportMetrics.REQUESTS)
                        .tags("operation", "status", "outcome", "success")
                        .timer()
                        .count())
                .isEqualTo(1);
        assertThat(registry.find(LoraportMetrics.REQUESTS)
                        .tags("outcome", "client_error", "exception", "TaskNotFoundException")
                        .timer()
                        .count())
                .isEqualTo(1);
        for (Meter m : registry.getMeters()) {
            m.getId().getTags().forEach(t -> assertThat(t.getValue()).doesNotContain("job-", "alice", "lp"));
        }
    }

    @Test
    void cancelIsNeverRetried() {
        ScriptedProvider adapter = new ScriptedProvider(true).failNext(Op.CANCEL, unavailable());
        TrainingProvider p = stack(adapter);

        assertThatThrownBy(() -> p.cancel(TaskId.of("a"))).isInstanceOf(ProviderUnavailableException.class);
        assertThat(adapter.calls(Op.CANCEL)).isEqualTo(1);
    }

    @Test
    void badSettingsNameTheKey() {
        assertThatThrownBy(() -> stack(new ScriptedProvider(true), "retry.max-attempts", "0"))
                .hasMessageContaining("loraport.scripted.retry.max-attempts: 0 is out of range");
        assertThatThrownBy(() -> stack(new ScriptedProvider(true), "retry.initial-backoff", "later"))
                .hasMessageContaining("loraport.scripted.retry.initial-backoff");
    }

    @Test
    void metricsCanBeTurnedOffAndUnwrapFindsTheAdapter() {
        ScriptedProvider adapter = new ScriptedProvider(true);
        TrainingProvider p = ProviderStack.builder()
                .config(ProviderConfig.builder()
                        .providerId("scripted")
                        .globalOption("metrics.enabled", "false")
                        .build())
                .adapter(adapter)
                .meterRegistry(registry)
                .build();

        TrainingProvider layer = p;
        while (layer instanceof dev.loraport.spi.ForwardingTrainingProvider f) {
            assertThat(layer).isNotInstanceOf(MeteredProvider.class);
            layer = f.unwrapOnce();
        }
        assertThat(layer).isSameAs(adapter);
        assertThat(TrainingProviders.unwrap(p)).isSameAs(adapter);
        p.status(p.create(request()).id());
        assertThat(registry.find(LoraportMetrics.REQUESTS).meters()).isEmpty();
    }
}
