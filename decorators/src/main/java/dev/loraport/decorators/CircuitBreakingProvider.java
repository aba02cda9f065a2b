package dev.loraport.decorators;

import dev.loraport.Operation;
import dev.loraport.ProviderUnavailableException;
import dev.loraport.TrainingProvider;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.function.Supplier;

/**
 * Fails fast while the service is down. Only unavailability (5xx, I/O, timeouts) counts as failure: a 4xx is
 * the caller's problem and must not open the breaker for everyone.
 */
final class CircuitBreakingProvider extends InterceptingProvider {

    private final CircuitBreaker breaker;
    private final String providerId;

    CircuitBreakingProvider(TrainingProvider delegate, CircuitBreaker breaker, String providerId) {
        super(delegate);
        this.breaker = breaker;
        this.providerId = providerId;
    }

    static boolean isFailure(Throwable e) {
        return e instanceof ProviderUnavailableException && !(e instanceof CircuitOpenException);
    }

    @Override
    <T> T intercept(Operation operation, Supplier<T> call) {
        try {
            return breaker.executeSupplier(call);
        } catch (CallNotPermittedException e) {
            throw new CircuitOpenException(providerId, operation.id());
        }
    }
}
