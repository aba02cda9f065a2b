package dev.loraport.decorators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loraport.ProviderConfig;
import dev.loraport.ProviderUnavailableException;
import dev.loraport.TaskId;
import dev.loraport.TrainingProvider;
import dev.loraport.decorators.ScriptedProvider.Op;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsRangeTest {

    private final List<Duration> waits = new ArrayList<>();

    private TrainingProvider stack(String... options) {
        // No provider id: the adapter is built in code, and keys must still name it.
        ProviderConfig.Builder cfg = ProviderConfig.builder();
        for (int i = 0; i < options.length; i += 2) {
            cfg.option(options[i], options[i + 1]);
        }
        return ProviderStack.builder()
                .config(cfg.build())
                .adapter(new ScriptedProvider(true))
                .meterRegistry(new SimpleMeterRegistry())
                .sleeper(waits::add)
                .random(new Random(1))
                .build();
    }

    /** A key, a value out of its range, how the message shows the value, and what it says is allowed. */
    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                // NaN made every wait 0: a retry storm.
                "retry.multiplier                                  | NaN      | NaN      | a finite number between 1.0 and 100.0",
                "retry.multiplier                                  | Infinity | Infinity | a finite number between 1.0 and 100.0",
                "retry.multiplier                                  | 0.5      | 0.5      | a finite number between 1.0 and 100.0",
                "retry.multiplier                                  | 101      | 101      | a finite number between 1.0 and 100.0",
                // Above 1 a jittered wait went negative, so it was clamped to 0.
                "retry.jitter                                      | 5        | 5        | a finite number between 0.0 and 1.0",
                "retry.jitter                                      | -0.1     | -0.1     | a finite number between 0.0 and 1.0",
                "retry.jitter                                      | NaN      | NaN      | a finite number between 0.0 and 1.0",
                "retry.max-attempts                                | 0        | 0        | a whole number between 1 and 100",
                "retry.max-attempts                                | 101      | 101      | a whole number between 1 and 100",
                "retry.initial-backoff                             | 0        | 0s       | a duration > 0, between 1ms and 1h",
                "retry.initial-backoff                             | 2h       | 2h       | a duration > 0, between 1ms and 1h",
                "retry.max-backoff                                 | 0ms      | 0s       | a duration > 0, between 1ms and 24h",
                "retry.max-backoff                                 | -5ms     | \"'-5ms'\" | a finite duration >= 0",
                "retry.max-backoff                                 | PT-5S    | \"'PT-5S'\" | a finite duration >= 0",
                "retry.max-backoff                                 | 1e400s   | \"'1e400s'\" | a finite duration >= 0",
                // A zero cap on the service's retry-after retried a 429 at once.
                "retry.max-retry-after                             | 0        | 0s       | a duration > 0, between 1ms and 24h",
                "reconcile.delay                                   | 61m      | 61m      | a duration between 0s and 1h",
                // Below 1 no page was searched and every lost create was unknown.
                "reconcile.max-pages                               | -1       | -1       | a whole number between 1 and 10000",
                "reconcile.max-pages                               | 0        | 0        | a whole number between 1 and 10000",
                "reconcile.max-pages                               | 10001    | 10001    | a whole number between 1 and 10000",
                "ratelimit.permits-per-second                      | 0        | 0        | a finite number between 0.001 and 1000000000.0",
                "ratelimit.permits-per-second                      | NaN      | NaN      | a finite number between 0.001 and 1000000000.0",
                "ratelimit.permits-per-second                      | 1e10     | 10000000000 | a finite number between 0.001 and 1000000000.0",
                "ratelimit.max-wait                                | 2h       | 2h       | a duration between 0s and 1h",
                // Resilience4j's own messages for these name no loraport key.
                "circuitbreaker.failure-rate-threshold             | 500      | 500      | a finite number between 1.0 and 100.0",
                "circuitbreaker.failure-rate-threshold             | 0        | 0        | a finite number between 1.0 and 100.0",
                "circuitbreaker.sliding-window-size                | 0        | 0        | a whole number between 1 and 10000",
                "circuitbreaker.minimum-number-of-calls            | 0        | 0        | a whole number between 1 and 10000",
                "circuitbreaker.wait-duration-in-open-state        | 0        | 0s       | a duration > 0, between 1ms and 24h",
                "circuitbreaker.wait-duration-in-open-state        | 0.0001s  | PT0.0001S | a duration > 0, between 1ms and 24h",
                "circuitbreaker.permitted-calls-in-half-open-state | 0        | 0        | a whole number between 1 and 1000",
            })
    void aValueOutOfRangeFailsWhenTheStackIsBuiltNamingKeyValueAndRange(
            String option, String value, String shown, String allowed) {
        assertThatThrownBy(() -> stack(option, value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("loraport.scripted." + option + ": " + shown + " is out of range; must be ")
                .hasMessageContaining(allowed);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "retry.enabled | false | retry.max-attempts | 0",
                "ratelimit.enabled | false | ratelimit.permits-per-second | 0",
                "circuitbreaker.enabled | false | circuitbreaker.sliding-window-size | 0",
            })
    void aSettingIsCheckedEvenWhenItsDecoratorIsOff(String flag, String off, String option, String value) {
        assertThatThrownBy(() -> stack(flag, off, option, value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("loraport.scripted." + option + ": " + value + " is out of range");
    }

    @Test
    void theOtherSpellingOfTheRateLimitKeysIsCheckedToo() {
        assertThatThrownBy(() -> stack("rate-limit.permits-per-second", "-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("loraport.scripted.ratelimit.permits-per-second: -1 is out of range");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "retry.jitter                                      | 0",
                "retry.jitter                                      | 1",
                "retry.multiplier                                  | 1.0",
                "retry.multiplier                                  | 100",
                "retry.max-attempts                                | 1",
                "retry.max-attempts                                | 100",
                "retry.initial-backoff                             | 1ms",
                "retry.initial-backoff                             | 1h",
                "retry.max-backoff                                 | 24h",
                "retry.max-retry-after                             | 1ms",
                "reconcile.delay                                   | 0",
                "reconcile.delay                                   | 1h",
                "reconcile.max-pages                               | 1",
                "reconcile.max-pages                               | 10000",
                "ratelimit.permits-per-second                      | 0.001",
                "ratelimit.permits-per-second                      | 1000000000",
                "ratelimit.max-wait                                | 0",
                "circuitbreaker.failure-rate-threshold             | 1",
                "circuitbreaker.failure-rate-threshold             | 100",
                "circuitbreaker.sliding-window-size                | 10000",
                "circuitbreaker.minimum-number-of-calls            | 1",
                "circuitbreaker.wait-duration-in-open-state        | 1ms",
                "circuitbreaker.permitted-calls-in-half-open-state | 1000",
            })
    void aValueOnTheEdgeOfItsRangeIsTaken(String option, String value) {
        assertThatCode(() -> stack(option, value).close()).doesNotThrowAnyException();
    }

    @Test
    void multiplierOneWithoutJitterWaitsTheInitialBackoffEachTime() {
        ScriptedProvider adapter = new ScriptedProvider(true);
        for (int i = 0; i < 3; i++) {
            adapter.failNext(
                    Op.STATUS, () -> new ProviderUnavailableException("scripted", "status", "503", 503, null, null));
        }
        TrainingProvider p = ProviderStack.builder()
                .config(ProviderConfig.builder()
                        .option("ratelimit.enabled", "false")
                        .option("retry.multiplier", "1.0")
                        .option("retry.jitter", "0")
                        .option("retry.initial-backoff", "250ms")
                        .build())
                .adapter(adapter)
                .meterRegistry(new SimpleMeterRegistry())
                .sleeper(waits::add)
                .build();
        TaskId id = p.create(dev.loraport.TrainingRequest.builder()
                        .name("a")
                        .kind(dev.loraport.TrainingKind.SUBJECT)
                        .baseModel("m")
                        .addImage(dev.loraport.TrainingImage.ofBytes(
                                "a.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}))
                        .build())
                .id();

        p.status(id);

        assertThat(waits).containsExactly(Duration.ofMillis(250), Duration.ofMillis(250), Duration.ofMillis(250));
    }
}
