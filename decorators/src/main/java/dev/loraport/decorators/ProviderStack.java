package dev.loraport.decorators;

import dev.loraport.ProviderConfig;
import dev.loraport.TrainingProvider;
import dev.loraport.spi.TrainingProviders;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRateLimiterMetrics;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * Wraps an adapter in loraport's decorators, configured from its {@link ProviderConfig}:
 *
 * <pre>Metrics(CreateReconciler(ReadRetry(CircuitBreaker(RateLimiter(adapter)))))</pre>
 *
 * <p>so a retried call is timed once, every attempt passes the rate limiter, and an open breaker stops a
 * retry loop. {@link #fromConfig(ProviderConfig)} and {@link #fromEnvironment()} build this stack from
 * configuration alone; use the builder to pass a {@link MeterRegistry} or wrap an adapter built in code.
 * {@link TrainingProviders#create(ProviderConfig)} gives the bare adapter instead.
 *
 * <pre>{@code
 * try (TrainingProvider provider = ProviderStack.fromEnvironment()) { ... } // LORAPORT_PROVIDER, NOVITA_API_KEY...
 *
 * TrainingProvider provider = ProviderStack.builder()
 *     .config(ProviderConfig.fromEnvironment(System.getenv()))
 *     .meterRegistry(registry)
 *     .build();
 * }</pre>
 *
 * <p>Keys, relative to {@code loraport.<id>.} (durations as {@code 500ms}, {@code 30s}, {@code 2m}):
 *
 * <table>
 *   <caption>Decorator settings</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code retry.enabled}</td><td>true</td><td>false: one attempt (create still reconciles)</td></tr>
 *   <tr><td>{@code retry.max-attempts}</td><td>4</td><td>attempts per logical status/list/create</td></tr>
 *   <tr><td>{@code retry.initial-backoff}</td><td>1s</td><td>first wait, doubled each time</td></tr>
 *   <tr><td>{@code retry.multiplier}</td><td>2.0</td><td>backoff growth</td></tr>
 *   <tr><td>{@code retry.max-backoff}</td><td>30s</td><td>longest computed wait</td></tr>
 *   <tr><td>{@code retry.jitter}</td><td>0.5</td><td>each wait varies by ±50 %</td></tr>
 *   <tr><td>{@code retry.max-retry-after}</td><td>60s</td><td>cap on a service's retry-after</td></tr>
 *   <tr><td>{@code reconcile.delay}</td><td>2s</td><td>wait before looking for a possibly accepted job</td></tr>
 *   <tr><td>{@code reconcile.max-pages}</td><td>50</td><td>list pages (of 100) searched for it</td></tr>
 *   <tr><td>{@code ratelimit.enabled}</td><td>true</td><td>space calls to the service</td></tr>
 *   <tr><td>{@code ratelimit.permits-per-second}</td><td>2</td><td>calls per second, all operations</td></tr>
 *   <tr><td>{@code ratelimit.max-wait}</td><td>30s</td><td>longest wait for a permit, then RateLimited</td></tr>
 *   <tr><td>{@code circuitbreaker.enabled}</td><td>true</td><td>fail fast during an outage</td></tr>
 *   <tr><td>{@code circuitbreaker.failure-rate-threshold}</td><td>50</td><td>percent of unavailable calls</td></tr>
 *   <tr><td>{@code circuitbreaker.sliding-window-size}</td><td>20</td><td>calls considered</td></tr>
 *   <tr><td>{@code circuitbreaker.minimum-number-of-calls}</td><td>10</td><td>before the rate counts</td></tr>
 *   <tr><td>{@code circuitbreaker.wait-duration-in-open-state}</td><td>60s</td><td>open time before probing</td></tr>
 *   <tr><td>{@code circuitbreaker.permitted-calls-in-half-open-state}</td><td>2</td><td>probe calls</td></tr>
 * </table>
 *
 * <p>The global key {@code loraport.metrics.enabled} (default true) turns the metrics decorator off.
 *
 * @since 0.1
 */
public final class ProviderStack {

    private ProviderStack() {}

    /**
     * Creates the provider a configuration names, wrapped in the decorators the configuration enables.
     *
     * @param config the configuration; its provider id ({@code loraport.provider}) is required
     * @return a new decorated provider, which the caller closes
     * @throws IllegalStateException when the configuration names no provider or an unknown one
     * @throws IllegalArgumentException naming a configuration key whose value is invalid
     */
    public static TrainingProvider fromConfig(ProviderConfig config) {
        return builder().config(config).build();
    }

    /**
     * Creates the provider named by {@code loraport.provider} in a map of properties, decorated.
     *
     * @param properties the {@code loraport.*} keys
     * @return a new decorated provider
     * @throws IllegalStateException when no provider or an unknown one is named
     */
    public static TrainingProvider fromConfig(Map<String, String> properties) {
        return fromConfig(ProviderConfig.fromMap(properties));
    }

    /**
     * Creates the provider named by {@code loraport.provider} in a properties file's content, decorated.
     *
     * @param properties the {@code loraport.*} keys
     * @return a new decorated provider
     * @throws IllegalStateException when no provider or an unknown one is named
     */
    public static TrainingProvider fromConfig(Properties properties) {
        return fromConfig(ProviderConfig.fromProperties(properties));
    }

    /**
     * Creates the provider named by the {@code LORAPORT_PROVIDER} environment variable, decorated.
     *
     * @return a new decorated provider
     * @throws IllegalStateException when no provider or an unknown one is named
     */
    public static TrainingProvider fromEnvironment() {
        return fromConfig(ProviderConfig.fromEnvironment(System.getenv()));
    }

    /**
     * A new builder.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a decorated provider. Not thread-safe; the provider it builds is. */
    public static final class Builder {
        private @Nullable ProviderConfig config;
        private @Nullable TrainingProvider adapter;
        private @Nullable MeterRegistry registry;
        private Sleeper sleeper = Sleeper.system();
        private Random random = new Random();

        private Builder() {}

        /**
         * Sets the configuration: the provider id, key, URL and the decorator keys.
         *
         * @param config the configuration
         * @return this builder
         */
        public Builder config(ProviderConfig config) {
            this.config = Objects.requireNonNull(config, "config == null");
            return this;
        }

        /**
         * Wraps an adapter built in code instead of creating one from the configuration's provider id.
         *
         * @param adapter the adapter; it is closed when the stack is closed
         * @return this builder
         */
        public Builder adapter(TrainingProvider adapter) {
            this.adapter = Objects.requireNonNull(adapter, "adapter == null");
            return this;
        }

        /**
         * Publishes metrics to a registry (default: Micrometer's global registry).
         *
         * @param registry the registry
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry == null");
            return this;
        }

        /**
         * Replaces how retries and the rate limiter wait, for tests and simulations on a virtual clock.
         *
         * @param sleeper the sleeper
         * @return this builder
         */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper == null");
            return this;
        }

        /**
         * Replaces the source of backoff jitter, for repeatable tests.
         *
         * @param random the random source
         * @return this builder
         */
        public Builder random(Random random) {
            this.random = Objects.requireNonNull(random, "random == null");
            return this;
        }

        /**
         * Builds the stack.
         *
         * @return the decorated provider, which the caller closes
         * @throws IllegalStateException when neither an adapter nor a provider id is given
         * @throws IllegalArgumentException naming a configuration key whose value is invalid
         */
        public TrainingProvider build() {
            ProviderConfig cfg =
                    config != null ? config : ProviderConfig.builder().build();
            TrainingProvider inner = adapter != null ? adapter : TrainingProviders.create(idOf(cfg), cfg);
            String id = inner.info().id();
            MeterRegistry meters = registry != null ? registry : Metrics.globalRegistry;
            LoraportMetrics metrics = new LoraportMetrics(meters, id);
            try {
                return decorate(inner, id, cfg, meters, metrics);
            } catch (RuntimeException e) {
                // A bad decorator key must not leave the adapter's connections and threads open.
                inner.close();
                throw e;
            }
        }

        private TrainingProvider decorate(
                TrainingProvider inner, String id, ProviderConfig cfg, MeterRegistry meters, LoraportMetrics metrics) {
            RetrySettings retry = RetrySettings.from(cfg);
            TrainingProvider p = inner;
            if (cfg.booleanOption("ratelimit.enabled", true)) {
                p = new RateLimitingProvider(p, rateLimiter(id, cfg, meters), metrics, sleeper);
            }
            if (cfg.booleanOption("circuitbreaker.enabled", true)) {
                p = new CircuitBreakingProvider(p, circuitBreaker(id, cfg, meters), id);
            }
            Backoff backoff = new Backoff(retry, metrics, sleeper, random);
            p = new ReadRetryingProvider(p, backoff, metrics);
            // Above the read retry, so the listings it reads to find a possibly accepted task are retried too.
            p = new CreateReconciler(p, backoff, metrics);
            boolean metricsOn = cfg.globalOption("metrics.enabled")
                    .map(v -> dev.loraport.internal.config.ConfigValues.parseBoolean("loraport.metrics.enabled", v))
                    .orElse(true);
            return metricsOn ? new MeteredProvider(p, metrics) : p;
        }

        private static String idOf(ProviderConfig cfg) {
            return cfg.providerId()
                    .orElseThrow(() -> new IllegalStateException(
                            "no provider chosen: set loraport.provider, or pass an adapter; available: "
                                    + TrainingProviders.available()));
        }

        private static RateLimiter rateLimiter(String id, ProviderConfig cfg, MeterRegistry meters) {
            double perSecond = cfg.doubleOption("ratelimit.permits-per-second", 2.0);
            if (!(perSecond > 0)) {
                throw new IllegalArgumentException("loraport." + id + ".ratelimit.permits-per-second: " + perSecond
                        + " is out of range; allowed > 0");
            }
            // Express fractional rates (0.5/s) as one permit per longer period.
            int permits = perSecond >= 1 ? (int) Math.round(perSecond) : 1;
            Duration period =
                    perSecond >= 1 ? Duration.ofSeconds(1) : Duration.ofNanos(Math.round(1_000_000_000L / perSecond));
            RateLimiterConfig rc = RateLimiterConfig.custom()
                    .limitForPeriod(permits)
                    .limitRefreshPeriod(period)
                    .timeoutDuration(cfg.durationOption("ratelimit.max-wait", Duration.ofSeconds(30)))
                    .build();
            RateLimiterRegistry registry = RateLimiterRegistry.of(rc);
            TaggedRateLimiterMetrics.ofRateLimiterRegistry(registry).bindTo(meters);
            return registry.rateLimiter(id);
        }

        private static CircuitBreaker circuitBreaker(String id, ProviderConfig cfg, MeterRegistry meters) {
            CircuitBreakerConfig cc = CircuitBreakerConfig.custom()
                    .failureRateThreshold((float) cfg.doubleOption("circuitbreaker.failure-rate-threshold", 50))
                    .slidingWindowSize(cfg.intOption("circuitbreaker.sliding-window-size", 20))
                    .minimumNumberOfCalls(cfg.intOption("circuitbreaker.minimum-number-of-calls", 10))
                    .waitDurationInOpenState(
                            cfg.durationOption("circuitbreaker.wait-duration-in-open-state", Duration.ofSeconds(60)))
                    .permittedNumberOfCallsInHalfOpenState(
                            cfg.intOption("circuitbreaker.permitted-calls-in-half-open-state", 2))
                    .recordException(CircuitBreakingProvider::isFailure)
                    .build();
            CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(cc);
            TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
            return registry.circuitBreaker(id);
        }
    }
}
