package dev.loraport;

import dev.loraport.internal.config.ConfigValues;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How to reach one provider: which one, the API key, base URL, timeouts and provider options. Immutable and
 * thread-safe; {@link #toString()} never shows the API key.
 *
 * <p>Configuration keys, read by {@link #fromMap(Map)} and {@link #fromEnvironment(Map)}:
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>property</th><th>environment</th><th>meaning</th></tr>
 *   <tr><td>{@code loraport.provider}</td><td>{@code LORAPORT_PROVIDER}</td><td>the provider id</td></tr>
 *   <tr><td>{@code loraport.<id>.api-key}</td><td>{@code LORAPORT_<ID>_API_KEY} (or {@code <ID>_API_KEY})</td>
 *       <td>the API key</td></tr>
 *   <tr><td>{@code loraport.<id>.base-url}</td><td>{@code LORAPORT_<ID>_BASE_URL}</td><td>the service URL</td></tr>
 *   <tr><td>{@code loraport.<id>.connect-timeout}, {@code read-timeout}, {@code call-timeout}</td>
 *       <td>{@code LORAPORT_<ID>_CONNECT_TIMEOUT}...</td><td>durations: {@code 10s}, {@code PT1M}; never negative,
 *       and an adapter takes only more than 0 (OkHttp reads 0 as no timeout)</td></tr>
 *   <tr><td>{@code loraport.<id>.<option>}</td><td>{@code LORAPORT_<ID>_<OPTION>}</td>
 *       <td>any other provider or decorator option ({@code retry.max-attempts}...)</td></tr>
 *   <tr><td>{@code loraport.<key>}</td><td>{@code LORAPORT_<KEY>}</td>
 *       <td>a global option ({@code metrics.enabled}...)</td></tr>
 * </table>
 *
 * <p>{@link #fromMap(Map)} also takes environment-style keys in the same map ({@code LORAPORT_PROVIDER},
 * {@code LORAPORT_NOVITA_API_KEY}, {@code NOVITA_API_KEY}), translated as {@link #propertiesFromEnvironment}
 * does; a dotted key wins over the variable for the same setting. When no key is found,
 * {@link #requireApiKey()} names the keys the map held (never their values).
 *
 * <p>Option keys match loosely: case, {@code .}, {@code -} and {@code _} are ignored, so
 * {@code retry.max-attempts} and {@code RETRY_MAX_ATTEMPTS} are the same key.
 *
 * <p>This class checks only that a value reads as its type (and that no duration is negative); the adapter or
 * decorator that takes a setting checks its range when the provider is built, with a message naming the full key.
 *
 * @since 0.1
 */
public final class ProviderConfig {

    private static final Set<String> SECRET_HINTS = Set.of("key", "secret", "token", "password");

    private final @Nullable String providerId;
    private final @Nullable String apiKey;
    private final @Nullable URI baseUrl;
    private final @Nullable Duration connectTimeout;
    private final @Nullable Duration readTimeout;
    private final @Nullable Duration callTimeout;
    private final Map<String, String> options;
    private final Map<String, String> globalOptions;
    /** The configuration-like key names the map this came from held (never values); null when not from a map. */
    private final @Nullable List<String> seenKeys;

    private ProviderConfig(Builder b) {
        this.providerId = b.providerId;
        this.apiKey = b.apiKey;
        this.baseUrl = b.baseUrl;
        this.connectTimeout = b.connectTimeout;
        this.readTimeout = b.readTimeout;
        this.callTimeout = b.callTimeout;
        this.options = Collections.unmodifiableMap(new LinkedHashMap<>(b.options));
        this.globalOptions = Collections.unmodifiableMap(new LinkedHashMap<>(b.globalOptions));
        this.seenKeys = b.seenKeys;
    }

    /**
     * A new, empty builder.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this configuration.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Reads {@code loraport.provider} and the {@code loraport.<id>.*} keys.
     *
     * @param properties the keys and values
     * @return the configuration; its provider id is empty when {@code loraport.provider} is not set
     */
    public static ProviderConfig fromMap(Map<String, String> properties) {
        String id = null;
        for (Map.Entry<String, String> e : properties.entrySet()) {
            if (ConfigValues.canonicalKey(e.getKey()).equals("loraportprovider")) {
                id = e.getValue().trim();
            }
        }
        return fromMap(id, properties);
    }

    /**
     * Reads the {@code loraport.<id>.*} keys of a given provider.
     *
     * @param providerId the provider id, or null to read only global keys
     * @param properties the keys and values
     * @return the configuration
     */
    public static ProviderConfig fromMap(@Nullable String providerId, Map<String, String> properties) {
        Builder b = builder().providerId(providerId);
        b.seenKeys = seenKeys(properties);
        String prefix = providerId == null ? null : "loraport." + providerId.toLowerCase(Locale.ROOT) + ".";
        for (Map.Entry<String, String> e :
                withEnvironmentStyleKeys(providerId, properties).entrySet()) {
            String key = e.getKey().trim();
            String lower = key.toLowerCase(Locale.ROOT);
            if (prefix != null && lower.startsWith(prefix)) {
                b.set(key, key.substring(prefix.length()), e.getValue());
            } else if (lower.startsWith("loraport.")
                    && !ConfigValues.canonicalKey(key).equals("loraportprovider")) {
                String rest = key.substring("loraport.".length());
                // Another provider's key must not travel with this configuration.
                if (!isSecret(rest)) {
                    b.globalOption(rest, e.getValue());
                }
            }
        }
        return b.build();
    }

    /**
     * The map with its environment-style keys ({@code LORAPORT_NOVITA_API_KEY}, {@code NOVITA_API_KEY},
     * {@code LORAPORT_RETRY_MAX_ATTEMPTS}) translated as {@link #propertiesFromEnvironment} does; a dotted key
     * wins over the environment-style key for the same setting.
     */
    private static Map<String, String> withEnvironmentStyleKeys(
            @Nullable String providerId, Map<String, String> properties) {
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, String> dotted = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : properties.entrySet()) {
            if (isEnvironmentStyle(e.getKey())) {
                env.put(e.getKey().trim(), e.getValue());
            } else {
                dotted.put(e.getKey(), e.getValue());
            }
        }
        if (env.isEmpty()) {
            return properties;
        }
        Map<String, String> merged = new LinkedHashMap<>(
                propertiesFromEnvironment(providerId == null ? null : providerId.toLowerCase(Locale.ROOT), env));
        merged.putAll(dotted);
        return merged;
    }

    /** Upper case, digits and underscores, with at least one underscore: a variable name, not a property key. */
    private static boolean isEnvironmentStyle(String key) {
        String k = key.trim();
        return k.indexOf('_') > 0
                && k.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
    }

    /** The names in a map that look like configuration (they mention loraport or a key); values are never kept. */
    private static List<String> seenKeys(Map<String, String> properties) {
        return properties.keySet().stream()
                .filter(k -> {
                    String lower = k.toLowerCase(Locale.ROOT);
                    return lower.contains("loraport") || lower.contains("key");
                })
                .sorted()
                .distinct()
                .limit(20)
                .toList();
    }

    /**
     * Reads a {@link Properties} file's keys, as {@link #fromMap(Map)} does.
     *
     * @param properties the properties
     * @return the configuration
     */
    public static ProviderConfig fromProperties(Properties properties) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            map.put(name, properties.getProperty(name));
        }
        return fromMap(map);
    }

    /**
     * Reads environment variables: {@code LORAPORT_PROVIDER} and {@code LORAPORT_<ID>_*}, plus
     * {@code <ID>_API_KEY} as a fallback for the key.
     *
     * @param environment the variables, usually {@link System#getenv()}
     * @return the configuration; its provider id is empty when {@code LORAPORT_PROVIDER} is not set
     */
    public static ProviderConfig fromEnvironment(Map<String, String> environment) {
        String id = environment.get("LORAPORT_PROVIDER");
        return fromEnvironment(id == null || id.isBlank() ? null : id.trim().toLowerCase(Locale.ROOT), environment);
    }

    /**
     * Reads the environment variables of a given provider.
     *
     * @param providerId the provider id, or null to read only global variables
     * @param environment the variables
     * @return the configuration
     */
    public static ProviderConfig fromEnvironment(@Nullable String providerId, Map<String, String> environment) {
        return fromMap(providerId, propertiesFromEnvironment(providerId, environment));
    }

    /**
     * Translates environment variables into the {@code loraport.*} property keys they stand for, so tools
     * can merge them with a properties file: {@code LORAPORT_<ID>_RETRY_MAX_ATTEMPTS} becomes
     * {@code loraport.<id>.retry-max-attempts} (which matches {@code retry.max-attempts}), {@code <ID>_API_KEY}
     * becomes {@code loraport.<id>.api-key}, {@code LORAPORT_METRICS_ENABLED} becomes
     * {@code loraport.metrics-enabled}.
     *
     * @param providerId the provider id, or null to translate only global variables
     * @param environment the variables
     * @return the properties, in a stable order; unrelated variables are left out
     */
    public static Map<String, String> propertiesFromEnvironment(
            @Nullable String providerId, Map<String, String> environment) {
        Map<String, String> props = new LinkedHashMap<>();
        String prefix = providerId == null ? null : "LORAPORT_" + providerId.toUpperCase(Locale.ROOT) + "_";
        if (providerId != null) {
            String upper = providerId.toUpperCase(Locale.ROOT);
            for (String fallback : new String[] {upper + "_KEY", upper + "_API_KEY"}) {
                String v = environment.get(fallback);
                if (v != null && !v.isBlank()) {
                    props.put("loraport." + providerId + ".api-key", v);
                }
            }
        }
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(environment).entrySet()) {
            String name = e.getKey();
            if (prefix != null && name.startsWith(prefix)) {
                props.put("loraport." + providerId + "." + envToKey(name.substring(prefix.length())), e.getValue());
            } else if (name.startsWith("LORAPORT_") && !name.equals("LORAPORT_PROVIDER")) {
                props.put("loraport." + envToKey(name.substring("LORAPORT_".length())), e.getValue());
            }
        }
        return props;
    }

    private static String envToKey(String rest) {
        return rest.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static boolean isSecret(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return SECRET_HINTS.stream().anyMatch(lower::contains);
    }

    /**
     * The provider this configuration is for.
     *
     * @return the id, or empty when the configuration does not name one
     */
    public Optional<String> providerId() {
        return Optional.ofNullable(providerId);
    }

    /**
     * The API key.
     *
     * @return the key, or empty (simulators and fakes may not need one)
     */
    public Optional<String> apiKey() {
        return Optional.ofNullable(apiKey);
    }

    /**
     * The API key, required.
     *
     * @return the key
     * @throws IllegalStateException naming the property and environment variable to set
     */
    public String requireApiKey() {
        if (apiKey == null || apiKey.isBlank()) {
            String id = providerId == null ? "<id>" : providerId;
            List<String> seen = seenKeys;
            throw new IllegalStateException("no API key: set loraport." + id + ".api-key or LORAPORT_"
                    + id.toUpperCase(Locale.ROOT) + "_API_KEY"
                    + (seen == null
                            ? ""
                            : seen.isEmpty()
                                    ? "; the configuration held no loraport or key entries"
                                    : "; keys seen: " + String.join(", ", seen)));
        }
        return apiKey;
    }

    /**
     * The service's base URL.
     *
     * @return the URL, or empty for the provider's default
     */
    public Optional<URI> baseUrl() {
        return Optional.ofNullable(baseUrl);
    }

    /**
     * The TCP connect timeout.
     *
     * @return the timeout, or empty for the provider's default
     */
    public Optional<Duration> connectTimeout() {
        return Optional.ofNullable(connectTimeout);
    }

    /**
     * The socket read timeout.
     *
     * @return the timeout, or empty for the provider's default
     */
    public Optional<Duration> readTimeout() {
        return Optional.ofNullable(readTimeout);
    }

    /**
     * The whole-call timeout.
     *
     * @return the timeout, or empty for the provider's default
     */
    public Optional<Duration> callTimeout() {
        return Optional.ofNullable(callTimeout);
    }

    /**
     * The provider options (keys relative to {@code loraport.<id>.}).
     *
     * @return an unmodifiable map
     */
    public Map<String, String> options() {
        return options;
    }

    /**
     * The global options (keys relative to {@code loraport.}, such as {@code metrics.enabled}).
     *
     * @return an unmodifiable map
     */
    public Map<String, String> globalOptions() {
        return globalOptions;
    }

    /**
     * One provider option, matched loosely.
     *
     * @param key the key relative to {@code loraport.<id>.}, such as {@code retry.max-attempts}
     * @return the value, or empty
     */
    public Optional<String> option(String key) {
        return find(options, key);
    }

    /**
     * One global option, matched loosely.
     *
     * @param key the key relative to {@code loraport.}, such as {@code metrics.enabled}
     * @return the value, or empty
     */
    public Optional<String> globalOption(String key) {
        return find(globalOptions, key);
    }

    private static Optional<String> find(Map<String, String> map, String key) {
        String canonical = ConfigValues.canonicalKey(key);
        String found = null;
        for (Map.Entry<String, String> e : map.entrySet()) {
            if (ConfigValues.canonicalKey(e.getKey()).equals(canonical)) {
                found = e.getValue();
            }
        }
        return Optional.ofNullable(found);
    }

    private String fullKey(String key) {
        return "loraport." + (providerId == null ? "<id>" : providerId) + "." + key;
    }

    /**
     * A whole-number provider option.
     *
     * @param key the key
     * @param defaultValue the value when the option is not set
     * @return the value
     * @throws IllegalArgumentException naming the key when the value is not a number
     */
    public int intOption(String key, int defaultValue) {
        return option(key).map(v -> ConfigValues.parseInt(fullKey(key), v)).orElse(defaultValue);
    }

    /**
     * A decimal provider option.
     *
     * @param key the key
     * @param defaultValue the value when the option is not set
     * @return the value
     * @throws IllegalArgumentException naming the key when the value is not a number
     */
    public double doubleOption(String key, double defaultValue) {
        return option(key).map(v -> ConfigValues.parseDouble(fullKey(key), v)).orElse(defaultValue);
    }

    /**
     * A boolean provider option.
     *
     * @param key the key
     * @param defaultValue the value when the option is not set
     * @return the value
     * @throws IllegalArgumentException naming the key and the accepted values
     */
    public boolean booleanOption(String key, boolean defaultValue) {
        return option(key).map(v -> ConfigValues.parseBoolean(fullKey(key), v)).orElse(defaultValue);
    }

    /**
     * A duration provider option ({@code 500ms}, {@code 30s}, {@code 2m}, {@code PT1M}, or seconds).
     *
     * @param key the key
     * @param defaultValue the value when the option is not set
     * @return the value; zero or more when the option is set
     * @throws IllegalArgumentException naming the key and the accepted forms, also when the value is negative
     */
    public Duration durationOption(String key, Duration defaultValue) {
        return option(key).map(v -> ConfigValues.parseDuration(fullKey(key), v)).orElse(defaultValue);
    }

    /**
     * A size provider option in bytes ({@code 1048576}, {@code 512KiB}, {@code 16MiB}, {@code 1GiB}), as the
     * adapters read {@code max-response-size}.
     *
     * @param key the key
     * @param defaultValue the value when the option is not set
     * @return the value; zero or more when the option is set
     * @throws IllegalArgumentException naming the key and the accepted forms, also when the value is negative
     * @since 0.2
     */
    public long sizeOption(String key, long defaultValue) {
        return option(key).map(v -> ConfigValues.parseSize(fullKey(key), v)).orElse(defaultValue);
    }

    private java.util.List<Object> values() {
        return Arrays.asList(
                providerId, apiKey, baseUrl, connectTimeout, readTimeout, callTimeout, options, globalOptions);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof ProviderConfig other && values().equals(other.values());
    }

    @Override
    public int hashCode() {
        return values().hashCode();
    }

    /** Shows everything but secrets: the API key and any option whose name says key, secret, token or password. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ProviderConfig{provider=").append(providerId);
        sb.append(", apiKey=").append(apiKey == null ? "unset" : "****");
        if (baseUrl != null) {
            sb.append(", baseUrl=").append(baseUrl);
        }
        if (connectTimeout != null) {
            sb.append(", connectTimeout=").append(connectTimeout);
        }
        if (readTimeout != null) {
            sb.append(", readTimeout=").append(readTimeout);
        }
        if (callTimeout != null) {
            sb.append(", callTimeout=").append(callTimeout);
        }
        appendOptions(sb, "options", options);
        appendOptions(sb, "globalOptions", globalOptions);
        return sb.append('}').toString();
    }

    private static void appendOptions(StringBuilder sb, String label, Map<String, String> map) {
        if (map.isEmpty()) {
            return;
        }
        sb.append(", ").append(label).append("={");
        String sep = "";
        for (Map.Entry<String, String> e : map.entrySet()) {
            sb.append(sep).append(e.getKey()).append('=').append(isSecret(e.getKey()) ? "****" : e.getValue());
            sep = ", ";
        }
        sb.append('}');
    }

    /** Builds a {@link ProviderConfig}. Not thread-safe. */
    public static final class Builder {
        private @Nullable String providerId;
        private @Nullable String apiKey;
        private @Nullable URI baseUrl;
        private @Nullable Duration connectTimeout;
        private @Nullable Duration readTimeout;
        private @Nullable Duration callTimeout;
        private final Map<String, String> options = new LinkedHashMap<>();
        private final Map<String, String> globalOptions = new LinkedHashMap<>();
        private @Nullable List<String> seenKeys;

        private Builder() {}

        private Builder(ProviderConfig c) {
            providerId = c.providerId;
            apiKey = c.apiKey;
            baseUrl = c.baseUrl;
            connectTimeout = c.connectTimeout;
            readTimeout = c.readTimeout;
            callTimeout = c.callTimeout;
            options.putAll(c.options);
            globalOptions.putAll(c.globalOptions);
            seenKeys = c.seenKeys;
        }

        private void set(String fullKey, String key, String value) {
            switch (ConfigValues.canonicalKey(key)) {
                case "apikey" -> apiKey(value.trim());
                case "baseurl" -> {
                    try {
                        baseUrl(URI.create(value.trim()));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(
                                fullKey + ": '" + value + "' is not a URL; must be an absolute http or https URL");
                    }
                }
                case "connecttimeout" -> connectTimeout(ConfigValues.parseDuration(fullKey, value));
                case "readtimeout" -> readTimeout(ConfigValues.parseDuration(fullKey, value));
                case "calltimeout" -> callTimeout(ConfigValues.parseDuration(fullKey, value));
                default -> option(key, value);
            }
        }

        /**
         * Sets the provider id.
         *
         * @param providerId the id, or null
         * @return this builder
         */
        public Builder providerId(@Nullable String providerId) {
            this.providerId = providerId == null ? null : providerId.trim().toLowerCase(Locale.ROOT);
            return this;
        }

        /**
         * Sets the API key.
         *
         * @param apiKey the key, or null
         * @return this builder
         */
        public Builder apiKey(@Nullable String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /**
         * Sets the base URL.
         *
         * @param baseUrl the URL, or null for the provider's default
         * @return this builder
         */
        public Builder baseUrl(@Nullable URI baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        /**
         * Sets the base URL.
         *
         * @param baseUrl the URL
         * @return this builder
         */
        public Builder baseUrl(String baseUrl) {
            return baseUrl(URI.create(Objects.requireNonNull(baseUrl, "baseUrl == null")));
        }

        /**
         * Sets the connect timeout.
         *
         * @param timeout the timeout, or null for the default
         * @return this builder
         */
        public Builder connectTimeout(@Nullable Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * Sets the read timeout.
         *
         * @param timeout the timeout, or null for the default
         * @return this builder
         */
        public Builder readTimeout(@Nullable Duration timeout) {
            this.readTimeout = timeout;
            return this;
        }

        /**
         * Sets the whole-call timeout.
         *
         * @param timeout the timeout, or null for the default
         * @return this builder
         */
        public Builder callTimeout(@Nullable Duration timeout) {
            this.callTimeout = timeout;
            return this;
        }

        /**
         * Sets one provider option.
         *
         * @param key the key relative to {@code loraport.<id>.}
         * @param value the value
         * @return this builder
         */
        public Builder option(String key, String value) {
            options.put(Objects.requireNonNull(key, "key == null"), Objects.requireNonNull(value, "value == null"));
            return this;
        }

        /**
         * Sets one global option.
         *
         * @param key the key relative to {@code loraport.}
         * @param value the value
         * @return this builder
         */
        public Builder globalOption(String key, String value) {
            globalOptions.put(
                    Objects.requireNonNull(key, "key == null"), Objects.requireNonNull(value, "value == null"));
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the configuration
         */
        public ProviderConfig build() {
            return new ProviderConfig(this);
        }
    }
}
