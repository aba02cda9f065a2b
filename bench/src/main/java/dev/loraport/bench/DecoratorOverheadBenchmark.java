package dev.loraport.bench;

import dev.loraport.Page;
import dev.loraport.PageRequest;
import dev.loraport.ProviderCapabilities;
import dev.loraport.ProviderConfig;
import dev.loraport.ProviderInfo;
import dev.loraport.TaskId;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import dev.loraport.decorators.ProviderStack;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The decorator stack alone: {@code status()} of an in-memory provider that answers at once, bare and behind every
 * decorator (metrics into a real registry, retry, circuit breaker, rate limiter with a limit never reached). With no
 * network in the way, the difference is what the stack adds to each call, free of the loopback noise that
 * {@link StatusOverheadBenchmark} carries.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecoratorOverheadBenchmark {

    private static final TaskId ID = TaskId.of("d660cdd0-ab9b-4a55-8b78-4bc851051fb0");

    private TrainingProvider bare;
    private TrainingProvider decorated;

    /** An adapter that does no I/O: every status is the same READY task. */
    static final class InstantProvider implements TrainingProvider {
        private final ProviderInfo info = new ProviderInfo(
                "instant",
                "In-memory",
                ProviderCapabilities.builder()
                        .trainingKinds(TrainingKind.SUBJECT)
                        .build());
        private final TrainingTask task = TrainingTask.builder()
                .id(ID)
                .providerId("instant")
                .status(TrainingStatus.READY)
                .rawStatus("SUCCESS")
                .build();

        @Override
        public ProviderInfo info() {
            return info;
        }

        @Override
        public TrainingTask create(TrainingRequest request) {
            return task;
        }

        @Override
        public TrainingTask status(TaskId id) {
            return task;
        }

        @Override
        public Page<TrainingTask> list(PageRequest page) {
            return new Page<>(List.of(task), null);
        }

        @Override
        public void close() {}
    }

    /** Builds both. */
    @Setup(Level.Trial)
    public void setUp() {
        bare = new InstantProvider();
        decorated = ProviderStack.builder()
                .config(ProviderConfig.builder()
                        .providerId("instant")
                        .option("ratelimit.permits-per-second", "1000000000")
                        .build())
                .adapter(new InstantProvider())
                .meterRegistry(new SimpleMeterRegistry())
                .build();
    }

    /** Closes them. */
    @TearDown(Level.Trial)
    public void tearDown() {
        bare.close();
        decorated.close();
    }

    /**
     * The in-memory provider alone.
     *
     * @return the task
     */
    @Benchmark
    public TrainingTask statusBare() {
        return bare.status(ID);
    }

    /**
     * The same behind every decorator.
     *
     * @return the task
     */
    @Benchmark
    public TrainingTask statusDecorated() {
        return decorated.status(ID);
    }
}
