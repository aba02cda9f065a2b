package dev.loraport.adapter.internal;

import dev.loraport.MalformedResponseException;
import dev.loraport.TrainingProviderException;
import dev.loraport.internal.config.ConfigValues;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Makes sure nothing but a {@link TrainingProviderException} leaves an adapter's public methods: a bug, or an
 * answer shaped in a way the adapter never expected, surfaces as a typed error carrying the provider id and the
 * operation, with the API key scrubbed from every message of the exception and its causes.
 *
 * <p>A create is special: once its request may have reached the service, a job may exist, so an unexpected
 * failure afterwards is a {@link MalformedResponseException}, which the decorators reconcile (look the job up)
 * instead of sending the create again. The adapter says when that point is reached with {@link Sent#mark()}.
 *
 * <pre>{@code
 * private final AdapterGuard guard = new AdapterGuard(ID, settings.apiKey());
 *
 * public TrainingTask status(TaskId id) {
 *     return guard.call("status", () -> doStatus(id));
 * }
 *
 * public TrainingTask create(TrainingRequest request) {
 *     return guard.create("create", sent -> doCreate(request, sent));   // doCreate calls sent.mark() before the POST
 * }
 * }</pre>
 *
 * <p>{@link CancellationException} (the thread was interrupted while waiting, the SPI's documented signal) and
 * {@link Error}s pass through unchanged. Thread-safe.
 */
public final class AdapterGuard {

    private final String providerId;
    private final @Nullable String secret;

    /**
     * A guard for one adapter.
     *
     * @param providerId the provider id, for the exceptions
     * @param secret the API key to scrub from messages, or null
     */
    public AdapterGuard(String providerId, @Nullable String secret) {
        this.providerId = Objects.requireNonNull(providerId, "providerId == null");
        this.secret = secret;
    }

    /**
     * Runs an operation whose unexpected failures become a {@link TrainingProviderException}.
     *
     * @param operation the operation, such as {@code status}
     * @param body the work
     * @param <T> the result type
     * @return what the work returned
     * @throws TrainingProviderException the work's own, unchanged, or one wrapping anything else it threw
     */
    public <T> T call(String operation, Supplier<T> body) {
        try {
            return body.get();
        } catch (TrainingProviderException | CancellationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw unexpected(operation, e, false);
        }
    }

    /**
     * Runs an operation without result (see {@link #call(String, Supplier)}).
     *
     * @param operation the operation
     * @param body the work
     */
    public void run(String operation, Runnable body) {
        call(operation, () -> {
            body.run();
            return null;
        });
    }

    /**
     * Runs a create: an unexpected failure before {@link Sent#mark()} is a {@link TrainingProviderException}; after
     * it, a {@link MalformedResponseException} saying the job may exist.
     *
     * @param operation the operation, usually {@code create}
     * @param body the work; it calls {@link Sent#mark()} just before the request that may start a job
     * @param <T> the result type
     * @return what the work returned
     */
    public <T> T create(String operation, Function<Sent, T> body) {
        Sent sent = new Sent();
        try {
            return body.apply(sent);
        } catch (TrainingProviderException | CancellationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw unexpected(operation, e, sent.marked);
        }
    }

    /**
     * The exception for an unexpected failure, key scrubbed.
     *
     * @param operation the operation
     * @param e what was thrown
     * @param mayHaveStartedAJob whether a create request may have reached the service
     * @return the typed exception
     */
    public TrainingProviderException unexpected(String operation, RuntimeException e, boolean mayHaveStartedAJob) {
        String what = "unexpected " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : " (" + clip(redact(e.getMessage())) + ")");
        Throwable cause = scrubbed(e, 0);
        if (mayHaveStartedAJob) {
            return new MalformedResponseException(
                    providerId, operation, what + " after the request was sent; the job may exist", null, null, cause);
        }
        return new TrainingProviderException(providerId, operation, what, null, null, cause);
    }

    private String redact(String text) {
        String out = ConfigValues.redact(text, secret);
        return out == null ? "" : out;
    }

    private static String clip(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    /** A copy of the cause chain whose messages carry no key, with the original stack traces. */
    private @Nullable Throwable scrubbed(@Nullable Throwable t, int depth) {
        if (t == null || depth > 8) {
            return null;
        }
        String message = t.getMessage() == null ? null : redact(t.getMessage());
        Throwable next = scrubbed(t.getCause() == t ? null : t.getCause(), depth + 1);
        Throwable copy = new ScrubbedCause(t.getClass().getName() + (message == null ? "" : ": " + message), next);
        copy.setStackTrace(t.getStackTrace());
        return copy;
    }

    /** Marks the point of a create after which a job may exist at the service. Not thread-safe. */
    public static final class Sent {
        private boolean marked;

        private Sent() {}

        /** Records that the request that may start a job is about to be sent. */
        public void mark() {
            marked = true;
        }

        /**
         * Whether {@link #mark()} was called.
         *
         * @return the flag
         */
        public boolean marked() {
            return marked;
        }
    }

    /** Stands for an original exception whose message was scrubbed; its message names the original class. */
    static final class ScrubbedCause extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ScrubbedCause(String message, @Nullable Throwable cause) {
            super(message, cause, false, true);
        }

        @Override
        public String toString() {
            return String.valueOf(getMessage());
        }
    }
}
