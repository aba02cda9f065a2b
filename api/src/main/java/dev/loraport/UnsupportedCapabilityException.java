package dev.loraport;

/**
 * The provider does not offer the operation (for example {@code cancel} on Novita). Not retryable; check
 * {@link ProviderCapabilities} first.
 *
 * @since 0.1
 */
public class UnsupportedCapabilityException extends TrainingProviderException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param providerId the provider id
     * @param operation the operation that is not offered
     * @param description why, in this library's words
     */
    public UnsupportedCapabilityException(String providerId, String operation, String description) {
        super(providerId, operation, description, null, null, null);
    }

    /**
     * The standard exception for an operation a provider does not offer.
     *
     * @param providerId the provider id
     * @param operation the operation
     * @return the exception, naming both
     */
    public static UnsupportedCapabilityException of(String providerId, String operation) {
        return new UnsupportedCapabilityException(
                providerId, operation, "provider '" + providerId + "' does not support '" + operation + "'");
    }
}
