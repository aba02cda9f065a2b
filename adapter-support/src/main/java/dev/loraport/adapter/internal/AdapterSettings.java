package dev.loraport.adapter.internal;

import dev.loraport.ProviderConfig;
import dev.loraport.internal.ImageUploads;
import dev.loraport.internal.config.ConfigValues;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The settings every hosted-service adapter takes, under one name each: the API key, base URL, timeouts, upload
 * parallelism and attempts, and how generation waits for its images. An adapter's public builder keeps an
 * {@link Builder} and forwards its setters to it; {@link Builder#read(ProviderConfig, String...)} reads them all
 * from configuration in one place. Every setter, and so {@code read}, checks its value's range at once and names
 * the full key ({@code loraport.<id>.<key>}) when it is outside it, so a bad setting fails when the provider is
 * built, not on its first call. Immutable; {@link #toString()} never shows the key.
 */
public final class AdapterSettings {

    /** Configuration key of {@link Builder#uploadParallelism(int)}. */
    public static final String UPLOAD_PARALLELISM = "upload.parallelism";

    /** Configuration key of {@link Builder#uploadMaxAttempts(int)}. */
    public static final String UPLOAD_MAX_ATTEMPTS = "upload.max-attempts";

    /** Configuration key of {@link Builder#generateTimeout(Duration)}. */
    public static final String GENERATE_TIMEOUT = "generate.timeout";

    /** Configuration key of {@link Builder#generatePollInterval(Duration)}. */
    public static final String GENERATE_POLL_INTERVAL = "generate.poll-interval";

    /** Configuration key of {@link Builder#generateModel(String)}. */
    public static final String GENERATE_MODEL = "generate.model";

    /** Configuration key of {@link Builder#maxResponseSize(long)}. */
    public static final String MAX_RESPONSE_SIZE = "max-response-size";

    /** Configuration key of {@link Builder#baseUrl(URI)}. */
    public static final String BASE_URL = "base-url";

    /** Configuration key of {@link Builder#connectTimeout(Duration)}. */
    public static final String CONNECT_TIMEOUT = "connect-timeout";

    /** Configuration key of {@link Builder#readTimeout(Duration)}. */
    public static final String READ_TIMEOUT = "read-timeout";

    /** Configuration key of {@link Builder#callTimeout(Duration)}. */
    public static final String CALL_TIMEOUT = "call-timeout";

    /**
     * The shortest timeout: OkHttp counts in milliseconds, and reads 0 as "never time out", so a slow drip would
     * hang a call forever.
     */
    public static final Duration MIN_TIMEOUT = Duration.ofMillis(1);

    /** The longest timeout, and the longest generate timeout; OkHttp takes at most about 24 days. */
    public static final Duration MAX_TIMEOUT = Duration.ofHours(24);

    /** The most images uploaded at once. */
    public static final int MAX_UPLOAD_PARALLELISM = 64;

    /** The most attempts per image upload. */
    public static final int MAX_UPLOAD_MAX_ATTEMPTS = 100;

    /** The longest pause between two looks at a pending generation. */
    public static final Duration MAX_GENERATE_POLL_INTERVAL = Duration.ofHours(1);

    /** The default largest response body read: a bigger one is a malformed answer. */
    public static final long DEFAULT_MAX_RESPONSE_SIZE = 16L << 20;

    /** The smallest response body cap: below it, ordinary error and status answers would not fit. */
    public static final long MIN_MAX_RESPONSE_SIZE = 1L << 10;

    /** The largest response body cap: a body is read whole into memory. */
    public static final long MAX_MAX_RESPONSE_SIZE = 1L << 30;

    /** The default TCP connect timeout. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** The default socket read (and write) timeout. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

    /** The default whole-call timeout. */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(120);

    /** The default number of images uploaded at once. */
    public static final int DEFAULT_UPLOAD_PARALLELISM = 4;

    /** The default number of attempts per image upload. */
    public static final int DEFAULT_UPLOAD_MAX_ATTEMPTS = 3;

    /** The default time generate waits for its images. */
    public static final Duration DEFAULT_GENERATE_TIMEOUT = Duration.ofMinutes(5);

    /** The default pause between two looks at a pending generation, the floor of its poll policy. */
    public static final Duration DEFAULT_GENERATE_POLL_INTERVAL = Duration.ofSeconds(2);

    private final String providerId;
    private final String apiKey;
    private final URI baseUrl;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration callTimeout;
    private final int uploadParallelism;
    private final int uploadMaxAttempts;
    private final Duration generateTimeout;
    private final Duration generatePollInterval;
    private final String generateModel;
    private final long maxResponseSize;
    private final Clock clock;
    private final ImageUploads.Pause pause;

    private AdapterSettings(Builder b, String apiKey) {
        this.providerId = b.providerId;
        this.apiKey = apiKey;
        this.baseUrl = b.baseUrl;
        this.connectTimeout = b.connectTimeout;
        this.readTimeout = b.readTimeout;
        this.callTimeout = b.callTimeout;
        this.uploadParallelism = b.uploadParallelism;
        this.uploadMaxAttempts = b.uploadMaxAttempts;
        this.generateTimeout = b.generateTimeout;
        this.generatePollInterval = b.generatePollInterval;
        this.generateModel = b.generateModel;
        this.maxResponseSize = b.maxResponseSize;
        this.clock = b.clock;
        this.pause = b.pause;
    }

    /**
     * A builder holding the shared defaults and the adapter's own.
     *
     * @param providerId the provider id, for messages and configuration keys
     * @param defaultBaseUrl the service URL
     * @param defaultGenerateModel the checkpoint used when a generation request names none
     * @return the builder
     */
    public static Builder builder(String providerId, URI defaultBaseUrl, String defaultGenerateModel) {
        return new Builder(providerId, defaultBaseUrl, defaultGenerateModel);
    }

    /**
     * The provider id.
     *
     * @return the id
     */
    public String providerId() {
        return providerId;
    }

    /**
     * The API key; never log it.
     *
     * @return the key, not blank
     */
    public String apiKey() {
        return apiKey;
    }

    /**
     * The service URL.
     *
     * @return the URL
     */
    public URI baseUrl() {
        return baseUrl;
    }

    /**
     * The TCP connect timeout.
     *
     * @return the timeout
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * The socket read timeout, also used for writes.
     *
     * @return the timeout
     */
    public Duration readTimeout() {
        return readTimeout;
    }

    /**
     * The whole-call timeout.
     *
     * @return the timeout
     */
    public Duration callTimeout() {
        return callTimeout;
    }

    /**
     * How many images upload at once.
     *
     * @return 1 or more
     */
    public int uploadParallelism() {
        return uploadParallelism;
    }

    /**
     * The attempts per image upload.
     *
     * @return 1 or more
     */
    public int uploadMaxAttempts() {
        return uploadMaxAttempts;
    }

    /**
     * How long generate waits for its images.
     *
     * @return the timeout
     */
    public Duration generateTimeout() {
        return generateTimeout;
    }

    /**
     * The usual pause between two looks at a pending generation.
     *
     * @return a positive duration
     */
    public Duration generatePollInterval() {
        return generatePollInterval;
    }

    /**
     * The checkpoint used when a generation request names none.
     *
     * @return the service's model name
     */
    public String generateModel() {
        return generateModel;
    }

    /**
     * The largest response body read; a bigger one is a {@code MalformedResponseException} on a 2xx.
     *
     * @return the number of bytes, from {@value #MIN_MAX_RESPONSE_SIZE} to {@value #MAX_MAX_RESPONSE_SIZE}
     */
    public long maxResponseSize() {
        return maxResponseSize;
    }

    /**
     * The clock, for deadlines, Retry-After dates and creation times.
     *
     * @return the clock
     */
    public Clock clock() {
        return clock;
    }

    /**
     * How the adapter waits between attempts and polls; tests replace it.
     *
     * @return the pause
     */
    public ImageUploads.Pause pause() {
        return pause;
    }

    /**
     * A runner of parallel, per-image retried uploads with these settings.
     *
     * @return the runner
     */
    public ImageUploads imageUploads() {
        return new ImageUploads(providerId, uploadParallelism, uploadMaxAttempts, pause);
    }

    @Override
    public String toString() {
        return "AdapterSettings{" + providerId + ", apiKey=****, baseUrl=" + baseUrl + ", connectTimeout="
                + connectTimeout + ", readTimeout=" + readTimeout + ", callTimeout=" + callTimeout
                + ", uploadParallelism=" + uploadParallelism + ", uploadMaxAttempts=" + uploadMaxAttempts
                + ", generateTimeout=" + generateTimeout + ", generatePollInterval=" + generatePollInterval
                + ", generateModel=" + generateModel + ", maxResponseSize="
                + ConfigValues.formatSize(maxResponseSize) + "}";
    }

    /** Builds {@link AdapterSettings}; every setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private final String providerId;
        private @Nullable String apiKey;
        private URI baseUrl;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
        private int uploadParallelism = DEFAULT_UPLOAD_PARALLELISM;
        private int uploadMaxAttempts = DEFAULT_UPLOAD_MAX_ATTEMPTS;
        private Duration generateTimeout = DEFAULT_GENERATE_TIMEOUT;
        private Duration generatePollInterval = DEFAULT_GENERATE_POLL_INTERVAL;
        private String generateModel;
        private long maxResponseSize = DEFAULT_MAX_RESPONSE_SIZE;
        private Clock clock = Clock.systemUTC();
        private ImageUploads.Pause pause = d -> Thread.sleep(d.toMillis());

        private Builder(String providerId, URI defaultBaseUrl, String defaultGenerateModel) {
            this.providerId = Objects.requireNonNull(providerId, "providerId == null");
            this.baseUrl = httpUrl(Objects.requireNonNull(defaultBaseUrl, "defaultBaseUrl == null"));
            this.generateModel = Objects.requireNonNull(defaultGenerateModel, "defaultGenerateModel == null");
        }

        /**
         * Reads every shared setting from configuration ({@code loraport.<id>.*}); what is not set keeps its
         * current value.
         *
         * @param config the configuration; its API key is required
         * @param formerGenerateModelKeys keys an adapter once documented for {@link #generateModel(String)}, still
         *     read when {@value #GENERATE_MODEL} is not set
         * @return this builder
         * @throws IllegalStateException when the configuration has no API key
         * @throws IllegalArgumentException naming the key of a value that is unreadable or out of range
         */
        public Builder read(ProviderConfig config, String... formerGenerateModelKeys) {
            apiKey(config.requireApiKey());
            config.baseUrl().ifPresent(this::baseUrl);
            config.connectTimeout().ifPresent(this::connectTimeout);
            config.readTimeout().ifPresent(this::readTimeout);
            config.callTimeout().ifPresent(this::callTimeout);
            uploadParallelism(config.intOption(UPLOAD_PARALLELISM, uploadParallelism));
            uploadMaxAttempts(config.intOption(UPLOAD_MAX_ATTEMPTS, uploadMaxAttempts));
            generateTimeout(config.durationOption(GENERATE_TIMEOUT, generateTimeout));
            generatePollInterval(config.durationOption(GENERATE_POLL_INTERVAL, generatePollInterval));
            config.option(MAX_RESPONSE_SIZE)
                    .ifPresent(v -> maxResponseSize(ConfigValues.parseSize(key(MAX_RESPONSE_SIZE), v)));
            Optional<String> model = config.option(GENERATE_MODEL);
            for (String former : formerGenerateModelKeys) {
                model = model.or(() -> config.option(former));
            }
            model.ifPresent(this::generateModel);
            return this;
        }

        /**
         * Sets the API key (required).
         *
         * @param apiKey the key
         * @return this builder
         */
        public Builder apiKey(String apiKey) {
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey == null");
            return this;
        }

        /**
         * Sets the service URL.
         *
         * @param baseUrl an absolute {@code http} or {@code https} URL with a host
         * @return this builder
         * @throws IllegalArgumentException naming {@value #BASE_URL} when the URL is not one
         */
        public Builder baseUrl(URI baseUrl) {
            this.baseUrl = httpUrl(Objects.requireNonNull(baseUrl, "baseUrl == null"));
            return this;
        }

        private URI httpUrl(URI url) {
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
                // Without its user info and query, which may carry credentials.
                String shown = url.getRawUserInfo() != null || url.getRawQuery() != null
                        ? scheme + "://" + url.getHost() + url.getRawPath()
                        : url.toString();
                throw ConfigValues.outOfRange(
                        key(BASE_URL),
                        "'" + shown + "'",
                        "an absolute http or https URL, e.g. https://api.example.com");
            }
            return url;
        }

        /**
         * Sets the TCP connect timeout.
         *
         * @param timeout from {@link #MIN_TIMEOUT 1ms} to {@link #MAX_TIMEOUT 24h}; OkHttp would read 0 as never
         * @return this builder
         * @throws IllegalArgumentException naming {@value #CONNECT_TIMEOUT} when the timeout is out of range
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = checkTimeout(CONNECT_TIMEOUT, Objects.requireNonNull(timeout, "timeout == null"));
            return this;
        }

        /**
         * Sets the socket read timeout, also used for writes.
         *
         * @param timeout from {@link #MIN_TIMEOUT 1ms} to {@link #MAX_TIMEOUT 24h}; OkHttp would read 0 as never
         * @return this builder
         * @throws IllegalArgumentException naming {@value #READ_TIMEOUT} when the timeout is out of range
         */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = checkTimeout(READ_TIMEOUT, Objects.requireNonNull(timeout, "timeout == null"));
            return this;
        }

        /**
         * Sets the whole-call timeout.
         *
         * @param timeout from {@link #MIN_TIMEOUT 1ms} to {@link #MAX_TIMEOUT 24h}; OkHttp would read 0 as never
         * @return this builder
         * @throws IllegalArgumentException naming {@value #CALL_TIMEOUT} when the timeout is out of range
         */
        public Builder callTimeout(Duration timeout) {
            this.callTimeout = checkTimeout(CALL_TIMEOUT, Objects.requireNonNull(timeout, "timeout == null"));
            return this;
        }

        /**
         * Sets how many images upload at once.
         *
         * @param parallelism from 1 to {@value #MAX_UPLOAD_PARALLELISM}
         * @return this builder
         * @throws IllegalArgumentException naming {@value #UPLOAD_PARALLELISM} when out of range
         */
        public Builder uploadParallelism(int parallelism) {
            this.uploadParallelism =
                    ConfigValues.checkInt(key(UPLOAD_PARALLELISM), parallelism, 1, MAX_UPLOAD_PARALLELISM);
            return this;
        }

        /**
         * Sets the attempts per image upload.
         *
         * @param attempts from 1 to {@value #MAX_UPLOAD_MAX_ATTEMPTS}
         * @return this builder
         * @throws IllegalArgumentException naming {@value #UPLOAD_MAX_ATTEMPTS} when out of range
         */
        public Builder uploadMaxAttempts(int attempts) {
            this.uploadMaxAttempts =
                    ConfigValues.checkInt(key(UPLOAD_MAX_ATTEMPTS), attempts, 1, MAX_UPLOAD_MAX_ATTEMPTS);
            return this;
        }

        /**
         * Sets how long generate waits for its images.
         *
         * @param timeout from {@link #MIN_TIMEOUT 1ms} to {@link #MAX_TIMEOUT 24h}
         * @return this builder
         * @throws IllegalArgumentException naming {@value #GENERATE_TIMEOUT} when out of range
         */
        public Builder generateTimeout(Duration timeout) {
            this.generateTimeout = checkTimeout(GENERATE_TIMEOUT, Objects.requireNonNull(timeout, "timeout == null"));
            return this;
        }

        /**
         * Sets the usual pause between two looks at a pending generation.
         *
         * @param interval from 1ms to {@link #MAX_GENERATE_POLL_INTERVAL 1h}
         * @return this builder
         * @throws IllegalArgumentException naming {@value #GENERATE_POLL_INTERVAL} when out of range
         */
        public Builder generatePollInterval(Duration interval) {
            this.generatePollInterval = ConfigValues.checkDuration(
                    key(GENERATE_POLL_INTERVAL),
                    Objects.requireNonNull(interval, "interval == null"),
                    Duration.ofMillis(1),
                    MAX_GENERATE_POLL_INTERVAL);
            return this;
        }

        /**
         * Sets the checkpoint used when a generation request names none.
         *
         * @param model the service's model name, not blank
         * @return this builder
         * @throws IllegalArgumentException naming {@value #GENERATE_MODEL} when the name is blank
         */
        public Builder generateModel(String model) {
            Objects.requireNonNull(model, "model == null");
            if (model.isBlank()) {
                throw ConfigValues.outOfRange(key(GENERATE_MODEL), "'" + model + "'", "a model name, not blank");
            }
            this.generateModel = model;
            return this;
        }

        /**
         * Sets the largest response body read; a bigger one is a {@code MalformedResponseException} on a 2xx, and is
         * not read whole. Default {@link #DEFAULT_MAX_RESPONSE_SIZE 16 MiB}.
         *
         * @param bytes from {@value #MIN_MAX_RESPONSE_SIZE} (1 KiB) to {@value #MAX_MAX_RESPONSE_SIZE} (1 GiB)
         * @return this builder
         * @throws IllegalArgumentException naming {@value #MAX_RESPONSE_SIZE} when out of range
         */
        public Builder maxResponseSize(long bytes) {
            this.maxResponseSize =
                    ConfigValues.checkSize(key(MAX_RESPONSE_SIZE), bytes, MIN_MAX_RESPONSE_SIZE, MAX_MAX_RESPONSE_SIZE);
            return this;
        }

        /**
         * Sets the clock.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock == null");
            return this;
        }

        /**
         * Sets how the adapter waits between attempts and polls.
         *
         * @param pause the pause
         * @return this builder
         */
        public Builder pause(ImageUploads.Pause pause) {
            this.pause = Objects.requireNonNull(pause, "pause == null");
            return this;
        }

        private Duration checkTimeout(String option, Duration timeout) {
            return ConfigValues.checkDuration(key(option), timeout, MIN_TIMEOUT, MAX_TIMEOUT);
        }

        private String key(String option) {
            return "loraport." + providerId + "." + option;
        }

        /**
         * Builds the settings.
         *
         * @return the settings
         * @throws NullPointerException when no API key was set
         * @throws IllegalStateException when the API key is blank
         */
        public AdapterSettings build() {
            String key = Objects.requireNonNull(apiKey, "apiKey == null");
            if (key.isBlank()) {
                throw new IllegalStateException("no API key: set loraport." + providerId + ".api-key or LORAPORT_"
                        + providerId.toUpperCase(Locale.ROOT) + "_API_KEY");
            }
            return new AdapterSettings(this, key);
        }
    }
}
