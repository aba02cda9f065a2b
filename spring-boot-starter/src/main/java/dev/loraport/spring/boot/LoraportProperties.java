package dev.loraport.spring.boot;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * The {@code loraport.*} settings, bound by Spring Boot (relaxed: {@code application.yml}, {@code
 * LORAPORT_NOVITA_API_KEY}...) and turned into the {@code ProviderConfig} of the provider built. Each provider has
 * its section ({@code novita}, {@code stablediffusionapi}, {@code replicate}): API key, base URL, timeouts,
 * provider options, and the decorator settings of {@code ProviderStack}, whose defaults these are (the starter's
 * tests compare them). {@link #toString()} never shows an API key.
 *
 * <p>Mutable, for the binder; not thread-safe. Spring binds it once, before any bean reads it.
 *
 * @since 0.1
 */
@ConfigurationProperties("loraport")
public class LoraportProperties {

    /** The kinds of {@code TaskStore} the starter can create. */
    public enum StoreType {
        /** {@code TaskStore.file}: shared by the processes of one machine. */
        FILE,
        /** {@code TaskStore.inMemory}: this process only; lost on restart. */
        MEMORY,
        /** {@code PostgresTaskStore} on the application's DataSource: shared by a fleet. */
        POSTGRES
    }

    /** Settings with their defaults. */
    public LoraportProperties() {}

    /** The provider to build when more than one has an API key: novita, stablediffusionapi or replicate. Default: the one provider with an API key. */
    private @Nullable String provider;

    /** Metrics and observations. */
    @NestedConfigurationProperty
    private final Metrics metrics = new Metrics();

    /** The health indicator of each provider. */
    @NestedConfigurationProperty
    private final Health health = new Health();

    /** Where the create journal and watched jobs are kept. */
    @NestedConfigurationProperty
    private final Store store = new Store();

    /** The task watcher. */
    @NestedConfigurationProperty
    private final Watcher watcher = new Watcher();

    /** Novita AI: loraport.novita.*. */
    @NestedConfigurationProperty
    private final Provider novita = new Provider();

    /** stablediffusionapi.com (ModelsLab): loraport.stablediffusionapi.*. */
    @NestedConfigurationProperty
    private final Provider stablediffusionapi = new Provider();

    /** Replicate: loraport.replicate.* (with the Replicate adapter on the class path). */
    @NestedConfigurationProperty
    private final Provider replicate = new Provider();

    /**
     * The provider to build when more than one has an API key: {@code novita}, {@code stablediffusionapi} or {@code replicate}.
     *
     * @return the value (null: not set)
     */
    public @Nullable String getProvider() {
        return provider;
    }

    /**
     * Sets: the provider to build when more than one has an API key: {@code novita}, {@code stablediffusionapi} or {@code replicate}.
     *
     * @param provider the value, or null
     */
    public void setProvider(@Nullable String provider) {
        this.provider = provider;
    }

    /**
     * Metrics and observations.
     *
     * @return the value
     */
    public Metrics getMetrics() {
        return metrics;
    }

    /**
     * The health indicator of each provider.
     *
     * @return the value
     */
    public Health getHealth() {
        return health;
    }

    /**
     * Where the create journal and watched jobs are kept.
     *
     * @return the value
     */
    public Store getStore() {
        return store;
    }

    /**
     * The task watcher.
     *
     * @return the value
     */
    public Watcher getWatcher() {
        return watcher;
    }

    /**
     * Novita AI: {@code loraport.novita.*}.
     *
     * @return the value
     */
    public Provider getNovita() {
        return novita;
    }

    /**
     * stablediffusionapi.com (ModelsLab): {@code loraport.stablediffusionapi.*}.
     *
     * @return the value
     */
    public Provider getStablediffusionapi() {
        return stablediffusionapi;
    }

    /**
     * Replicate: {@code loraport.replicate.*} (with the Replicate adapter on the class path).
     *
     * @return the value
     */
    public Provider getReplicate() {
        return replicate;
    }

    /**
     * The settings of a provider id.
     *
     * @param id {@code novita}, {@code stablediffusionapi} or {@code replicate}
     * @return its section, or null for another id
     */
    public @Nullable Provider provider(String id) {
        return switch (id) {
            case "novita" -> novita;
            case "stablediffusionapi" -> stablediffusionapi;
            case "replicate" -> replicate;
            default -> null;
        };
    }

    /**
     * The settings without any API key.
     *
     * @return a description naming the chosen provider
     */
    @Override
    public String toString() {
        return "LoraportProperties{provider=" + provider + "}";
    }

    /** Metrics settings: {@code loraport.metrics.*}. Mutable, for the binder; not thread-safe. */
    public static class Metrics {

        /** Settings with their defaults. */
        public Metrics() {}

        /** Whether each call is timed (loraport.requests) and observed on Boot's MeterRegistry and ObservationRegistry. */
        private boolean enabled = true;

        /**
         * Whether each call is timed ({@code loraport.requests}) and observed on Boot's MeterRegistry and ObservationRegistry.
         *
         * @return the value
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Sets: whether each call is timed ({@code loraport.requests}) and observed on Boot's MeterRegistry and ObservationRegistry.
         *
         * @param enabled the value
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** Health settings: {@code loraport.health.*}. Mutable, for the binder; not thread-safe. */
    public static class Health {

        /** Settings with their defaults. */
        public Health() {}

        /** Whether a health indicator per provider is registered (with Spring Boot Actuator on the class path). */
        private boolean enabled = true;

        /** How long one probe (a list of one job, which costs nothing) answers health checks before the next is made. */
        private Duration cacheTtl = Duration.ofSeconds(60);

        /**
         * Whether a health indicator per provider is registered (with Spring Boot Actuator on the class path).
         *
         * @return the value
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Sets: whether a health indicator per provider is registered (with Spring Boot Actuator on the class path).
         *
         * @param enabled the value
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * How long one probe (a list of one job, which costs nothing) answers health checks before the next is made.
         *
         * @return the value
         */
        public Duration getCacheTtl() {
            return cacheTtl;
        }

        /**
         * Sets: how long one probe (a list of one job, which costs nothing) answers health checks before the next is made.
         *
         * @param cacheTtl the value
         */
        public void setCacheTtl(Duration cacheTtl) {
            this.cacheTtl = cacheTtl;
        }
    }

    /** Store settings: {@code loraport.store.*}. Mutable, for the binder; not thread-safe. */
    public static class Store {

        /** Settings with their defaults. */
        public Store() {}

        /** The store: file (one machine), memory (this process only) or postgres (a fleet; needs a DataSource bean and loraport-store-postgres). */
        private StoreType type = StoreType.FILE;

        /** The file of the file store; the journal and locks are kept beside it. */
        private String path = ".loraport/tasks";

        /** The PostgreSQL store. */
        @NestedConfigurationProperty
        private final Postgres postgres = new Postgres();

        /**
         * The store: {@code file} (one machine), {@code memory} (this process only) or {@code postgres} (a fleet; needs a DataSource bean and loraport-store-postgres).
         *
         * @return the value
         */
        public StoreType getType() {
            return type;
        }

        /**
         * Sets: the store: {@code file} (one machine), {@code memory} (this process only) or {@code postgres} (a fleet; needs a DataSource bean and loraport-store-postgres).
         *
         * @param type the value
         */
        public void setType(StoreType type) {
            this.type = type;
        }

        /**
         * The file of the file store; the journal and locks are kept beside it.
         *
         * @return the value
         */
        public String getPath() {
            return path;
        }

        /**
         * Sets: the file of the file store; the journal and locks are kept beside it.
         *
         * @param path the value
         */
        public void setPath(String path) {
            this.path = path;
        }

        /**
         * The PostgreSQL store.
         *
         * @return the value
         */
        public Postgres getPostgres() {
            return postgres;
        }
    }

    /** PostgreSQL store settings: {@code loraport.store.postgres.*}. Mutable, for the binder; not thread-safe. */
    public static class Postgres {

        /** Settings with their defaults. */
        public Postgres() {}

        /** The schema of the PostgreSQL store's tables. */
        private String schema = "public";

        /** Whether the PostgreSQL store creates its tables if they are missing. */
        private boolean createSchema = true;

        /**
         * The schema of the PostgreSQL store's tables.
         *
         * @return the value
         */
        public String getSchema() {
            return schema;
        }

        /**
         * Sets: the schema of the PostgreSQL store's tables.
         *
         * @param schema the value
         */
        public void setSchema(String schema) {
            this.schema = schema;
        }

        /**
         * Whether the PostgreSQL store creates its tables if they are missing.
         *
         * @return the value
         */
        public boolean isCreateSchema() {
            return createSchema;
        }

        /**
         * Sets: whether the PostgreSQL store creates its tables if they are missing.
         *
         * @param createSchema the value
         */
        public void setCreateSchema(boolean createSchema) {
            this.createSchema = createSchema;
        }
    }

    /** Task watcher settings: {@code loraport.watcher.*}. Mutable, for the binder; not thread-safe. */
    public static class Watcher {

        /** Settings with their defaults. */
        public Watcher() {}

        /** Whether a TaskWatcher bean is created. */
        private boolean enabled = true;

        /** Threads of the watcher's scheduler, shared by every watched job. */
        private int threads = 2;

        /** The shortest delay between two polls of one job. */
        private Duration minPollInterval = Duration.ofSeconds(5);

        /** The longest delay between two polls of one job. */
        private Duration maxPollInterval = Duration.ofMinutes(5);

        /**
         * Whether the jobs an earlier run left in the store are watched again at start-up, every TaskListener bean
         * hearing of them. Turn off where several instances share one store.
         */
        private boolean resumeOnStart = true;

        /**
         * Whether the jobs an earlier run left in the store are watched again at start-up.
         *
         * @return the value
         */
        public boolean isResumeOnStart() {
            return resumeOnStart;
        }

        /**
         * Sets: whether the jobs an earlier run left in the store are watched again at start-up.
         *
         * @param resumeOnStart the value
         */
        public void setResumeOnStart(boolean resumeOnStart) {
            this.resumeOnStart = resumeOnStart;
        }

        /**
         * Whether a TaskWatcher bean is created.
         *
         * @return the value
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Sets: whether a TaskWatcher bean is created.
         *
         * @param enabled the value
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * Threads of the watcher's scheduler, shared by every watched job.
         *
         * @return the value
         */
        public int getThreads() {
            return threads;
        }

        /**
         * Sets: threads of the watcher's scheduler, shared by every watched job.
         *
         * @param threads the value
         */
        public void setThreads(int threads) {
            this.threads = threads;
        }

        /**
         * The shortest delay between two polls of one job.
         *
         * @return the value
         */
        public Duration getMinPollInterval() {
            return minPollInterval;
        }

        /**
         * Sets: the shortest delay between two polls of one job.
         *
         * @param minPollInterval the value
         */
        public void setMinPollInterval(Duration minPollInterval) {
            this.minPollInterval = minPollInterval;
        }

        /**
         * The longest delay between two polls of one job.
         *
         * @return the value
         */
        public Duration getMaxPollInterval() {
            return maxPollInterval;
        }

        /**
         * Sets: the longest delay between two polls of one job.
         *
         * @param maxPollInterval the value
         */
        public void setMaxPollInterval(Duration maxPollInterval) {
            this.maxPollInterval = maxPollInterval;
        }
    }

    /** One provider's settings: {@code loraport.<id>.*}; the decorator settings are those of {@code ProviderStack}. Mutable, for the binder; not thread-safe. */
    public static class Provider {

        /** Settings with their defaults. */
        public Provider() {}

        /** The API key; never logged or shown. Setting it makes this provider the one built. */
        private @Nullable String apiKey;

        /** The service URL. Default: the service's public URL (the simulators set their own). */
        private @Nullable String baseUrl;

        /** Connect timeout of each HTTP call. Default: the adapter's. */
        private @Nullable Duration connectTimeout;

        /** Read timeout of each HTTP call. Default: the adapter's. */
        private @Nullable Duration readTimeout;

        /** Whole-call timeout of each HTTP call. Default: the adapter's. */
        private @Nullable Duration callTimeout;

        /** Provider-specific options, passed to the adapter as loraport.<id>.<key>. */
        private final Map<String, String> options = new LinkedHashMap<>();

        /** Retry of reads. */
        @NestedConfigurationProperty
        private final Retry retry = new Retry();

        /** Reconciliation of a create whose answer was lost. */
        @NestedConfigurationProperty
        private final Reconcile reconcile = new Reconcile();

        /** The rate limiter. */
        @NestedConfigurationProperty
        private final RateLimit ratelimit = new RateLimit();

        /** The circuit breaker. */
        @NestedConfigurationProperty
        private final CircuitBreaker circuitbreaker = new CircuitBreaker();

        /**
         * The API key; never logged or shown.
         *
         * @return the value (null: not set)
         */
        public @Nullable String getApiKey() {
            return apiKey;
        }

        /**
         * Sets: the API key; never logged or shown.
         *
         * @param apiKey the value, or null
         */
        public void setApiKey(@Nullable String apiKey) {
            this.apiKey = apiKey;
        }

        /**
         * The service URL.
         *
         * @return the value (null: not set)
         */
        public @Nullable String getBaseUrl() {
            return baseUrl;
        }

        /**
         * Sets: the service URL.
         *
         * @param baseUrl the value, or null
         */
        public void setBaseUrl(@Nullable String baseUrl) {
            this.baseUrl = baseUrl;
        }

        /**
         * Connect timeout of each HTTP call.
         *
         * @return the value (null: not set)
         */
        public @Nullable Duration getConnectTimeout() {
            return connectTimeout;
        }

        /**
         * Sets: connect timeout of each HTTP call.
         *
         * @param connectTimeout the value, or null
         */
        public void setConnectTimeout(@Nullable Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        /**
         * Read timeout of each HTTP call.
         *
         * @return the value (null: not set)
         */
        public @Nullable Duration getReadTimeout() {
            return readTimeout;
        }

        /**
         * Sets: read timeout of each HTTP call.
         *
         * @param readTimeout the value, or null
         */
        public void setReadTimeout(@Nullable Duration readTimeout) {
            this.readTimeout = readTimeout;
        }

        /**
         * Whole-call timeout of each HTTP call.
         *
         * @return the value (null: not set)
         */
        public @Nullable Duration getCallTimeout() {
            return callTimeout;
        }

        /**
         * Sets: whole-call timeout of each HTTP call.
         *
         * @param callTimeout the value, or null
         */
        public void setCallTimeout(@Nullable Duration callTimeout) {
            this.callTimeout = callTimeout;
        }

        /**
         * Provider-specific options, passed to the adapter as {@code loraport.<id>.<key>}.
         *
         * @return the value
         */
        public Map<String, String> getOptions() {
            return options;
        }

        /**
         * Retry of reads.
         *
         * @return the value
         */
        public Retry getRetry() {
            return retry;
        }

        /**
         * Reconciliation of a create whose answer was lost.
         *
         * @return the value
         */
        public Reconcile getReconcile() {
            return reconcile;
        }

        /**
         * The rate limiter.
         *
         * @return the value
         */
        public RateLimit getRatelimit() {
            return ratelimit;
        }

        /**
         * The circuit breaker.
         *
         * @return the value
         */
        public CircuitBreaker getCircuitbreaker() {
            return circuitbreaker;
        }

        /**
         * The settings without the API key.
         *
         * @return whether a key is set, and the base URL
         */
        @Override
        public String toString() {
            return "Provider{apiKey=" + (apiKey == null ? "unset" : "***") + ", baseUrl=" + baseUrl + "}";
        }
    }

    /** Read retry settings: {@code loraport.<id>.retry.*}. Mutable, for the binder; not thread-safe. */
    public static class Retry {

        /** Settings with their defaults. */
        public Retry() {}

        /** Whether reads are retried; false: one attempt (a create still reconciles). */
        private boolean enabled = true;

        /** Attempts per logical status, list or create (1 to 100). */
        private int maxAttempts = 4;

        /** The first wait, multiplied each time (1ms to 1h). */
        private Duration initialBackoff = Duration.ofSeconds(1);

        /** Backoff growth (1.0 to 100.0). */
        private double multiplier = 2.0;

        /** The longest computed wait (1ms to 24h). */
        private Duration maxBackoff = Duration.ofSeconds(30);

        /** How much each wait varies, 0.5 for plus or minus 50 % (0.0 to 1.0). */
        private double jitter = 0.5;

        /** Cap on a service's Retry-After (1ms to 24h). */
        private Duration maxRetryAfter = Duration.ofSeconds(60);

        /**
         * Whether reads are retried; false: one attempt (a create still reconciles).
         *
         * @return the value
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Sets: whether reads are retried; false: one attempt (a create still reconciles).
         *
         * @param enabled the value
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * Attempts per logical status, list or create (1 to 100).
         *
         * @return the value
         */
        public int getMaxAttempts() {
            return maxAttempts;
        }

        /**
         * Sets: attempts per logical status, list or create (1 to 100).
         *
         * @param maxAttempts the value
         */
        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        /**
         * The first wait, multiplied each time (1ms to 1h).
         *
         * @return the value
         */
        public Duration getInitialBackoff() {
            return initialBackoff;
        }

        /**
         * Sets: the first wait, multiplied each time (1ms to 1h).
         *
         * @param initialBackoff the value
         */
        public void setInitialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
        }

        /**
         * Backoff growth (1.0 to 100.0).
         *
         * @return the value
         */
        public double getMultiplier() {
            return multiplier;
        }

        /**
         * Sets: backoff growth (1.0 to 100.0).
         *
         * @param multiplier the value
         */
        public void setMultiplier(double multiplier) {
            this.multiplier = multiplier;
        }

        /**
         * The longest computed wait (1ms to 24h).
         *
         * @return the value
         */
        public Duration getMaxBackoff() {
            return maxBackoff;
        }

        /**
         * Sets: the longest computed wait (1ms to 24h).
         *
         * @param maxBackoff the value
         */
        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }

        /**
         * How much each wait varies, 0.5 for plus or minus 50 % (0.0 to 1.0).
         *
         * @return the value
         */
        public double getJitter() {
            return jitter;
        }

        /**
         * Sets: how much each wait varies, 0.5 for plus or minus 50 % (0.0 to 1.0).
         *
         * @param jitter the value
         */
        public void setJitter(double jitter) {
            this.jitter = jitter;
        }

        /**
         * Cap on a service's Retry-After (1ms to 24h).
         *
         * @return the value
         */
        public Duration getMaxRetryAfter() {
            return maxRetryAfter;
        }

        /**
         * Sets: cap on a service's Retry-After (1ms to 24h).
         *
         * @param maxRetryAfter the value
         */
        public void setMaxRetryAfter(Duration maxRetryAfter) {
            this.maxRetryAfter = maxRetryAfter;
        }
    }

    /** Create reconciliation settings: {@code loraport.<id>.reconcile.*}. Mutable, for the binder; not thread-safe. */
    public static class Reconcile {

        /** Settings with their defaults. */
        public Reconcile() {}

        /** Wait before looking for a possibly accepted job (0s to 1h). */
        private Duration delay = Duration.ofSeconds(2);

        /** List pages (of 100) searched for it (1 to 10000). */
        private int maxPages = 1000;

        /** How long a create waits for another worker's create of the same client reference (0s to 1h). */
        private Duration inFlightWait = Duration.ofSeconds(60);

        /**
         * Wait before looking for a possibly accepted job (0s to 1h).
         *
         * @return the value
         */
        public Duration getDelay() {
            return delay;
        }

        /**
         * Sets: wait before looking for a possibly accepted job (0s to 1h).
         *
         * @param delay the value
         */
        public void setDelay(Duration delay) {
            this.delay = delay;
        }

        /**
         * List pages (of 100) searched for it (1 to 10000).
         *
         * @return the value
         */
        public int getMaxPages() {
            return maxPages;
        }

        /**
         * Sets: list pages (of 100) searched for it (1 to 10000).
         *
         * @param maxPages the value
         */
        public void setMaxPages(int maxPages) {
            this.maxPages = maxPages;
        }

        /**
         * How long a create waits for another worker's create of the same client reference (0s to 1h).
         *
         * @return the value
         */
        public Duration getInFlightWait() {
            return inFlightWait;
        }

        /**
         * Sets: how long a create waits for another worker's create of the same client reference (0s to 1h).
         *
         * @param inFlightWait the value
         */
        public void setInFlightWait(Duration inFlightWait) {
            this.inFlightWait = inFlightWait;
        }
    }

    /** Rate limiter settings: {@code loraport.<id>.ratelimit.*}. Mutable, for the binder; not thread-safe. */
    public static class RateLimit {

        /** Settings with their defaults. */
        public RateLimit() {}

        /** Whether calls to the service are spaced. */
        private boolean enabled = true;

        /** Calls per second, all operations (0.001 to 1e9). */
        private double permitsPerSecond = 2.0;

        /** The longest wait for a permit before RateLimitedException (0s to 1h). */
        private Duration maxWait = Duration.ofSeconds(30);

        /**
         * Whether calls to the service are spaced.
         *
         * @return the value
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Sets: whether calls to the service are spaced.
         *
         * @param enabled the value
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * Calls per second, all operations (0.001 to 1e9).
         *
         * @return the value
         */
        public double getPermitsPerSecond() {
            return permitsPerSecond;
        }

        /**
         * Sets: calls per second, all operations (0.001 to 1e9).
         *
         * @param permitsPerSecond the value
         */
        public void setPermitsPerSecond(double permitsPerSecond) {
            this.permitsPerSecond = permitsPerSecond;
        }

        /**
         * The longest wait for a permit before RateLimitedException (0s to 1h).
         *
         * @return the value
         */
        public Duration getMaxWait() {
            return maxWait;
        }

        /**
         * Sets: the longest wait for a permit before RateLimitedException (0s to 1h).
         *
         * @param maxWait the value
         */
        public void setMaxWait(Duration maxWait) {
            this.maxWait = maxWait;
        }
    }

    /** Circuit breaker settings: {@code loraport.<id>.circuitbreaker.*}. Mutable, for the binder; not thread-safe. */
    public static class CircuitBreaker {

        /** Settings with their defaults. */
        public CircuitBreaker() {}

        /** Whether calls fail fast during an outage. */
        private boolean enabled = true;

        /** Percent of unavailable calls that opens the breaker (1.0 to 100.0). */
        private double failureRateThreshold = 50.0;

        /** Calls considered (1 to 10000). */
        private int slidingWindowSize = 20;

        /** Calls before the rate counts (1 to 10000). */
        private int minimumNumberOfCalls = 10;

        /** Open time before probing (1ms to 24h). */
        private Duration waitDurationInOpenState = Duration.ofSeconds(60);

        /** Probe calls (1 to 1000). */
        private int permittedCallsInHalfOpenState = 2;

        /**
         * Whether calls fail fast during an outage.
         *
         * @return the value
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Sets: whether calls fail fast during an outage.
         *
         * @param enabled the value
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * Percent of unavailable calls that opens the breaker (1.0 to 100.0).
         *
         * @return the value
         */
        public double getFailureRateThreshold() {
            return failureRateThreshold;
        }

        /**
         * Sets: percent of unavailable calls that opens the breaker (1.0 to 100.0).
         *
         * @param failureRateThreshold the value
         */
        public void setFailureRateThreshold(double failureRateThreshold) {
            this.failureRateThreshold = failureRateThreshold;
        }

        /**
         * Calls considered (1 to 10000).
         *
         * @return the value
         */
        public int getSlidingWindowSize() {
            return slidingWindowSize;
        }

        /**
         * Sets: calls considered (1 to 10000).
         *
         * @param slidingWindowSize the value
         */
        public void setSlidingWindowSize(int slidingWindowSize) {
            this.slidingWindowSize = slidingWindowSize;
        }

        /**
         * Calls before the rate counts (1 to 10000).
         *
         * @return the value
         */
        public int getMinimumNumberOfCalls() {
            return minimumNumberOfCalls;
        }

        /**
         * Sets: calls before the rate counts (1 to 10000).
         *
         * @param minimumNumberOfCalls the value
         */
        public void setMinimumNumberOfCalls(int minimumNumberOfCalls) {
            this.minimumNumberOfCalls = minimumNumberOfCalls;
        }

        /**
         * Open time before probing (1ms to 24h).
         *
         * @return the value
         */
        public Duration getWaitDurationInOpenState() {
            return waitDurationInOpenState;
        }

        /**
         * Sets: open time before probing (1ms to 24h).
         *
         * @param waitDurationInOpenState the value
         */
        public void setWaitDurationInOpenState(Duration waitDurationInOpenState) {
            this.waitDurationInOpenState = waitDurationInOpenState;
        }

        /**
         * Probe calls (1 to 1000).
         *
         * @return the value
         */
        public int getPermittedCallsInHalfOpenState() {
            return permittedCallsInHalfOpenState;
        }

        /**
         * Sets: probe calls (1 to 1000).
         *
         * @param permittedCallsInHalfOpenState the value
         */
        public void setPermittedCallsInHalfOpenState(int permittedCallsInHalfOpenState) {
            this.permittedCallsInHalfOpenState = permittedCallsInHalfOpenState;
        }
    }
}
