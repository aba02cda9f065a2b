package dev.loraport.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loraport.CreateOutcomeUnknownException;
import dev.loraport.ProviderConfig;
import dev.loraport.TaskId;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingProviderException;
import dev.loraport.TrainingRequest;
import dev.loraport.decorators.ProviderStack;
import dev.loraport.simulators.Endpoint;
import dev.loraport.simulators.Fault;
import dev.loraport.simulators.NovitaSimulator;
import dev.loraport.simulators.SampleImages;
import dev.loraport.simulators.SimulatorServer;
import dev.loraport.simulators.StableDiffusionApiSimulator;
import dev.loraport.watch.CreateIntent;
import dev.loraport.watch.TaskStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Several workers on one account, as separate JVMs would be: each its own provider stack (own connections, own
 * decorators, own in-JVM state) over one PostgreSQL store and one simulator account with mixed faults, lost
 * answers among them. Nothing may be billed twice, no caller may get another's job, and every job on the service
 * must be known to a caller or to the journal.
 */
class FleetSoakTest {

    private static final int WORKERS = 4;
    private static final int CREATES_PER_WORKER = Integer.getInteger("loraport.soak.creates", 150);

    static Stream<Arguments> simulators() {
        return Stream.of(
                Arguments.of("novita", "stable-diffusion-xl-base-1.0", (Supplier<SimulatorServer>)
                        () -> NovitaSimulator.builder().build()),
                Arguments.of("stablediffusionapi", "sdxl", (Supplier<SimulatorServer>)
                        () -> StableDiffusionApiSimulator.builder().build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("simulators")
    void fourWorkersOnOneAccountBillNothingTwiceAndLoseNothing(
            String id, String baseModel, Supplier<SimulatorServer> simulators) throws Exception {
        try (SimulatorServer sim = simulators.get()) {
            sim.start();
            // About one call in five fails: lost answers (job made), refusals (none made), resets, list outages.
            sim.failRandomly(0.07, 1, Endpoint.CREATE, Fault.acceptedButLost());
            sim.failRandomly(0.07, 2, Endpoint.CREATE, Fault.serverError(503));
            sim.failRandomly(0.05, 3, Endpoint.CREATE, Fault.connectionReset());
            sim.failRandomly(0.10, 4, Endpoint.LIST, Fault.serverError(503));
            sim.failRandomly(0.05, 5, Endpoint.UPLOAD, Fault.serverError(502));
            TaskStore store = PostgresTaskStore.builder(EmbeddedPostgresOnce.dataSource())
                    .schema(EmbeddedPostgresOnce.freshSchema())
                    .build();

            Map<String, TaskId> given = new ConcurrentHashMap<>();
            Set<String> unknown = ConcurrentHashMap.newKeySet();
            AtomicInteger failed = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
            List<Future<?>> done = new ArrayList<>();
            long start = System.nanoTime();
            for (int w = 0; w < WORKERS; w++) {
                int worker = w;
                done.add(pool.submit(() -> {
                    try (TrainingProvider p = stack(sim, store)) {
                        for (int i = 0; i < CREATES_PER_WORKER; i++) {
                            // Every other reference is sent by two workers at about the same time, as a retried
                            // job would be: the journal must make one job of it.
                            String reference = i % 2 == 0 ? "w" + worker + "-" + i : "pair" + (worker / 2) + "-" + i;
                            try {
                                TaskId got =
                                        p.create(request(reference, baseModel)).id();
                                TaskId before = given.putIfAbsent(reference, got);
                                assertThat(before == null || before.equals(got))
                                        .as("reference %s got %s and %s", reference, before, got)
                                        .isTrue();
                            } catch (CreateOutcomeUnknownException e) {
                                unknown.add(reference);
                            } catch (TrainingProviderException e) {
                                failed.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(15, TimeUnit.MINUTES);
            }
            pool.shutdownNow();
            long millis = (System.nanoTime() - start) / 1_000_000;

            Map<TaskId, String> owner = new HashMap<>();
            int handedOthers = 0;
            for (Map.Entry<String, TaskId> e : given.entrySet()) {
                if (owner.putIfAbsent(e.getValue(), e.getKey()) != null) {
                    handedOthers++;
                }
            }
            Set<String> known = new HashSet<>();
            given.values().forEach(t -> known.add(t.value()));
            int sending = 0;
            for (CreateIntent i : store.intents()) {
                i.task().ifPresent(t -> known.add(t.value()));
                if (i.state() == CreateIntent.State.SENDING) {
                    sending++;
                }
            }
            List<String> onService = sim.taskIds();
            int orphans = 0;
            for (String t : onService) {
                if (!known.contains(t)) {
                    orphans++;
                }
            }
            int references = given.size() + unknown.size();
            int attempts = WORKERS * CREATES_PER_WORKER;
            System.out.printf(
                    "fleet soak %s: %d workers x %d creates (%d references, %d create calls) in %d ms: %d jobs on the"
                            + " service,"
                            + " %d given to callers, %d callers handed another's job, %d jobs no caller knows"
                            + " (%d intents still SENDING), %d unknown outcomes (%.2f %%), %d refused%n",
                    id,
                    WORKERS,
                    CREATES_PER_WORKER,
                    references,
                    sim.requestCount(Endpoint.CREATE),
                    millis,
                    onService.size(),
                    owner.size(),
                    handedOthers,
                    orphans,
                    sending,
                    unknown.size(),
                    100.0 * unknown.size() / attempts,
                    failed.get());

            assertThat(handedOthers).as("callers handed another caller's job").isZero();
            // A job no caller was told about must be a create whose outcome its caller was told is unknown, and
            // whose intent says so; anything more is a duplicate training.
            assertThat(orphans)
                    .as("jobs neither a caller nor the journal knows")
                    .isLessThanOrEqualTo(sending);
            assertThat(onService.size()).as("jobs on the service").isLessThanOrEqualTo(references);
            assertThat(unknown.size()).as("unknown outcomes").isLessThanOrEqualTo(attempts / 100);
        }
    }

    private static TrainingProvider stack(SimulatorServer sim, TaskStore store) {
        ProviderConfig cfg = sim.config().toBuilder()
                .option("retry.initial-backoff", "1ms")
                .option("retry.max-backoff", "5ms")
                .option("reconcile.delay", "0s")
                .option("ratelimit.enabled", "false")
                .option("circuitbreaker.enabled", "false")
                .build();
        return ProviderStack.builder()
                .config(cfg)
                .meterRegistry(new SimpleMeterRegistry())
                .store(store)
                .build();
    }

    private static TrainingRequest request(String reference, String baseModel) {
        return TrainingRequest.builder()
                .name("soak")
                .kind(TrainingKind.SUBJECT)
                .baseModel(baseModel)
                .images(SampleImages.pngs(2))
                .instancePrompt("a photo of ohwx person")
                .classPrompt("person")
                .clientReference(reference)
                .build();
    }
}
