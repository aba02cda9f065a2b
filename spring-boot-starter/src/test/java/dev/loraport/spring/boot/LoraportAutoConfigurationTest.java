package dev.loraport.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loraport.PageRequest;
import dev.loraport.ProviderCapabilities;
import dev.loraport.ProviderInfo;
import dev.loraport.TaskId;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingTask;
import dev.loraport.decorators.LoraportMetrics;
import dev.loraport.decorators.ProviderStack;
import dev.loraport.simulators.Endpoint;
import dev.loraport.simulators.Fault;
import dev.loraport.simulators.NovitaSimulator;
import dev.loraport.simulators.StableDiffusionApiSimulator;
import dev.loraport.spi.TrainingProviders;
import dev.loraport.store.postgres.PostgresTaskStore;
import dev.loraport.watch.TaskStore;
import dev.loraport.watch.TaskWatcher;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Every condition of the auto-configuration, each on a fresh context. */
@Tag("issue-18")
class LoraportAutoConfigurationTest {

    static final NovitaSimulator novita = NovitaSimulator.create();
    static final StableDiffusionApiSimulator sdapi = StableDiffusionApiSimulator.create();

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        novita.start();
        sdapi.start();
    }

    @AfterAll
    static void stop() {
        novita.close();
        sdapi.close();
    }

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(
                        AutoConfigurations.of(LoraportAutoConfiguration.class, LoraportHealthAutoConfiguration.class))
                .withPropertyValues("loraport.store.type=memory");
    }

    @Test
    void withoutAnyKeyNoProviderIsBuiltButTheStoreAndWatcherAre() {
        runner().run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(TrainingProvider.class);
            assertThat(context).doesNotHaveBean(HealthContributor.class);
            assertThat(context).hasSingleBean(TaskStore.class).hasSingleBean(TaskWatcher.class);
        });
    }

    @Test
    void oneKeyBuildsThatProviderAsTheFullStack() {
        runner().withPropertyValues(SimulatorProperties.of(novita)).run(context -> {
            TrainingProvider p = context.getBean(TrainingProvider.class);
            assertThat(p.info().id()).isEqualTo("novita");
            assertThat(TrainingProviders.unwrap(p)).isNotSameAs(p);
            assertThat(ProviderStack.recover(p)).isEmpty();
            assertThat(p.list(PageRequest.first(1)).items()).isEmpty();
        });
    }

    @Test
    void twoProvidersOnTheClassPathWithKeysNeedAChoice() {
        runner().withPropertyValues(SimulatorProperties.of(novita))
                .withPropertyValues(SimulatorProperties.of(sdapi))
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("novita")
                        .hasMessageContaining("stablediffusionapi")
                        .hasMessageContaining("loraport.provider")
                        .hasMessageNotContaining(novita.apiKey()));
        runner().withPropertyValues(SimulatorProperties.of(novita))
                .withPropertyValues(SimulatorProperties.of(sdapi, "loraport.provider=stablediffusionapi"))
                .run(context -> {
                    TrainingProvider p = context.getBean(TrainingProvider.class);
                    assertThat(p.info().id()).isEqualTo("stablediffusionapi");
                    assertThat(TrainingProviders.unwrap(p).info().id()).isEqualTo("stablediffusionapi");
                });
    }

    @Test
    void jobsAnEarlierRunLeftInTheStoreAreWatchedAgainAtStartAndTheListenersHearOfThem() throws Exception {
        Path jobs = dir.resolve("jobs.txt");
        String finished = novita.seedTask("left-by-a-crash", java.time.Duration.ofDays(1));
        TaskStore earlier = TaskStore.file(jobs);
        earlier.save(dev.loraport.watch.TaskRef.of("novita", TaskId.of(finished), java.time.Instant.now()));
        earlier.save(
                dev.loraport.watch.TaskRef.of("stablediffusionapi", TaskId.of("not-ours"), java.time.Instant.now()));
        java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
        java.util.List<TrainingTask> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        dev.loraport.watch.TaskListener failing = new dev.loraport.watch.TaskListener() {
            @Override
            public void onTerminal(TrainingTask task) {
                throw new IllegalStateException("a listener with a bug");
            }
        };
        dev.loraport.watch.TaskListener recording = new dev.loraport.watch.TaskListener() {
            @Override
            public void onTerminal(TrainingTask task) {
                heard.add(task);
                ended.countDown();
            }
        };

        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LoraportAutoConfiguration.class))
                .withPropertyValues(SimulatorProperties.of(
                        novita,
                        "loraport.store.type=file",
                        "loraport.store.path=" + jobs,
                        "loraport.watcher.min-poll-interval=20ms"))
                .withBean("failing", dev.loraport.watch.TaskListener.class, () -> failing)
                .withBean("recording", dev.loraport.watch.TaskListener.class, () -> recording)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(StoredTaskResumer.class).resumed())
                            .isEqualTo(1);
                    assertThat(ended.await(10, java.util.concurrent.TimeUnit.SECONDS))
                            .isTrue();
                    assertThat(heard).singleElement().satisfies(t -> {
                        assertThat(t.id().value()).isEqualTo(finished);
                        assertThat(t.status()).isEqualTo(dev.loraport.TrainingStatus.READY);
                    });
                    // The ended job leaves the store just after its listeners heard of it.
                    long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
                    while (TaskStore.file(jobs).load().size() > 1 && System.nanoTime() < until) {
                        Thread.sleep(20);
                    }
                });
        // The other provider's job was never touched.
        assertThat(TaskStore.file(jobs).load())
                .extracting(dev.loraport.watch.TaskRef::providerId)
                .containsExactly("stablediffusionapi");

        runner().withPropertyValues(SimulatorProperties.of(novita, "loraport.watcher.resume-on-start=false"))
                .run(context -> assertThat(context).doesNotHaveBean(StoredTaskResumer.class));
    }

    @Test
    void anUnknownProviderFailsListingTheIdsFound() {
        runner().withPropertyValues("loraport.provider=replicate", "loraport.replicate.api-key=r8-secret")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("novita")
                        .hasMessageNotContaining("r8-secret"));
    }

    /** A user's own provider, store and watcher. */
    @Configuration(proxyBeanMethods = false)
    static class UserBeans {
        @Bean
        TrainingProvider myProvider() {
            return new Stub();
        }

        @Bean
        TaskStore myStore() {
            return TaskStore.inMemory();
        }

        @Bean(destroyMethod = "close")
        TaskWatcher myWatcher() {
            return TaskWatcher.builder().build();
        }
    }

    @Test
    void theApplicationsOwnBeansReplaceTheStartersAndGetHealth() {
        runner().withUserConfiguration(UserBeans.class)
                .withPropertyValues(SimulatorProperties.of(novita))
                .run(context -> {
                    assertThat(context).hasSingleBean(TrainingProvider.class);
                    assertThat(context.getBean(TrainingProvider.class)).isInstanceOf(Stub.class);
                    assertThat(context).hasSingleBean(TaskStore.class).hasBean("myStore");
                    assertThat(context).hasSingleBean(TaskWatcher.class).hasBean("myWatcher");
                    HealthIndicator stub =
                            (HealthIndicator) ((CompositeHealthContributor) context.getBean(HealthContributor.class))
                                    .getContributor("stub");
                    assertThat(stub.health().getStatus()).isEqualTo(Status.UP);
                });
    }

    @Test
    void theStoreIsAFileByDefaultInMemoryOrOnPostgresWhenChosen() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LoraportAutoConfiguration.class))
                .withPropertyValues("loraport.store.path=" + dir.resolve("tasks"))
                .run(context -> assertThat(
                                context.getBean(TaskStore.class).getClass().getSimpleName())
                        .isEqualTo("FileTaskStore"));
        runner().run(context -> assertThat(
                        context.getBean(TaskStore.class).getClass().getSimpleName())
                .isEqualTo("InMemoryTaskStore"));
        runner().withPropertyValues("loraport.store.type=postgres")
                .withBean(DataSource.class, LoraportAutoConfigurationTest::unusedDataSource)
                .run(context -> assertThat(context.getBean(TaskStore.class)).isInstanceOf(PostgresTaskStore.class));
        runner().withPropertyValues("loraport.store.type=postgres")
                .run(context ->
                        assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("DataSource"));
    }

    @Test
    void metricsOnGoToBootsRegistriesAndOffLeaveThemEmpty() {
        runner().withPropertyValues(SimulatorProperties.of(novita))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean(ObservationRegistry.class, TestObservationRegistry::create)
                .run(context -> {
                    context.getBean(TrainingProvider.class).list(PageRequest.first(1));
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    assertThat(meters.get(LoraportMetrics.REQUESTS)
                                    .tag("provider", "novita")
                                    .tag("operation", "list")
                                    .timer()
                                    .count())
                            .isEqualTo(1);
                    assertThat(meters.find(LoraportMetrics.TASKS_WATCHED).gauge())
                            .isNotNull();
                    TestObservationRegistryAssert.assertThat(
                                    (TestObservationRegistry) context.getBean(ObservationRegistry.class))
                            .hasSingleObservationThat()
                            .hasNameEqualTo(LoraportMetrics.REQUESTS)
                            .hasLowCardinalityKeyValue("operation", "list");
                });
        runner().withPropertyValues(SimulatorProperties.of(novita, "loraport.metrics.enabled=false"))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean(ObservationRegistry.class, TestObservationRegistry::create)
                .run(context -> {
                    context.getBean(TrainingProvider.class).list(PageRequest.first(1));
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    assertThat(meters.find(LoraportMetrics.REQUESTS).meters()).isEmpty();
                    assertThat(meters.find(LoraportMetrics.TASKS_WATCHED).meters())
                            .isEmpty();
                    TestObservationRegistryAssert.assertThat(
                                    (TestObservationRegistry) context.getBean(ObservationRegistry.class))
                            .doesNotHaveAnyObservation();
                });
    }

    @Test
    void healthProbesWithAListOfOneCachesItAndReportsDown() {
        runner().withPropertyValues(SimulatorProperties.of(novita, "loraport.novita.retry.enabled=false"))
                .run(context -> {
                    CompositeHealthContributor all =
                            (CompositeHealthContributor) context.getBean(HealthContributor.class);
                    HealthIndicator health = (HealthIndicator) all.getContributor("novita");
                    int before = novita.requestCount(Endpoint.LIST);
                    assertThat(health.health().getStatus()).isEqualTo(Status.UP);
                    assertThat(health.health().getStatus()).as("cached").isEqualTo(Status.UP);
                    assertThat(novita.requestCount(Endpoint.LIST) - before).isEqualTo(1);
                    assertThat(novita.requestCount(Endpoint.CREATE)).isZero();
                });
        runner().withPropertyValues(SimulatorProperties.of(
                        novita, "loraport.novita.retry.enabled=false", "loraport.health.cache-ttl=0s"))
                .run(context -> {
                    CompositeHealthContributor all =
                            (CompositeHealthContributor) context.getBean(HealthContributor.class);
                    HealthIndicator health = (HealthIndicator) all.getContributor("novita");
                    novita.failNext(Endpoint.LIST, Fault.serverError(503));
                    var down = health.health();
                    assertThat(down.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(down.getDetails())
                            .containsEntry("provider", "novita")
                            .containsEntry("outcome", "server_error")
                            .doesNotContainValue(novita.apiKey());
                    assertThat(health.health().getStatus()).isEqualTo(Status.UP);
                });
        runner().withPropertyValues(SimulatorProperties.of(novita, "loraport.health.enabled=false"))
                .run(context -> assertThat(context).doesNotHaveBean(HealthContributor.class));
    }

    private static DataSource unusedDataSource() {
        return (DataSource) Proxy.newProxyInstance(
                DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    throw new UnsupportedOperationException("no database in this test");
                });
    }

    /** A provider of the application's own, that answers a list with nothing. */
    static final class Stub implements TrainingProvider {
        @Override
        public ProviderInfo info() {
            return new ProviderInfo(
                    "stub",
                    "Stub",
                    ProviderCapabilities.builder().supportsList(true).build());
        }

        @Override
        public TrainingTask create(TrainingRequest request) {
            throw new UnsupportedOperationException("stub");
        }

        @Override
        public TrainingTask status(TaskId id) {
            throw new UnsupportedOperationException("stub");
        }

        @Override
        public dev.loraport.Page<TrainingTask> list(PageRequest page) {
            return new dev.loraport.Page<>(java.util.List.of(), null);
        }
    }
}
