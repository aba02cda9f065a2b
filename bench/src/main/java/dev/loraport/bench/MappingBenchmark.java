package dev.loraport.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loraport.TrainingTask;
import dev.loraport.provider.novita.internal.NovitaMapper;
import dev.loraport.provider.stablediffusionapi.internal.StableDiffusionApiMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The mapping alone, per provider: JSON bytes of a documented status body to a {@link TrainingTask}. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MappingBenchmark {

    private final ObjectMapper mapper = new ObjectMapper();
    private final byte[] novita = LoopbackServer.NOVITA_STATUS.getBytes(StandardCharsets.UTF_8);
    private final byte[] modelslab = LoopbackServer.MODELSLAB_STATUS.getBytes(StandardCharsets.UTF_8);

    /**
     * Novita status bytes to a task.
     *
     * @return the task
     * @throws IOException never, for the fixed body
     */
    @Benchmark
    public TrainingTask novita() throws IOException {
        return NovitaMapper.task(mapper.readTree(novita), null, "status");
    }

    /**
     * ModelsLab status bytes to a task, progress text included.
     *
     * @return the task
     * @throws IOException never, for the fixed body
     */
    @Benchmark
    public TrainingTask modelslab() throws IOException {
        return StableDiffusionApiMapper.task("F5jvdzGnYi", mapper.readTree(modelslab));
    }
}
