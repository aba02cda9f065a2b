package dev.loraport.bench;

import dev.loraport.Page;
import dev.loraport.PageRequest;
import dev.loraport.ProviderConfig;
import dev.loraport.TaskId;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingTask;
import dev.loraport.decorators.ProviderStack;
import dev.loraport.provider.novita.NovitaTrainingProvider;
import dev.loraport.provider.replicate.ReplicateTrainingProvider;
import dev.loraport.provider.stablediffusionapi.StableDiffusionApiTrainingProvider;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.util.Map;
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
 * {@code status()} and {@code list()} over loopback: a raw baseline on each adapter's transport beside the adapter,
 * bare and behind the full decorator stack (metrics into a real registry, retry, circuit breaker, rate limiter
 * with a limit high enough never to wait), in the same run so the ratios compare like with like.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StatusOverheadBenchmark {

    private static final TaskId NOVITA_TASK = TaskId.of("d660cdd0-ab9b-4a55-8b78-4bc851051fb0");
    private static final TaskId MODELSLAB_TASK = TaskId.of("F5jvdzGnYi");
    private static final TaskId REPLICATE_TASK = TaskId.of("zz4ibbonubfz7carwiefibzgga");
    private static final PageRequest PAGE = PageRequest.first(100);

    private LoopbackServer server;
    private RawBaseline raw;
    private TrainingProvider novitaBare;
    private TrainingProvider novitaDecorated;
    private TrainingProvider modelslabBare;
    private TrainingProvider modelslabDecorated;
    private TrainingProvider replicateBare;
    private TrainingProvider replicateDecorated;

    /** Starts the server and the clients. */
    @Setup(Level.Trial)
    public void setUp() {
        server = LoopbackServer.start();
        raw = new RawBaseline(server.baseUrl(), "bench-key");
        URI base = URI.create(server.baseUrl());
        novitaBare = NovitaTrainingProvider.builder()
                .apiKey("bench-key")
                .baseUrl(base)
                .build();
        modelslabBare = StableDiffusionApiTrainingProvider.builder()
                .apiKey("bench-key")
                .baseUrl(base)
                .build();
        novitaDecorated = decorate(
                NovitaTrainingProvider.builder()
                        .apiKey("bench-key")
                        .baseUrl(base)
                        .build(),
                "novita");
        replicateBare = ReplicateTrainingProvider.builder()
                .apiKey("bench-key")
                .baseUrl(URI.create(server.baseUrl() + "/v1"))
                .build();
        replicateDecorated = decorate(
                ReplicateTrainingProvider.builder()
                        .apiKey("bench-key")
                        .baseUrl(URI.create(server.baseUrl() + "/v1"))
                        .build(),
                "replicate");
        modelslabDecorated = decorate(
                StableDiffusionApiTrainingProvider.builder()
                        .apiKey("bench-key")
                        .baseUrl(base)
                        .build(),
                "stablediffusionapi");
    }

    private static TrainingProvider decorate(TrainingProvider adapter, String id) {
        return ProviderStack.builder()
                .config(ProviderConfig.builder()
                        .providerId(id)
                        .option("ratelimit.permits-per-second", "1000000")
                        .build())
                .adapter(adapter)
                .meterRegistry(new SimpleMeterRegistry())
                .build();
    }

    /** Stops them. */
    @TearDown(Level.Trial)
    public void tearDown() {
        raw.close();
        novitaBare.close();
        novitaDecorated.close();
        modelslabBare.close();
        modelslabDecorated.close();
        replicateBare.close();
        replicateDecorated.close();
        server.close();
    }

    /**
     * Baseline: Novita status by hand.
     *
     * @return the parsed body
     */
    @Benchmark
    public Map<String, Object> novitaStatusRaw() {
        return raw.novitaStatus(NOVITA_TASK.value());
    }

    /**
     * The Novita adapter alone.
     *
     * @return the task
     */
    @Benchmark
    public TrainingTask novitaStatusBare() {
        return novitaBare.status(NOVITA_TASK);
    }

    /**
     * The Novita adapter behind every decorator.
     *
     * @return the task
     */
    @Benchmark
    public TrainingTask novitaStatusDecorated() {
        return novitaDecorated.status(NOVITA_TASK);
    }

    /**
     * Baseline: ModelsLab status by hand.
     *
     * @return the parsed body
     */
    @Benchmark
    public Map<String, Object> modelslabStatusRaw() {
        return raw.modelslabStatus(MODELSLAB_TASK.value());
    }

    /**
     * The ModelsLab adapter alone.
     *
     * @return the task
     */
    @Benchmark
    public TrainingTask modelslabStatusBare() {
        return modelslabBare.status(MODELSLAB_TASK);
    }

    /**
     * The ModelsLab adapter behind every decorator.
     *
     * @return the task
     */
    @Benchmark
    public TrainingTask modelslabStatusDecorated() {
        return modelslabDecorated.status(MODELSLAB_TASK);
    }

    /**
     * Baseline: Replicate status by hand, on the JDK client the adapter uses.
     *
     * @return the parsed body
     */
    @Benchmark
    public Map<String, Object> replicateStatusRaw() {
        return raw.replicateStatus(REPLICATE_TASK.value());
    }

    /**
     * The Replicate adapter alone.
     *
     * @return the task
     */
    @Benchmark
    public TrainingTask replicateStatusBare() {
        return replicateBare.status(REPLICATE_TASK);
    }

    /**
     * The Replicate adapter behind every decorator.
     *
     * @return the task
     */
    @Benchmark
    public TrainingTask replicateStatusDecorated() {
        return replicateDecorated.status(REPLICATE_TASK);
    }

    /**
     * Baseline: Replicate list by hand.
     *
     * @return the parsed body
     */
    @Benchmark
    public Map<String, Object> replicateListRaw() {
        return raw.replicateList();
    }

    /**
     * The Replicate adapter's list behind every decorator.
     *
     * @return the page
     */
    @Benchmark
    public Page<TrainingTask> replicateListDecorated() {
        return replicateDecorated.list(PAGE);
    }

    /**
     * Baseline: Novita list by hand.
     *
     * @return the parsed body
     */
    @Benchmark
    public Map<String, Object> novitaListRaw() {
        return raw.novitaList();
    }

    /**
     * The Novita adapter's list behind every decorator.
     *
     * @return the page
     */
    @Benchmark
    public Page<TrainingTask> novitaListDecorated() {
        return novitaDecorated.list(PAGE);
    }

    /**
     * Baseline: ModelsLab list by hand.
     *
     * @return the parsed body
     */
    @Benchmark
    public Map<String, Object> modelslabListRaw() {
        return raw.modelslabList();
    }

    /**
     * The ModelsLab adapter's list behind every decorator.
     *
     * @return the page
     */
    @Benchmark
    public Page<TrainingTask> modelslabListDecorated() {
        return modelslabDecorated.list(PAGE);
    }
}
