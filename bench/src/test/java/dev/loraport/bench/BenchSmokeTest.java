package dev.loraport.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs every benchmark for one short iteration so they cannot rot; asserts that they ran, never how fast. */
class BenchSmokeTest {

    @Test
    void everyBenchmarkRunsOnce() throws RunnerException {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                        .include("dev\\.loraport\\.bench\\..*Benchmark.*")
                        .forks(0)
                        .warmupIterations(0)
                        .measurementIterations(1)
                        .measurementTime(TimeValue.milliseconds(50))
                        .timeUnit(TimeUnit.MICROSECONDS)
                        .shouldFailOnError(true)
                        .build())
                .run();

        assertThat(results).hasSize(19);
        assertThat(results)
                .allSatisfy(
                        r -> assertThat(r.getPrimaryResult().getSampleCount()).isPositive());
    }
}
