package dev.loraport.decorators;

import dev.loraport.ProviderConfig;
import dev.loraport.TrainingProvider;
import dev.loraport.internal.config.ConfigValues;
import dev.loraport.spi.TrainingProviders;
import dev.loraport.watch.CreateIntent;
import dev.loraport.watch.TaskStore;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRateLimiterMetrics;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.observation.ObservationRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * Wraps an adapter in loraport's decorators, configured from its {@link ProviderConfig}:
 *
 * <pre>Mdc(Metrics(CreateReconciler(ReadRetry(CircuitBreaker(RateLimiter(adapter))))))</pre>
 *
 * <p>so a retried call is timed and observed once, every attempt passes the rate limiter, and an open breaker stops a
 * retry loop. {@link #fromConfig(ProviderConfig)} and {@link #fromEnvironment()} build this stack from
 * configuration alone; use the builder to pass a {@link MeterRegistry}, wrap an adapter built in code, or share
 * one rate limit among every worker of an account ({@link Builder#rateLimit(SharedRateLimit)}).
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
 * <p>Keys, relative to {@code loraport.<id>.} (durations as {@code 500ms}, {@code 30s}, {@code 2m}). Each is
 * range-checked when the stack is built, even when its decorator is off; a value outside its range is an
 * {@link IllegalArgumentException} naming the full key, the value and the range.
 *
 * <table>
 *   <caption>Decorator settings</caption>
 *   <tr><th>key</th><th>default</th><th>allowed</th><th>meaning</th></tr>
 *   <tr><td>{@code retry.enabled}</td><td>true</td><td>boolean</td><td>false: one attempt (create still
 *       reconciles)</td></tr>
 *   <tr><td>{@code retry.max-attempts}</td><td>4</td><td>1 to 100</td><td>attempts per logical
 *       status/list/create</td></tr>
 *   <tr><td>{@code retry.initial-backoff}</td><td>1s</td><td>1ms to 1h</td><td>first wait, multiplied each
 *       time</td></tr>
 *   <tr><td>{@code retry.multiplier}</td><td>2.0</td><td>1.0 to 100.0</td><td>backoff growth</td></tr>
 *   <tr><td>{@code retry.max-backoff}</td><td>30s</td><td>1ms to 24h</td><td>longest computed wait</td></tr>
 *   <tr><td>{@code retry.jitter}</td><td>0.5</td><td>0.0 to 1.0</td><td>each wait varies by ±50 %</td></tr>
 *   <tr><td>{@code retry.max-retry-after}</td><td>60s</td><td>1ms to 24h</td><td>cap on a service's
 *       retry-after</td></tr>
 *   <tr><td>{@code reconcile.delay}</td><td>2s</td><td>0s to 1h</td><td>wait before looking for a possibly
 *       accepted job</td></tr>
 *   <tr><td>{@code reconcile.max-pages}</td><td>1000</td><td>1 to 10000</td><td>list pages (of 100) searched for
 *       it</td></tr>
 *   <tr><td>{@code reconcile.in-flight-wait}</td><td>60s</td><td>0s to 1h</td><td>how long a create waits
 *       for another worker's create of the same client reference</td></tr>
 *   <tr><td>{@code ratelimit.enabled}</td><td>true</td><td>boolean</td><td>space calls to the service (with the
 *       stack's own limiter, or a {@link Builder#rateLimit shared} one)</td></tr>
 *   <tr><td>{@code ratelimit.permits-per-second}</td><td>2</td><td>0.001 to 1e9</td><td>calls per second, all
 *       operations</td></tr>
 *   <tr><td>{@code ratelimit.max-wait}</td><td>30s</td><td>0s to 1h</td><td>longest wait for a permit, then
 *       RateLimited</td></tr>
 *   <tr><td>{@code circuitbreaker.enabled}</td><td>true</td><td>boolean</td><td>fail fast during an
 *       outage</td></tr>
 *   <tr><td>{@code circuitbreaker.failure-rate-threshold}</td><td>50</td><td>1.0 to 100.0</td><td>percent of
 *       unavailable calls</td></tr>
 *   <tr><td>{@code circuitbreaker.sliding-window-size}</td><td>20</td><td>1 to 10000</td><td>calls
 *       considered</td></tr>
 *   <tr><td>{@code circuitbreaker.minimum-number-of-calls}</td><td>10</td><td>1 to 10000</td><td>before the rate
 *       counts</td></tr>
 *   <tr><td>{@code circuitbreaker.wait-duration-in-open-state}</td><td>60s</td><td>1ms to 24h</td><td>open time
 *       before probing</td></tr>
 *   <tr><td>{@code circuitbreaker.permitted-calls-in-half-open-state}</td><td>2</td><td>1 to 1000</td><td>probe
 *       calls</td></tr>
 * </table>
 *
 * <p>The metrics decorator makes one Micrometer {@code Observation} per logical call on the
 * {@link Builder#observationRegistry observation registry} (named {@code loraport.requests}, see
 * {@link DefaultLoraportObservationConvention}) and times it in the {@code loraport.requests} timer: through the
 * registry's meter handler when it has one, else by itself. The outermost decorator, always on, puts the provider,
 * task id and client reference in SLF4J's MDC while a call runs ({@link dev.loraport.spi.LoraportMdc}).
 *
 * <p>The global key {@code loraport.metrics.enabled} (default true) turns the metrics decorator (timer and
 * observation) off;
 * {@code loraport.store.path} names a file store ({@link TaskStore#file(Path)}) for the create journal, as
 * {@link Builder#store(TaskStore)} does.
 *
 * <p>Every create is journaled in a {@link TaskStore} before it is sent. Without one given, each stack keeps its
 * own in memory: a client reference is then idempotent within the stack only, and where the service's listing
 * shows no job names, a create whose answer was lost ends as {@code CreateOutcomeUnknownException} (another
 * worker's job could have appeared in the same listing). A store given to the builder or by
 * {@code loraport.store.path} is taken to be shared by every worker of the account: its lock serialises their
 * creates, so a lost one is found by comparing listings.
 *
 * @since 0.1
 */
public final class ProviderStack {

    /** The slowest rate: one call in 1000 s. */
    private static final double MIN_PERMITS_PER_SECOND = 0.001;

    /** The fastest rate, which the benchmarks use to take the limiter out of the way. */
    private static final double MAX_PERMITS_PER_SECOND = 1e9;

    /** The most calls a circuit breaker's window holds; Resilience4j keeps an array of that many outcomes. */
    private static final int MAX_WINDOW = 10_000;

    /** The most probe calls of a half-open breaker. */
    private static final int MAX_HALF_OPEN_CALLS = 1_000;

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
     * Settles the creates a stack's journal still holds as {@code SENDING} for its provider account, older than
     * {@code reconcile.in-flight-wait}: left by a worker that died mid-create, or by an outcome that stayed unknown.
     * Call it when a worker starts, before it creates or resumes anything. Where the service's listing shows job
     * names, each is looked up: found, it becomes {@code ACCEPTED} with its task (to watch); provably absent, it is
     * dropped. Where listings show no names, nothing can be proven and the intents are returned as they are, for
     * a person to check against the service.
     *
     * @param stack a provider built by this class
     * @return the intents looked at, as they stand now; dropped ones are left out
     * @throws IllegalArgumentException when {@code stack} was not built by this class
     */
    public static List<CreateIntent> recover(TrainingProvider stack) {
        TrainingProvider p = stack;
        while (p instanceof dev.loraport.spi.ForwardingTrainingProvider f) {
            if (p instanceof CreateReconciler r) {
                return r.recover();
            }
            p = f.unwrapOnce();
        }
        throw new IllegalArgumentException(
                "not a ProviderStack: " + stack.info().id());
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
        private @Nullable TaskStore store;
        private Clock clock = Clock.systemUTC();
        private @Nullable SharedRateLimit sharedRateLimit;
        private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;
        private @Nullable LoraportObservationConvention observationConvention;

        private Builder() {}

        /**
         * Draws permits from a rate limit shared by every worker of the provider account (such as
         * {@code PostgresRateLimit} of {@code loraport-store-postgres}) instead of a limiter of this stack's own,
         * which counts this stack's calls only. The stack asks it for the budget of its provider id and account
         * fingerprint at {@code ratelimit.permits-per-second}, waits at most {@code ratelimit.max-wait} for a
         * permit, then fails with {@code RateLimitedException} without calling the service; {@code
         * ratelimit.enabled=false} turns it off as it does the default limiter. Default: none.
         *
         * @param limit the shared limit, which the caller keeps
         * @return this builder
         */
        public Builder rateLimit(SharedRateLimit limit) {
            this.sharedRateLimit = Objects.requireNonNull(limit, "limit == null");
            return this;
        }

        /**
         * Sets the store that journals every create and, where listings show no names, locks the account across
         * a create; to be shared by every worker of the account (a file store on one machine, a database store
         * across machines). Default: {@code loraport.store.path} when set, else a store in memory per stack.
         *
         * @param store the store, which the caller keeps and closes if it needs closing
         * @return this builder
         */
        public Builder store(TaskStore store) {
            this.store = Objects.requireNonNull(store, "store == null");
            return this;
        }

        /**
         * Replaces the clock that times journal entries, for tests on a virtual clock.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock == null");
            return this;
        }

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
         * Makes one {@code Observation} per logical call on a registry (default: none), for traces and for the
         * handlers registered there. The {@code loraport.requests} timer is still recorded on the
         * {@link #meterRegistry meter registry} when the observation registry has no meter handler; when it has
         * one, that handler's timer is the one (no call is timed twice).
         *
         * @param registry the registry, such as Spring Boot's
         * @return this builder
         */
        public Builder observationRegistry(ObservationRegistry registry) {
            this.observationRegistry = Objects.requireNonNull(registry, "registry == null");
            return this;
        }

        /**
         * Replaces the convention that names and labels the observations (default:
         * {@link DefaultLoraportObservationConvention}). A convention registered on the observation registry for
         * {@link LoraportObservationContext} still takes precedence.
         *
         * @param convention the convention
         * @return this builder
         */
        public Builder observationConvention(LoraportObservationConvention convention) {
            this.observationConvention = Objects.requireNonNull(convention, "convention == null");
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
            DecoratorSettings settings = new DecoratorSettings(cfg, id);
            RetrySettings retry = RetrySettings.from(settings);
            // Every setting is read before the first decorator is made, so a bad one fails before anything binds.
            boolean rateLimited = settings.flag("ratelimit.enabled", true);
            double perSecond = settings.number(
                    "ratelimit.permits-per-second", 2.0, MIN_PERMITS_PER_SECOND, MAX_PERMITS_PER_SECOND);
            Duration maxWait =
                    settings.duration("ratelimit.max-wait", Duration.ofSeconds(30), Duration.ZERO, Duration.ofHours(1));
            RateLimiterConfig rateLimit = rateLimiterConfig(perSecond, maxWait);
            boolean breaking = settings.flag("circuitbreaker.enabled", true);
            CircuitBreakerConfig breaker = circuitBreakerConfig(settings);
            boolean metricsOn = cfg.globalOption("metrics.enabled")
                    .map(v -> ConfigValues.parseBoolean("loraport.metrics.enabled", v))
                    .orElse(true);
            String account = CreateIntent.fingerprint(cfg.apiKey().orElse(null));
            TrainingProvider p = inner;
            if (rateLimited && sharedRateLimit != null) {
                SharedRateLimit.Budget budget = Objects.requireNonNull(
                        sharedRateLimit.budget(id, account, perSecond), "shared rate limit gave no budget");
                p = RateLimitingProvider.shared(p, budget, perSecond, maxWait, metrics, sleeper);
            } else if (rateLimited) {
                RateLimiterRegistry registry = RateLimiterRegistry.of(rateLimit);
                TaggedRateLimiterMetrics.ofRateLimiterRegistry(registry).bindTo(meters);
                p = RateLimitingProvider.local(p, registry.rateLimiter(id), metrics, sleeper);
            }
            if (breaking) {
                CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(breaker);
                TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
                p = new CircuitBreakingProvider(p, registry.circuitBreaker(id), id);
            }
            Duration inFlightWait = settings.duration(
                    "reconcile.in-flight-wait", Duration.ofSeconds(60), Duration.ZERO, Duration.ofHours(1));
            TaskStore journal = store;
            if (journal == null) {
                journal = cfg.globalOption("store.path")
                        .map(path -> TaskStore.file(storePath(path)))
                        .orElse(null);
            }
            boolean shared = journal != null;
            Backoff backoff = new Backoff(retry, metrics, sleeper, random);
            p = new ReadRetryingProvider(p, backoff, metrics);
            // Above the read retry, so the listings it reads to find a possibly accepted task are retried too.
            p = new CreateReconciler(
                    p, backoff, metrics, shared ? journal : TaskStore.inMemory(), account, shared, inFlightWait, clock);
            if (metricsOn) {
                p = new MeteredProvider(p, metrics, observationRegistry, observationConvention);
            }
            return new LoggingContextProvider(p, id);
        }

        private static Path storePath(String value) {
            if (value.isBlank()) {
                throw new IllegalArgumentException("loraport.store.path is blank; must be a file path");
            }
            try {
                return Path.of(value.strip());
            } catch (java.nio.file.InvalidPathException e) {
                throw new IllegalArgumentException(
                        "loraport.store.path: '" + value + "' is not a file path (" + e.getReason() + ")", e);
            }
        }

        private static String idOf(ProviderConfig cfg) {
            return cfg.providerId()
                    .orElseThrow(() -> new IllegalStateException(
                            "no provider chosen: set loraport.provider, or pass an adapter; available: "
                                    + TrainingProviders.available()));
        }

        /** From values range-checked by the caller, since Resilience4j's own messages name none of loraport's keys. */
        private static RateLimiterConfig rateLimiterConfig(double perSecond, Duration maxWait) {
            // Express fractional rates (0.5/s) as one permit per longer period.
            int permits = perSecond >= 1 ? (int) Math.round(perSecond) : 1;
            Duration period =
                    perSecond >= 1 ? Duration.ofSeconds(1) : Duration.ofNanos(Math.round(1_000_000_000L / perSecond));
            return RateLimiterConfig.custom()
                    .limitForPeriod(permits)
                    .limitRefreshPeriod(period)
                    .timeoutDuration(maxWait)
                    .build();
        }

        /** Checked here, since Resilience4j's own messages name none of loraport's keys. */
        private static CircuitBreakerConfig circuitBreakerConfig(DecoratorSettings s) {
            return CircuitBreakerConfig.custom()
                    .failureRateThreshold((float) s.number("circuitbreaker.failure-rate-threshold", 50, 1.0, 100.0))
                    .slidingWindowSize(s.wholeNumber("circuitbreaker.sliding-window-size", 20, 1, MAX_WINDOW))
                    .minimumNumberOfCalls(s.wholeNumber("circuitbreaker.minimum-number-of-calls", 10, 1, MAX_WINDOW))
                    .waitDurationInOpenState(s.duration(
                            "circuitbreaker.wait-duration-in-open-state",
                            Duration.ofSeconds(60),
                            // Resilience4j counts this in milliseconds and takes no less than one.
                            Duration.ofMillis(1),
                            Duration.ofHours(24)))
                    .permittedNumberOfCallsInHalfOpenState(s.wholeNumber(
                            "circuitbreaker.permitted-calls-in-half-open-state", 2, 1, MAX_HALF_OPEN_CALLS))
                    .recordException(CircuitBreakingProvider::isFailure)
                    .build();
        }
    }
}
