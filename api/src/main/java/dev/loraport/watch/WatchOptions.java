package dev.loraport.watch;

import dev.loraport.TaskTimeoutException;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How to watch one job. Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class WatchOptions {

    private static final WatchOptions DEFAULTS = new WatchOptions(new TaskListener() {}, null, null);

    final TaskListener listener;
    final @Nullable Duration timeout;
    final @Nullable String clientReference;

    private WatchOptions(TaskListener listener, @Nullable Duration timeout, @Nullable String clientReference) {
        this.listener = listener;
        this.timeout = timeout;
        this.clientReference = clientReference;
    }

    /**
     * No listener, no timeout, no client reference.
     *
     * @return the default options
     */
    public static WatchOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A new builder starting from the defaults.
     *
     * @return the builder
     */
    public static WatchOptions.Builder builder() {
        return new WatchOptions.Builder();
    }

    @Override
    public String toString() {
        return "WatchOptions{timeout=" + timeout + ", clientReference=" + clientReference + "}";
    }

    /** Builds {@link WatchOptions}. Not thread-safe. */
    public static final class Builder {
        private TaskListener listener = DEFAULTS.listener;
        private @Nullable Duration timeout;
        private @Nullable String clientReference;

        private Builder() {}

        /**
         * Sets the listener.
         *
         * @param listener receives the job's changes
         * @return this builder
         */
        public Builder listener(TaskListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener == null");
            return this;
        }

        /**
         * Ends the watch with {@link TaskTimeoutException} if the job is not terminal this long after the
         * watch starts, on the watcher's scheduler time.
         *
         * @param timeout the timeout, or null for none (the default)
         * @return this builder
         */
        public Builder timeout(@Nullable Duration timeout) {
            if (timeout != null && timeout.isNegative()) {
                throw new IllegalArgumentException("timeout: " + timeout + " is negative");
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Sets the caller's own reference, kept in the job's {@link TaskRef}.
         *
         * @param clientReference the reference, or null
         * @return this builder
         */
        public Builder clientReference(@Nullable String clientReference) {
            this.clientReference = clientReference;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         */
        public WatchOptions build() {
            return new WatchOptions(listener, timeout, clientReference);
        }
    }
}
