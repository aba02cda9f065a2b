package dev.loraport.decorators;

import dev.loraport.Operation;
import dev.loraport.TaskId;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingTask;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Observes every logical call as one {@link Observation} ({@link LoraportObservationContext}) and times it in
 * {@link LoraportMetrics#REQUESTS}. Outermost but for the MDC, so a retried call is observed once.
 *
 * <p>One timer per call, whichever registry holds the handlers: when a meter handler of the observation registry
 * times the observation (it leaves a {@link Timer.Sample} in the context, as Micrometer's
 * {@code DefaultMeterObservationHandler} does, named after the observation), that timer is the one; otherwise (no
 * observation registry, or one without a meter handler) this decorator records the timer itself, so the meters
 * never vanish because an observation registry was given.
 */
final class MeteredProvider extends InterceptingProvider {

    private final LoraportMetrics metrics;
    private final ObservationRegistry observations;
    private final @Nullable LoraportObservationConvention convention;

    MeteredProvider(
            TrainingProvider delegate,
            LoraportMetrics metrics,
            ObservationRegistry observations,
            @Nullable LoraportObservationConvention convention) {
        super(delegate);
        this.metrics = metrics;
        this.observations = observations;
        this.convention = convention;
    }

    @Override
    <T> T intercept(Operation operation, Supplier<T> call) {
        return intercept(new Call(operation, null, null), call);
    }

    @Override
    <T> T intercept(Call call, Supplier<T> body) {
        TaskId named = call.taskId();
        LoraportObservationContext context = new LoraportObservationContext(
                metrics.providerId(), call.operation(), named == null ? null : named.value(), call.clientReference());
        Observation observation = Observation.createNotStarted(
                        convention, DefaultLoraportObservationConvention.INSTANCE, () -> context, observations)
                .start();
        Timer.Sample sample = context.get(Timer.Sample.class) != null ? null : Timer.start(metrics.registry());
        RuntimeException failure = null;
        try (Observation.Scope ignored = observation.openScope()) {
            T result = body.get();
            if (result instanceof TrainingTask task && context.taskId() == null) {
                context.taskId(task.id().value());
            }
            return result;
        } catch (RuntimeException e) {
            failure = e;
            observation.error(e);
            throw e;
        } finally {
            observation.stop();
            if (sample != null) {
                sample.stop(timer(call.operation(), failure));
            }
        }
    }

    private Timer timer(Operation operation, @Nullable RuntimeException failure) {
        return Timer.builder(LoraportMetrics.REQUESTS)
                .tag(LoraportMetrics.TAG_PROVIDER, metrics.providerId())
                .tag(LoraportMetrics.TAG_OPERATION, operation.id())
                .tag(
                        LoraportMetrics.TAG_OUTCOME,
                        LoraportMetrics.Outcome.of(failure).asTag())
                .tag(
                        LoraportMetrics.TAG_EXCEPTION,
                        failure == null ? "none" : failure.getClass().getSimpleName())
                .register(metrics.registry());
    }
}
