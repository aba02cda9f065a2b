package dev.loraport.adapter.internal;

import dev.loraport.TrainingProviderException;
import org.jspecify.annotations.Nullable;

/**
 * How one service reports a failed call in a JSON body: each adapter's {@code <Name>Errors} implements it, and
 * {@link AdapterHttp#judge} asks it about every answer whose body is a JSON object. Bodies that are not JSON are
 * mapped from their status alone before this is asked. Implementations are stateless and thread-safe.
 */
public interface ServiceErrors {

    /**
     * The exception for an answer with a non-2xx status.
     *
     * @param operation the operation, for the exception
     * @param answer the answer; its {@link Answer#json()} is not null
     * @return the exception to throw
     */
    TrainingProviderException fromErrorStatus(String operation, Answer answer);

    /**
     * The error a 2xx body reports, the hook for services that answer HTTP 200 with an error inside: read as data,
     * such a body would look like an empty success.
     *
     * @param operation the operation, for the exception
     * @param answer the answer; its {@link Answer#json()} is not null
     * @return the exception to throw, or null when the body is a real success
     */
    @Nullable
    TrainingProviderException insideSuccess(String operation, Answer answer);
}
