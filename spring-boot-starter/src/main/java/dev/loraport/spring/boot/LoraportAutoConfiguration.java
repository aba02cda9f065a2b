package dev.loraport.spring.boot;

import dev.loraport.TrainingProvider;
import dev.loraport.decorators.LoraportObservationConvention;
import dev.loraport.decorators.ProviderStack;
import dev.loraport.decorators.WatcherMetrics;
import dev.loraport.store.postgres.PostgresTaskStore;
import dev.loraport.watch.TaskListener;
import dev.loraport.watch.TaskStore;
import dev.loraport.watch.TaskWatcher;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configures loraport from {@link LoraportProperties}: the {@link TaskStore} ({@code loraport.store.type}), the
 * {@link TrainingProvider} (the full {@link ProviderStack} on Boot's {@link MeterRegistry} and
 * {@link ObservationRegistry} when the application has them), and a {@link TaskWatcher} on the store, closed with
 * the context. Every bean backs off when the application defines its own of that type; no provider is built
 * unless {@code loraport.provider} or an {@code loraport.<id>.api-key} is set.
 *
 * <p>Thread-safety: Spring calls these factory methods once, at start-up; the beans are thread-safe.
 *
 * @since 0.1
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration",
            "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration"
        })
@EnableConfigurationProperties(LoraportProperties.class)
public class LoraportAutoConfiguration {

    /** Created by Spring. */
    public LoraportAutoConfiguration() {}

    /**
     * The PostgreSQL store, with {@code loraport.store.type=postgres}, {@code loraport-store-postgres} on the class
     * path and a {@link DataSource} bean. Created by Spring.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "dev.loraport.store.postgres.PostgresTaskStore")
    @ConditionalOnProperty(prefix = "loraport.store", name = "type", havingValue = "postgres")
    @ConditionalOnBean(DataSource.class)
    public static class PostgresStoreConfiguration {

        /** Created by Spring. */
        public PostgresStoreConfiguration() {}

        /**
         * The PostgreSQL store on the application's data source.
         *
         * @param properties the settings
         * @param dataSource the application's data source, which the application closes
         * @return the store
         */
        @Bean
        @ConditionalOnMissingBean(TaskStore.class)
        public TaskStore loraportTaskStore(LoraportProperties properties, DataSource dataSource) {
            LoraportProperties.Postgres pg = properties.getStore().getPostgres();
            return PostgresTaskStore.builder(dataSource)
                    .schema(pg.getSchema())
                    .createSchema(pg.isCreateSchema())
                    .build();
        }
    }

    /**
     * The file or in-memory store ({@code loraport.store.type}, default {@code file}).
     *
     * @param properties the settings
     * @return the store
     * @throws IllegalStateException for {@code postgres} without a DataSource bean or the store module
     */
    @Bean
    @ConditionalOnMissingBean(TaskStore.class)
    public TaskStore loraportTaskStore(LoraportProperties properties) {
        LoraportProperties.Store store = properties.getStore();
        return switch (store.getType()) {
            case FILE -> TaskStore.file(Path.of(store.getPath()));
            case MEMORY -> TaskStore.inMemory();
            case POSTGRES ->
                throw new IllegalStateException(
                        "loraport.store.type=postgres needs a javax.sql.DataSource bean and dev.loraport:"
                                + "loraport-store-postgres on the class path");
        };
    }

    /**
     * The decorated provider {@code loraport.provider} names, or the one with an API key.
     *
     * @param properties the settings
     * @param store the store that journals every create
     * @param meters Boot's meter registry, if any (else Micrometer's global one)
     * @param observations Boot's observation registry, if any
     * @param convention an observation convention of the application's, if any
     * @return the provider, closed with the context
     * @throws IllegalStateException when several providers have keys and none is named, or the named one is not on
     *     the class path
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(TrainingProvider.class)
    @Conditional(OnProviderConfiguredCondition.class)
    public TrainingProvider loraportTrainingProvider(
            LoraportProperties properties,
            TaskStore store,
            ObjectProvider<MeterRegistry> meters,
            ObjectProvider<ObservationRegistry> observations,
            ObjectProvider<LoraportObservationConvention> convention) {
        String id = ProviderSettings.choose(properties);
        ProviderStack.Builder builder = ProviderStack.builder()
                .config(ProviderSettings.config(id, properties))
                .store(store);
        meters.ifAvailable(builder::meterRegistry);
        observations.ifAvailable(builder::observationRegistry);
        convention.ifAvailable(builder::observationConvention);
        return builder.build();
    }

    /**
     * The watcher of training jobs, on the store, with its gauge and counters on Boot's meter registry.
     *
     * @param properties the settings
     * @param store where watched jobs are kept
     * @param meters Boot's meter registry, if any
     * @return the watcher, closed with the context
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(TaskWatcher.class)
    @ConditionalOnProperty(prefix = "loraport.watcher", name = "enabled", matchIfMissing = true)
    public TaskWatcher loraportTaskWatcher(
            LoraportProperties properties, TaskStore store, ObjectProvider<MeterRegistry> meters) {
        LoraportProperties.Watcher w = properties.getWatcher();
        TaskWatcher watcher = TaskWatcher.builder()
                .store(store)
                .threads(w.getThreads())
                .minPollInterval(w.getMinPollInterval())
                .maxPollInterval(w.getMaxPollInterval())
                .build();
        if (properties.getMetrics().isEnabled()) {
            meters.ifAvailable(registry -> WatcherMetrics.bind(watcher, registry));
        }
        return watcher;
    }

    /**
     * Watches again, at start-up, the jobs an earlier run left in the store, telling every {@link TaskListener}
     * bean ({@code loraport.watcher.resume-on-start}, default true). Does nothing without a watcher, or without
     * exactly one provider.
     *
     * @param watcher the watcher, if any
     * @param provider the provider, if exactly one
     * @param store the store
     * @param listeners the application's listeners, in order
     * @return the resumer, started with the context
     */
    @Bean
    @ConditionalOnMissingBean(StoredTaskResumer.class)
    @ConditionalOnProperty(prefix = "loraport.watcher", name = "resume-on-start", matchIfMissing = true)
    public StoredTaskResumer loraportStoredTaskResumer(
            ObjectProvider<TaskWatcher> watcher,
            ObjectProvider<TrainingProvider> provider,
            TaskStore store,
            ObjectProvider<TaskListener> listeners) {
        return new StoredTaskResumer(
                watcher.getIfUnique(),
                provider.getIfUnique(),
                store,
                listeners.orderedStream().toList());
    }
}
