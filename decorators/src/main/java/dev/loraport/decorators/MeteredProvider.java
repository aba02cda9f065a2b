package dev.loraport.decorators;

import dev.loraport.Operation;
import dev.loraport.TrainingProvider;
import io.micrometer.core.instrument.Timer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** Times every logical call in {@link LoraportMetrics#REQUESTS}. Outermost, so a retried call is timed once. */
final class MeteredProvider extends InterceptingProvider {

    private final LoraportMetrics metrics;

    MeteredProvider(TrainingProvider delegate, LoraportMetrics metrics) {
        super(delegate);
        this.metrics = metrics;
    }

    @Override
    <T> T intercept(Operation operation, Supplier<T> call) {
        Timer.Sample sample = Timer.start(metrics.registry());
        RuntimeException failure = null;
        try {
            return call.get();
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            sample.stop(timer(operation, failure));
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
