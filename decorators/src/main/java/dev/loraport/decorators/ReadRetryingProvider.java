package dev.loraport.decorators;

import dev.loraport.Operation;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingProviderException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries what is safe to repeat: reads ({@code status}, {@code list}) are retried when the exception says
 * {@link TrainingProviderException#isRetryable()}, with exponential backoff and jitter, or the service's
 * retry-after when it sent one. {@code cancel}, {@code delete} and {@code generate} are never retried here: they
 * change state or cost money, and the adapters poll generation results themselves. {@code create} passes through
 * untouched: {@link CreateReconciler}, above this decorator, owns its attempts.
 */
final class ReadRetryingProvider extends InterceptingProvider {

    private static final Logger log = LoggerFactory.getLogger(ReadRetryingProvider.class);

    private final Backoff backoff;
    private final LoraportMetrics metrics;

    ReadRetryingProvider(TrainingProvider delegate, Backoff backoff, LoraportMetrics metrics) {
        super(delegate);
        this.backoff = backoff;
        this.metrics = metrics;
    }

    @Override
    <T> T intercept(Operation operation, Supplier<T> call) {
        switch (operation) {
            case STATUS, LIST:
                return retrying(operation, call);
            case CREATE:
                // Counted and repeated by the reconciler above, which alone knows whether resending is safe.
                return call.get();
            default:
                metrics.attempt(operation);
                log.debug("loraport {} {}: attempt 1 of 1", metrics.providerId(), operation);
                return call.get();
        }
    }

    private <T> T retrying(Operation operation, Supplier<T> call) {
        int max = backoff.settings().maxAttempts();
        for (int attempt = 1; ; attempt++) {
            metrics.attempt(operation);
            log.debug("loraport {} {}: attempt {} of {}", metrics.providerId(), operation, attempt, max);
            try {
                return call.get();
            } catch (TrainingProviderException e) {
                if (!e.isRetryable()) {
                    throw e;
                }
                if (attempt >= max) {
                    log.warn(
                            "loraport {} {}: giving up after {} attempts: {}",
                            metrics.providerId(),
                            operation,
                            attempt,
                            e.getMessage());
                    throw e;
                }
                backoff.pause(operation, attempt, e);
            }
        }
    }
}
