package dev.loraport.spring.boot;

import dev.loraport.PageRequest;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingProviderException;
import dev.loraport.decorators.LoraportMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The health of one provider: {@code UP} when a list of one job answers, {@code DOWN} with the error's class and
 * outcome when it fails, {@code UNKNOWN} for a provider that cannot list (no probe that could cost money is ever
 * made: no create, no generate). One probe answers every check for the cache time, so a busy health endpoint
 * does not spend the service's rate limit. Details never hold the API key or the service's error text.
 *
 * <p>Thread-safe: concurrent checks within the cache time share one probe.
 *
 * @since 0.1
 */
public final class ProviderHealthIndicator implements HealthIndicator {

    private final TrainingProvider provider;
    private final Duration cacheTtl;
    private final Clock clock;
    private @Nullable Health cached;
    private long cachedUntil;

    /**
     * A health indicator.
     *
     * @param provider the provider to probe, which the caller keeps
     * @param cacheTtl how long one probe answers; zero probes every time
     * @param clock the clock of the cache
     */
    public ProviderHealthIndicator(TrainingProvider provider, Duration cacheTtl, Clock clock) {
        this.provider = Objects.requireNonNull(provider, "provider == null");
        this.cacheTtl = Objects.requireNonNull(cacheTtl, "cacheTtl == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    /**
     * The provider's health, from the cache or a new probe.
     *
     * @return the health, never null
     */
    @Override
    public synchronized Health health() {
        long now = clock.millis();
        Health h = cached;
        if (h != null && now < cachedUntil) {
            return h;
        }
        h = probe();
        cached = h;
        cachedUntil = now + cacheTtl.toMillis();
        return h;
    }

    private Health probe() {
        String id = provider.info().id();
        if (!provider.info().capabilities().supportsList()) {
            return Health.unknown()
                    .withDetail("provider", id)
                    .withDetail("reason", "the provider cannot list jobs, the only probe that costs nothing")
                    .build();
        }
        try {
            provider.list(PageRequest.first(1));
            return Health.up()
                    .withDetail("provider", id)
                    .withDetail("probe", "list")
                    .build();
        } catch (TrainingProviderException e) {
            return Health.down()
                    .withDetail("provider", id)
                    .withDetail("error", e.getClass().getSimpleName())
                    .withDetail("outcome", LoraportMetrics.Outcome.of(e).asTag())
                    .build();
        } catch (RuntimeException e) {
            return Health.down()
                    .withDetail("provider", id)
                    .withDetail("error", e.getClass().getSimpleName())
                    .build();
        }
    }
}
