package dev.loraport.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loraport.AuthenticationException;
import dev.loraport.GenerationRequest;
import dev.loraport.GenerationResult;
import dev.loraport.Page;
import dev.loraport.PageRequest;
import dev.loraport.ProviderConfig;
import dev.loraport.TaskId;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingTask;
import dev.loraport.simulators.TaskDurations;
import dev.loraport.simulators.VirtualClock;
import dev.loraport.spi.ForwardingTrainingProvider;
import java.net.URI;
import java.time.Duration;

/**
 * The behaviour half as a third party adopts it: no {@code ProviderSimulator}, no fault injection, only the
 * five-method {@link ProviderBehaviourContract.Service} over its own double. The double cannot be told to fail a
 * training, so that check is reported as aborted rather than passed.
 */
class FakeBehaviourContractTest extends ProviderBehaviourContract {

    private static final String KEY = "fake-behaviour-key";

    private final VirtualClock clock = VirtualClock.manual();
    private FakeTrainingProvider fake = build(DURATIONS);

    private FakeTrainingProvider build(TaskDurations durations) {
        return FakeTrainingProvider.builder()
                .capabilities(FakeContractTest.capabilities())
                .clock(clock)
                .durations(durations)
                .build();
    }

    @Override
    protected Service service() {
        return new Service() {
            @Override
            public ProviderConfig config() {
                return FakeContractTest.config(KEY);
            }

            @Override
            public void durations(TaskDurations durations) {
                fake = build(durations);
            }

            @Override
            public void advance(Duration by) {
                clock.advance(by);
            }
        };
    }

    @Override
    protected TrainingProvider provider(ProviderConfig config) {
        String key = config.apiKey().orElse("");
        return new ForwardingTrainingProvider(fake) {
            private void checkKey() {
                if (!KEY.equals(key)) {
                    throw new AuthenticationException(
                            "fake", "call", "the service rejected the API key", 401, null, null);
                }
            }

            @Override
            public TrainingTask create(TrainingRequest request) {
                info().capabilities().validate("fake", request);
                checkKey();
                return super.create(request);
            }

            @Override
            public TrainingTask status(TaskId id) {
                checkKey();
                return super.status(id);
            }

            @Override
            public Page<TrainingTask> list(PageRequest page) {
                checkKey();
                return super.list(page);
            }

            @Override
            public void cancel(TaskId id) {
                checkKey();
                super.cancel(id);
            }

            @Override
            public GenerationResult generate(GenerationRequest request) {
                checkKey();
                return super.generate(request);
            }
        };
    }

    @Override
    protected Class<? extends TrainingProvider> expectedProviderClass() {
        return FakeTrainingProvider.class;
    }

    @Override
    protected void checkImage(URI url) {
        assertThat(url.getHost()).isEqualTo("fake.invalid");
    }
}
