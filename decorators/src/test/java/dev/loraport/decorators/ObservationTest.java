package dev.loraport.decorators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loraport.ProviderConfig;
import dev.loraport.ProviderUnavailableException;
import dev.loraport.TaskId;
import dev.loraport.TaskNotFoundException;
import dev.loraport.TrainingImage;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingRequest;
import dev.loraport.decorators.ScriptedProvider.Op;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** One Observation per logical call, and the {@code loraport.requests} timer exactly once, with or without one. */
@Tag("issue-18")
class ObservationTest {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0};

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ScriptedProvider adapter = new ScriptedProvider(true);

    private TrainingProvider stack(ObservationRegistry observations, LoraportObservationConvention convention) {
        ProviderStack.Builder b = ProviderStack.builder()
                .config(ProviderConfig.builder()
                        .providerId("scripted")
                        .option("ratelimit.enabled", "false")
                        .build())
                .adapter(adapter)
                .meterRegistry(meters)
                .observationRegistry(observations)
                .sleeper(d -> {})
                .random(new Random(1));
        if (convention != null) {
            b.observationConvention(convention);
        }
        return b.build();
    }

    private static TrainingRequest request() {
        return TrainingRequest.builder()
                .name("alice")
                .kind(TrainingKind.SUBJECT)
                .baseModel("m")
                .clientReference("ref-alice-1")
                .addImage(TrainingImage.ofBytes("a.png", PNG))
                .build();
    }

    private long timed(String operation, String outcome) {
        return meters
                .find(LoraportMetrics.REQUESTS)
                .tags(LoraportMetrics.TAG_OPERATION, operation, LoraportMetrics.TAG_OUTCOME, outcome)
                .timers()
                .stream()
                .mapToLong(Timer::count)
                .sum();
    }

    @Test
    void eachLogicalCallIsOneObservationWithLowAndHighCardinalityKeys() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        TrainingProvider p = stack(observations, null);

        TaskId id = p.create(request()).id();
        adapter.failNext(
                Op.STATUS, () -> new ProviderUnavailableException("scripted", "status", "503", 503, null, null));
        p.status(id);

        assertThat(adapter.calls(Op.STATUS)).as("the read was retried").isEqualTo(2);
        TestObservationRegistryAssert.assertThat(observations)
                .hasNumberOfObservationsWithNameEqualTo(LoraportMetrics.REQUESTS, 2)
                .hasAnObservation(o -> o.hasContextualNameEqualTo("loraport create")
                        .hasLowCardinalityKeyValue("provider", "scripted")
                        .hasLowCardinalityKeyValue("operation", "create")
                        .hasLowCardinalityKeyValue("outcome", "success")
                        .hasLowCardinalityKeyValue("exception", "none")
                        .hasHighCardinalityKeyValue("loraport.task.id", id.value())
                        .hasHighCardinalityKeyValue("loraport.client.reference", "ref-alice-1"))
                .hasAnObservation(o -> o.hasContextualNameEqualTo("loraport status")
                        .hasHighCardinalityKeyValue("loraport.task.id", id.value())
                        .doesNotHaveHighCardinalityKeyValueWithKey("loraport.client.reference")
                        .hasLowCardinalityKeyValue("outcome", "success"));
    }

    @Test
    void aFailedCallIsObservedWithItsErrorAndOutcome() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        TrainingProvider p = stack(observations, null);

        assertThatThrownBy(() -> p.status(TaskId.of("missing"))).isInstanceOf(TaskNotFoundException.class);

        TestObservationRegistryAssert.assertThat(observations)
                .hasSingleObservationThat()
                .hasLowCardinalityKeyValue("outcome", "client_error")
                .hasLowCardinalityKeyValue("exception", "TaskNotFoundException")
                .hasHighCardinalityKeyValue("loraport.task.id", "missing")
                .assertThatError()
                .isInstanceOf(TaskNotFoundException.class);
        assertThat(timed("status", "client_error")).isEqualTo(1);
    }

    @Test
    void anObservationRegistryWithoutAMeterHandlerStillGetsTheTimer() {
        TrainingProvider p = stack(TestObservationRegistry.create(), null);

        TaskId id = p.create(request()).id();
        p.status(id);
        p.status(id);

        assertThat(timed("create", "success")).isEqualTo(1);
        assertThat(timed("status", "success")).isEqualTo(2);
    }

    @Test
    void aMeterHandlerTimesEachCallOnceUnderTheSameNameAndTags() {
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        TrainingProvider p = stack(observations, null);

        TaskId id = p.create(request()).id();
        p.status(id);

        assertThat(timed("create", "success")).isEqualTo(1);
        assertThat(timed("status", "success")).isEqualTo(1);
        assertThat(meters.find(LoraportMetrics.REQUESTS).timers())
                .as("one series per operation, not ours and the handler's")
                .hasSize(2)
                .allSatisfy(t -> assertThat(t.getId().getTag(LoraportMetrics.TAG_PROVIDER))
                        .isEqualTo("scripted"));
        assertThat(meters.find(LoraportMetrics.REQUESTS).timers())
                .allSatisfy(t -> assertThat(t.getId().getTags())
                        .noneMatch(tag -> tag.getKey().startsWith("loraport.")));
    }

    @Test
    void aConventionOfTheCallersRenamesAndRelabels() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        TrainingProvider p = stack(observations, new DefaultLoraportObservationConvention() {
            @Override
            public String getName() {
                return "training.calls";
            }

            @Override
            public KeyValues getLowCardinalityKeyValues(LoraportObservationContext context) {
                return super.getLowCardinalityKeyValues(context).and("team", "imaging");
            }
        });

        p.list(dev.loraport.PageRequest.first(10));

        TestObservationRegistryAssert.assertThat(observations)
                .hasSingleObservationThat()
                .hasNameEqualTo("training.calls")
                .hasLowCardinalityKeyValue("team", "imaging")
                .hasLowCardinalityKeyValue("operation", "list");
    }

    @Test
    void metricsOffMeansNeitherTimerNorObservation() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        TrainingProvider p = ProviderStack.builder()
                .config(ProviderConfig.builder()
                        .providerId("scripted")
                        .globalOption("metrics.enabled", "false")
                        .option("ratelimit.enabled", "false")
                        .build())
                .adapter(adapter)
                .meterRegistry(meters)
                .observationRegistry(observations)
                .build();

        p.status(p.create(request()).id());

        TestObservationRegistryAssert.assertThat(observations).doesNotHaveAnyObservation();
        assertThat(meters.find(LoraportMetrics.REQUESTS).timers()).isEmpty();
    }
}
