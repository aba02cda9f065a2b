package dev.loraport;

import org.jspecify.annotations.Nullable;

/**
 * A create failed in a way where the service may still have accepted the job (timeout, reset, 5xx, lost
 * response) and the library could not prove either way. Not retryable: submitting again could start and bill
 * a second training. Look for the job carrying {@link #clientReference()} later (its name carries it), or
 * submit again with the same {@link TrainingRequest#clientReference()} so the library looks first.
 *
 * @since 0.1
 */
public class CreateOutcomeUnknownException extends TrainingProviderException {

    private static final long serialVersionUID = 1L;

    /** The reference the job would carry. */
    private final String clientReference;

    /**
     * Creates the exception.
     *
     * @param providerId the provider id
     * @param clientReference the reference the job would carry
     * @param description why the outcome is unknown
     * @param cause the failure of the last create attempt, or null
     */
    public CreateOutcomeUnknownException(
            String providerId, String clientReference, String description, @Nullable Throwable cause) {
        super(providerId, "create", description + " (client reference " + clientReference + ")", null, null, cause);
        this.clientReference = clientReference;
    }

    /**
     * The client reference the job carries in its name if the service accepted it.
     *
     * @return the reference
     */
    public String clientReference() {
        return clientReference;
    }
}
