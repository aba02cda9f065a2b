package dev.loraport.spring.boot;

import dev.loraport.TrainingProvider;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * With Spring Boot Actuator on the class path, one {@link ProviderHealthIndicator} per {@link TrainingProvider}
 * bean (the starter's or the application's), grouped as the {@code loraport} health contributor and named by
 * provider id ({@code /actuator/health/loraport/novita}). {@code loraport.health.enabled=false} turns it off; a
 * bean named {@code loraportHealthContributor} replaces it.
 *
 * <p>Thread-safety: Spring calls the factory method once; the indicators are thread-safe.
 *
 * @since 0.1
 */
@AutoConfiguration(after = LoraportAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(TrainingProvider.class)
@ConditionalOnProperty(prefix = "loraport.health", name = "enabled", matchIfMissing = true)
public class LoraportHealthAutoConfiguration {

    /** Created by Spring. */
    public LoraportHealthAutoConfiguration() {}

    /**
     * One indicator per provider bean, keyed by provider id (and bean name when two share an id).
     *
     * @param providers the provider beans by name
     * @param properties the settings ({@code loraport.health.cache-ttl})
     * @return the contributor
     */
    @Bean
    @ConditionalOnMissingBean(name = "loraportHealthContributor")
    public HealthContributor loraportHealthContributor(
            Map<String, TrainingProvider> providers, LoraportProperties properties) {
        Map<String, HealthIndicator> indicators = new LinkedHashMap<>();
        providers.forEach((bean, provider) -> {
            String id = provider.info().id();
            String key = indicators.containsKey(id) ? id + "-" + bean : id;
            indicators.put(
                    key,
                    new ProviderHealthIndicator(provider, properties.getHealth().getCacheTtl(), Clock.systemUTC()));
        });
        return CompositeHealthContributor.fromMap(indicators);
    }
}
