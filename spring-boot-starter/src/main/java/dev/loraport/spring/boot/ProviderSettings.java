package dev.loraport.spring.boot;

import dev.loraport.ProviderConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Turns the bound {@link LoraportProperties} into the {@link ProviderConfig} of the chosen provider. */
final class ProviderSettings {

    /** The provider sections {@link LoraportProperties} binds, in the order a message lists them. */
    static final List<String> IDS = List.of("novita", "stablediffusionapi", "replicate");

    private ProviderSettings() {}

    /** The ids whose section has an API key. */
    static List<String> withKeys(LoraportProperties properties) {
        List<String> out = new ArrayList<>();
        for (String id : IDS) {
            LoraportProperties.Provider p = properties.provider(id);
            if (p != null && hasText(p.getApiKey())) {
                out.add(id);
            }
        }
        return out;
    }

    /** Whether a provider should be built at all: one is named, or a section has a key. */
    static boolean anyConfigured(LoraportProperties properties) {
        return hasText(properties.getProvider()) || !withKeys(properties).isEmpty();
    }

    /**
     * The id to build: {@code loraport.provider}, else the one section with a key.
     *
     * @throws IllegalStateException when several have keys and none is named, naming them and the property
     */
    static String choose(LoraportProperties properties) {
        String named = properties.getProvider();
        if (hasText(named)) {
            return named.strip();
        }
        List<String> keyed = withKeys(properties);
        if (keyed.size() == 1) {
            return keyed.get(0);
        }
        if (keyed.isEmpty()) {
            throw new IllegalStateException("loraport: no provider configured; set loraport.<id>.api-key for one of "
                    + IDS + ", or loraport.provider");
        }
        throw new IllegalStateException(
                "loraport: API keys are set for " + keyed + "; choose the provider to build with loraport.provider");
    }

    /** The configuration of one provider, every decorator setting spelled out as ProviderStack reads it. */
    static ProviderConfig config(String id, LoraportProperties properties) {
        LoraportProperties.Provider p = properties.provider(id);
        ProviderConfig.Builder b = ProviderConfig.builder().providerId(id);
        b.globalOption(
                "metrics.enabled", Boolean.toString(properties.getMetrics().isEnabled()));
        if (p == null) {
            return b.build();
        }
        if (hasText(p.getApiKey())) {
            b.apiKey(p.getApiKey().strip());
        }
        if (hasText(p.getBaseUrl())) {
            b.baseUrl(p.getBaseUrl().strip());
        }
        b.connectTimeout(p.getConnectTimeout());
        b.readTimeout(p.getReadTimeout());
        b.callTimeout(p.getCallTimeout());
        p.getOptions().forEach(b::option);
        LoraportProperties.Retry r = p.getRetry();
        b.option("retry.enabled", Boolean.toString(r.isEnabled()));
        b.option("retry.max-attempts", Integer.toString(r.getMaxAttempts()));
        b.option("retry.initial-backoff", millis(r.getInitialBackoff()));
        b.option("retry.multiplier", Double.toString(r.getMultiplier()));
        b.option("retry.max-backoff", millis(r.getMaxBackoff()));
        b.option("retry.jitter", Double.toString(r.getJitter()));
        b.option("retry.max-retry-after", millis(r.getMaxRetryAfter()));
        LoraportProperties.Reconcile c = p.getReconcile();
        b.option("reconcile.delay", millis(c.getDelay()));
        b.option("reconcile.max-pages", Integer.toString(c.getMaxPages()));
        b.option("reconcile.in-flight-wait", millis(c.getInFlightWait()));
        LoraportProperties.RateLimit l = p.getRatelimit();
        b.option("ratelimit.enabled", Boolean.toString(l.isEnabled()));
        b.option("ratelimit.permits-per-second", Double.toString(l.getPermitsPerSecond()));
        b.option("ratelimit.max-wait", millis(l.getMaxWait()));
        LoraportProperties.CircuitBreaker k = p.getCircuitbreaker();
        b.option("circuitbreaker.enabled", Boolean.toString(k.isEnabled()));
        b.option("circuitbreaker.failure-rate-threshold", Double.toString(k.getFailureRateThreshold()));
        b.option("circuitbreaker.sliding-window-size", Integer.toString(k.getSlidingWindowSize()));
        b.option("circuitbreaker.minimum-number-of-calls", Integer.toString(k.getMinimumNumberOfCalls()));
        b.option("circuitbreaker.wait-duration-in-open-state", millis(k.getWaitDurationInOpenState()));
        b.option(
                "circuitbreaker.permitted-calls-in-half-open-state",
                Integer.toString(k.getPermittedCallsInHalfOpenState()));
        return b.build();
    }

    private static String millis(Duration d) {
        return d.toMillis() + "ms";
    }

    private static boolean hasText(@Nullable String s) {
        return s != null && !s.isBlank();
    }
}
