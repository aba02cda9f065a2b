package dev.loraport.decorators;

import java.time.Duration;
import java.util.Optional;

/**
 * A rate limit that several stacks share (threads, JVMs, machines): one budget of permits per provider account,
 * which every stack of that account draws on, in place of the limiter each stack keeps for itself. Given to
 * {@link ProviderStack.Builder#rateLimit(SharedRateLimit)}; the stack still reads its rate and longest wait from
 * {@code ratelimit.permits-per-second} and {@code ratelimit.max-wait}, and waits through its own {@link Sleeper}.
 *
 * <pre>{@code
 * SharedRateLimit limit = PostgresRateLimit.builder(dataSource).build();   // loraport-store-postgres
 * TrainingProvider provider = ProviderStack.builder().config(config).rateLimit(limit).build();
 * }</pre>
 *
 * <p>Implementations are thread-safe, and so are the budgets they return.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface SharedRateLimit {

    /**
     * The budget of one provider account: every budget of the same provider id and account, in this JVM or
     * another, draws on the same permits. Called once per stack, when it is built; should not connect anywhere.
     *
     * @param providerId the provider id, such as {@code novita}
     * @param account the account fingerprint ({@link dev.loraport.watch.CreateIntent#fingerprint(String)}), never
     *     the key itself
     * @param permitsPerSecond the stack's {@code ratelimit.permits-per-second}; positive
     * @return the account's budget
     */
    Budget budget(String providerId, String account, double permitsPerSecond);

    /**
     * Permits of one provider account. Thread-safe.
     *
     * @since 0.1
     */
    @FunctionalInterface
    interface Budget {

        /**
         * Takes one permit, or none: the permit is the caller's once this returns, to be used after the returned
         * wait; the caller waits, the budget does not block.
         *
         * @param maxWait the longest wait the caller accepts; zero or positive
         * @return how long to wait before the call (zero: at once), at most {@code maxWait}; empty when no permit
         *     is to be had within {@code maxWait}, and then none is taken
         * @throws RuntimeException when the budget cannot be read (an implementation says which, such as
         *     {@link java.io.UncheckedIOException} for a database); the call is then not made
         */
        Optional<Duration> reserve(Duration maxWait);
    }
}
