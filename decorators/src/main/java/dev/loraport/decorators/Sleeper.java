package dev.loraport.decorators;

import java.time.Duration;

/**
 * Waits between attempts. The default sleeps the calling thread; tests and simulations pass one that
 * advances a virtual clock instead. Implementations are thread-safe.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface Sleeper {

    /**
     * Waits for a duration.
     *
     * @param duration how long; zero or positive
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    void sleep(Duration duration) throws InterruptedException;

    /**
     * The sleeper that blocks the calling thread for real.
     *
     * @return {@link Thread#sleep(long, int)} as a sleeper
     */
    static Sleeper system() {
        return d -> {
            if (!d.isZero() && !d.isNegative()) {
                Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
            }
        };
    }
}
