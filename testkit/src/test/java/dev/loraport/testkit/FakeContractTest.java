package dev.loraport.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loraport.AuthenticationException;
import dev.loraport.GenerationRequest;
import dev.loraport.GenerationResult;
import dev.loraport.MalformedResponseException;
import dev.loraport.Page;
import dev.loraport.PageRequest;
import dev.loraport.ProviderCapabilities;
import dev.loraport.ProviderConfig;
import dev.loraport.ProviderUnavailableException;
import dev.loraport.QuotaExceededException;
import dev.loraport.RateLimitedException;
import dev.loraport.TaskId;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingTask;
import dev.loraport.simulators.Endpoint;
import dev.loraport.simulators.Fault;
import dev.loraport.simulators.ProviderSimulator;
import dev.loraport.simulators.TaskDurations;
import dev.loraport.simulators.VirtualClock;
import dev.loraport.spi.ForwardingTrainingProvider;
import dev.loraport.spi.TrainingProviderFactory;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The contract against {@link FakeTrainingProvider}: an in-memory stand-in for a simulator turns each scripted
 * wire fault into the exception an adapter would map it to, so the fake is held to the same behaviour.
 */
class FakeContractTest extends TrainingProviderContract {

    private static final String KEY = "fake-key";

    static ProviderCapabilities capabilities() {
        return ProviderCapabilities.builder()
                .trainingKinds(TrainingKind.SUBJECT, TrainingKind.STYLE)
                .baseModels(List.of("fake-base"))
                .trainingRange("steps", 1, 5000)
                .supportsCancel(true)
                .supportsDelete(true)
                .supportsList(true)
                .listIncludesStatus(true)
                .listIncludesNames(true)
                .supportsGenerate(true)
                .loras(5, 0, 1)
                .build();
    }

    /** The fake's configuration: nothing listens at its base URL, the fake has no server. */
    static ProviderConfig config(String key) {
        return ProviderConfig.builder()
                .providerId("fake")
                .apiKey(key)
                .baseUrl("http://127.0.0.1:9")
                .build();
    }

    /** Registered in the test resources, so discovery finds {@code fake}. */
    public static final class FakeFactory implements TrainingProviderFactory {
        @Override
        public String id() {
            return "fake";
        }

        @Override
        public TrainingProvider create(ProviderConfig config) {
            return FakeTrainingProvider.builder().capabilities(capabilities()).build();
        }
    }

    /** Stands in for a simulator: shares the fake's clock and scripts faults as the adapter would see them. */
    static final class FakeSim implements ProviderSimulator {
        final VirtualClock clock = VirtualClock.manual();
        final Map<Endpoint, Deque<Fault>> faults = new EnumMap<>(Endpoint.class);
        final Map<Endpoint, Integer> counts = new EnumMap<>(Endpoint.class);
        FakeTrainingProvider fake = build(TaskDurations.of(
                java.time.Duration.ofMinutes(1), java.time.Duration.ofMinutes(8), java.time.Duration.ofMinutes(1)));

        FakeTrainingProvider build(TaskDurations d) {
            return FakeTrainingProvider.builder()
                    .capabilities(capabilities())
                    .clock(clock)
                    .durations(d)
                    .build();
        }

        @Override
        public String providerId() {
            return "fake";
        }

        @Override
        public String apiKey() {
            return KEY;
        }

        @Override
        public ProviderConfig config() {
            return FakeContractTest.config(KEY);
        }

        @Override
        public VirtualClock clock() {
            return clock;
        }

        @Override
        public void failNext(Endpoint endpoint, Fault fault) {
            faults.computeIfAbsent(endpoint, e -> new ArrayDeque<>()).add(fault);
        }

        @Override
        public int requestCount(Endpoint endpoint) {
            return endpoint == Endpoint.ANY
                    ? counts.values().stream().mapToInt(Integer::intValue).sum()
                    : counts.getOrDefault(endpoint, 0);
        }

        @Override
        public int tasksCreated() {
            return fake.taskCount();
        }

        @Override
        public void failNextTraining(String reason) {
            fake.failNextTraining(reason);
        }

        @Override
        public void forceRawStatus(String taskId, String rawStatus) {
            fake.forceRawStatus(taskId, rawStatus);
        }

        @Override
        public void durations(TaskDurations durations) {
            fake = build(durations);
        }

        <T> T call(Endpoint endpoint, String key, Supplier<T> call) {
            counts.merge(endpoint, 1, Integer::sum);
            if (!KEY.equals(key)) {
                throw new AuthenticationException(
                        "fake", endpoint.name(), "the service rejected the API key", 401, null, null);
            }
            Deque<Fault> q = faults.get(endpoint);
            Fault f = q == null ? null : q.poll();
            if (f == null) {
                return call.get();
            }
            String op = endpoint.name().toLowerCase(java.util.Locale.ROOT);
            switch (f.kind()) {
                case RATE_LIMITED ->
                    throw new RateLimitedException("fake", op, "rate limited", 429, null, f.duration(), null);
                case MALFORMED_JSON -> throw new MalformedResponseException("fake", op, "bad JSON", 200, null, null);
                case INVALID_KEY, ERROR_BODY_200 ->
                    throw new AuthenticationException("fake", op, "bad key", 401, null, null);
                case INSUFFICIENT_BALANCE ->
                    throw new QuotaExceededException("fake", op, "no balance", 402, null, null);
                case ACCEPTED_BUT_LOST -> {
                    call.get();
                    throw new ProviderUnavailableException("fake", op, "connection reset", null, null, null);
                }
                default -> throw new ProviderUnavailableException("fake", op, f.toString(), f.status(), null, null);
            }
        }
    }

    /** The fake behind a key check and the scripted faults; validation runs first, as an adapter's does. */
    static final class Wired extends ForwardingTrainingProvider {
        private final FakeSim sim;
        private final String key;

        Wired(FakeSim sim, String key) {
            super(sim.fake);
            this.sim = sim;
            this.key = key;
        }

        @Override
        public TrainingTask create(TrainingRequest request) {
            info().capabilities().validate("fake", request);
            return sim.call(Endpoint.CREATE, key, () -> super.create(request));
        }

        @Override
        public TrainingTask status(TaskId id) {
            return sim.call(Endpoint.STATUS, key, () -> super.status(id));
        }

        @Override
        public Page<TrainingTask> list(PageRequest page) {
            return sim.call(Endpoint.LIST, key, () -> super.list(page));
        }

        @Override
        public void cancel(TaskId id) {
            sim.call(Endpoint.CANCEL, key, () -> {
                super.cancel(id);
                return null;
            });
        }

        @Override
        public GenerationResult generate(GenerationRequest request) {
            return sim.call(Endpoint.GENERATE, key, () -> super.generate(request));
        }
    }

    private final FakeSim sim = new FakeSim();

    @Override
    protected ProviderSimulator simulator() {
        return sim;
    }

    @Override
    protected TrainingProvider provider(ProviderConfig config) {
        return new Wired(sim, config.apiKey().orElse(""));
    }

    @Override
    protected Class<? extends TrainingProvider> expectedProviderClass() {
        return FakeTrainingProvider.class;
    }

    @Override
    protected void checkImage(URI url) {
        // The fake has no server: its URLs only have to be well-formed and on its own host.
        assertThat(url.getHost()).isEqualTo("fake.invalid");
    }
}
