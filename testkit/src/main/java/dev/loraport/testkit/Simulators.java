package dev.loraport.testkit;

import dev.loraport.ProviderConfig;
import dev.loraport.TrainingProvider;
import dev.loraport.decorators.ProviderStack;
import dev.loraport.decorators.SharedRateLimit;
import dev.loraport.decorators.Sleeper;
import dev.loraport.simulators.ProviderSimulator;
import dev.loraport.simulators.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;

/**
 * The full decorated stack on a simulator's virtual clock, and a simulator's configuration as settings.
 *
 * <p>{@link #stack(ProviderSimulator)} builds what {@link ProviderStack#fromConfig(ProviderConfig)} builds (metrics,
 * create reconciler, read retry, circuit breaker, rate limiter, adapter), but every wait of the retry and of the
 * rate limiter advances the simulator's {@link VirtualClock} instead of sleeping: a retry after a 429 with
 * {@code Retry-After: 7} takes no real time, and the simulated task moves on by those 7 seconds, as it would
 * against the real service.
 *
 * <pre>{@code
 * try (TrainingProvider provider = Simulators.stack(novita)) { ... }
 * }</pre>
 *
 * @since 0.1
 */
public final class Simulators {

    private Simulators() {}

    /**
     * The decorated stack on a started simulator, waiting on its virtual clock.
     *
     * @param simulator the simulator; started
     * @return a new provider, which the caller closes
     * @throws IllegalStateException when the simulator is not started
     */
    public static TrainingProvider stack(ProviderSimulator simulator) {
        Objects.requireNonNull(simulator, "simulator == null");
        return builder(simulator).build();
    }

    /**
     * A stack builder set up as {@link #stack(ProviderSimulator)} does (configuration, sleeper, rate limit, clock,
     * fixed jitter seed), for a test that adds its own store, meter registry or settings.
     *
     * @param simulator the simulator; started
     * @return the builder
     * @throws IllegalStateException when the simulator is not started
     */
    public static ProviderStack.Builder builder(ProviderSimulator simulator) {
        Objects.requireNonNull(simulator, "simulator == null");
        VirtualClock clock = simulator.clock();
        return ProviderStack.builder()
                .config(simulator.config())
                .sleeper(sleeper(clock))
                .rateLimit(rateLimit(clock))
                .clock(clock.asJavaClock())
                .random(new Random(0));
    }

    /**
     * A sleeper that advances a virtual clock by each wait and returns at once.
     *
     * @param clock the clock
     * @return the sleeper
     */
    public static Sleeper sleeper(VirtualClock clock) {
        Objects.requireNonNull(clock, "clock == null");
        return d -> {
            if (!d.isZero() && !d.isNegative()) {
                clock.advance(d);
            }
        };
    }

    /**
     * A rate limit that spaces permits on a virtual clock (each stack that uses it shares its budget per provider
     * and account), so the stack's rate limiter waits in virtual time too.
     *
     * @param clock the clock
     * @return the rate limit
     */
    public static SharedRateLimit rateLimit(VirtualClock clock) {
        Objects.requireNonNull(clock, "clock == null");
        Map<String, SharedRateLimit.Budget> budgets = new java.util.concurrent.ConcurrentHashMap<>();
        return (providerId, account, permitsPerSecond) -> budgets.computeIfAbsent(
                providerId + "\u0000" + account, k -> new VirtualBudget(clock, permitsPerSecond));
    }

    /**
     * A simulator's configuration as the settings {@link ProviderStack#fromConfig(Map)} and
     * {@link ProviderConfig#fromMap(Map)} read: {@code loraport.provider}, {@code loraport.<id>.api-key},
     * {@code base-url}, the timeouts and the options.
     *
     * @param simulator the simulator; started
     * @return a new mutable map, in a stable order
     * @throws IllegalStateException when the simulator is not started
     */
    public static Map<String, String> settings(ProviderSimulator simulator) {
        Objects.requireNonNull(simulator, "simulator == null");
        ProviderConfig c = simulator.config();
        Map<String, String> out = new LinkedHashMap<>();
        String id = c.providerId().orElse(simulator.providerId());
        String p = "loraport." + id + ".";
        out.put("loraport.provider", id);
        c.apiKey().ifPresent(k -> out.put(p + "api-key", k));
        c.baseUrl().ifPresent(u -> out.put(p + "base-url", u.toString()));
        c.connectTimeout().ifPresent(d -> out.put(p + "connect-timeout", d.toMillis() + "ms"));
        c.readTimeout().ifPresent(d -> out.put(p + "read-timeout", d.toMillis() + "ms"));
        c.callTimeout().ifPresent(d -> out.put(p + "call-timeout", d.toMillis() + "ms"));
        c.options().forEach((k, v) -> out.put(p + k, v));
        c.globalOptions().forEach((k, v) -> out.put("loraport." + k, v));
        return out;
    }

    /**
     * A simulator's configuration as {@link Properties}, with the keys of {@link #settings(ProviderSimulator)}.
     *
     * @param simulator the simulator; started
     * @return new properties
     * @throws IllegalStateException when the simulator is not started
     */
    public static Properties properties(ProviderSimulator simulator) {
        Properties out = new Properties();
        out.putAll(settings(simulator));
        return out;
    }

    /** One permit every {@code 1 / permitsPerSecond} of virtual time, reserved in order. */
    private static final class VirtualBudget implements SharedRateLimit.Budget {
        private final VirtualClock clock;
        private final Duration interval;
        private Instant next = Instant.MIN;

        VirtualBudget(VirtualClock clock, double permitsPerSecond) {
            this.clock = clock;
            this.interval = Duration.ofNanos(Math.max(1, Math.round(1e9 / permitsPerSecond)));
        }

        @Override
        public synchronized Optional<Duration> reserve(Duration maxWait) {
            Instant now = clock.now();
            Instant slot = next.isAfter(now) ? next : now;
            Duration wait = Duration.between(now, slot);
            if (wait.compareTo(maxWait) > 0) {
                return Optional.empty();
            }
            next = slot.plus(interval);
            return Optional.of(wait);
        }
    }
}
