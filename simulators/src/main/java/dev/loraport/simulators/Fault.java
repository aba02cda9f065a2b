package dev.loraport.simulators;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A failure a simulator injects instead of (or after) its normal answer. Immutable.
 *
 * @since 0.1
 */
public final class Fault {

    /** What kind of failure. */
    public enum Kind {
        /** HTTP 429, with or without a retry-after. */
        RATE_LIMITED,
        /** HTTP 5xx with the service's error body. */
        SERVER_ERROR,
        /** The normal answer, after a delay (longer than the client's timeout). */
        DELAY,
        /** The connection is reset before any answer. */
        CONNECTION_RESET,
        /** HTTP 200 with a body that is not valid JSON. */
        MALFORMED_JSON,
        /** HTTP 502 with an HTML page. */
        HTML_ERROR_PAGE,
        /** The service's error JSON with HTTP 200 (ModelsLab does this). */
        ERROR_BODY_200,
        /** The service's "insufficient balance" error. */
        INSUFFICIENT_BALANCE,
        /** The service's "invalid key" error. */
        INVALID_KEY,
        /** The request is processed (a job is created) but the connection is reset before the answer. */
        ACCEPTED_BUT_LOST
    }

    private final Kind kind;
    private final int status;
    private final @Nullable Duration duration;

    private Fault(Kind kind, int status, @Nullable Duration duration) {
        this.kind = kind;
        this.status = status;
        this.duration = duration;
    }

    /**
     * HTTP 429 asking the client to wait.
     *
     * @param retryAfter the wait, sent as {@code Retry-After} (and {@code retry_after} where the service uses it)
     * @return the fault
     */
    public static Fault rateLimited(Duration retryAfter) {
        return new Fault(Kind.RATE_LIMITED, 429, Objects.requireNonNull(retryAfter, "retryAfter == null"));
    }

    /**
     * HTTP 429 without any retry-after.
     *
     * @return the fault
     */
    public static Fault rateLimited() {
        return new Fault(Kind.RATE_LIMITED, 429, null);
    }

    /**
     * An HTTP 5xx.
     *
     * @param status 500 to 599
     * @return the fault
     */
    public static Fault serverError(int status) {
        if (status < 500 || status > 599) {
            throw new IllegalArgumentException("status: " + status + " is out of range; allowed 500..599");
        }
        return new Fault(Kind.SERVER_ERROR, status, null);
    }

    /**
     * The normal answer after a delay.
     *
     * @param delay how long, real time
     * @return the fault
     */
    public static Fault delay(Duration delay) {
        return new Fault(Kind.DELAY, 200, Objects.requireNonNull(delay, "delay == null"));
    }

    /**
     * A connection reset.
     *
     * @return the fault
     */
    public static Fault connectionReset() {
        return new Fault(Kind.CONNECTION_RESET, 0, null);
    }

    /**
     * HTTP 200 with broken JSON.
     *
     * @return the fault
     */
    public static Fault malformedJson() {
        return new Fault(Kind.MALFORMED_JSON, 200, null);
    }

    /**
     * HTTP 502 with an HTML page, as a load balancer sends.
     *
     * @return the fault
     */
    public static Fault htmlErrorPage() {
        return new Fault(Kind.HTML_ERROR_PAGE, 502, null);
    }

    /**
     * The service's error JSON with HTTP 200.
     *
     * @return the fault
     */
    public static Fault errorBody200() {
        return new Fault(Kind.ERROR_BODY_200, 200, null);
    }

    /**
     * The service's insufficient-balance error.
     *
     * @return the fault
     */
    public static Fault insufficientBalance() {
        return new Fault(Kind.INSUFFICIENT_BALANCE, 400, null);
    }

    /**
     * The service's invalid-key error.
     *
     * @return the fault
     */
    public static Fault invalidKey() {
        return new Fault(Kind.INVALID_KEY, 401, null);
    }

    /**
     * The request takes effect (a create makes a job) but the client sees a connection reset.
     *
     * @return the fault
     */
    public static Fault acceptedButLost() {
        return new Fault(Kind.ACCEPTED_BUT_LOST, 0, null);
    }

    /**
     * The kind.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The HTTP status it answers with, 0 when it answers none.
     *
     * @return the status
     */
    public int status() {
        return status;
    }

    /**
     * The retry-after or delay, when the kind has one.
     *
     * @return the duration, or null
     */
    public @Nullable Duration duration() {
        return duration;
    }

    @Override
    public String toString() {
        return "Fault{" + kind + (status > 0 ? " " + status : "") + (duration == null ? "" : " " + duration) + "}";
    }
}
