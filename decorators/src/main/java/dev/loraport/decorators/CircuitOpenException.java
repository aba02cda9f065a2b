package dev.loraport.decorators;

import dev.loraport.ProviderUnavailableException;

/**
 * The provider's circuit breaker is open after repeated unavailability, so the call was not sent. Not
 * retryable right away: retrying would only meet the open breaker again; try after the breaker's wait.
 *
 * @since 0.1
 */
public final class CircuitOpenException extends ProviderUnavailableException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param providerId the provider id
     * @param operation the operation that was not sent
     */
    public CircuitOpenException(String providerId, String operation) {
        super(
                providerId,
                operation,
                "circuit breaker open after repeated failures; the call was not sent",
                null,
                null,
                null);
    }

    /**
     * Not retryable: the breaker stays open for its configured wait.
     *
     * @return {@code false}
     */
    @Override
    public boolean isRetryable() {
        return false;
    }
}
