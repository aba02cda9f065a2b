package dev.loraport.decorators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loraport.PageRequest;
import dev.loraport.ProviderConfig;
import dev.loraport.RateLimitedException;
import dev.loraport.TrainingProvider;
import dev.loraport.decorators.ScriptedProvider.Op;
import dev.loraport.watch.CreateIntent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The stack on a shared rate limit, faked in memory: what it asks for, how it waits, when it refuses. */
class SharedRateLimitStackTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Duration> slept = new ArrayList<>();
    private final List<String> budgets = new ArrayList<>();
    private final List<Duration> maxWaits = new ArrayList<>();
    private final Deque<Optional<Duration>> answers = new ArrayDeque<>();

    /** Records each budget asked for; each reserve answers the next scripted wait. */
    private final SharedRateLimit fake = (providerId, account, perSecond) -> {
        budgets.add(providerId + "/" + account + "@" + perSecond);
        return maxWait -> {
            maxWaits.add(maxWait);
            return answers.isEmpty() ? Optional.of(Duration.ZERO) : answers.poll();
        };
    };

    private TrainingProvider stack(ScriptedProvider adapter, String... options) {
        ProviderConfig.Builder cfg =
                ProviderConfig.builder().providerId("scripted").apiKey("key-1");
        cfg.option("retry.enabled", "false");
        cfg.option("ratelimit.permits-per-second", "5");
        cfg.option("ratelimit.max-wait", "2s");
        for (int i = 0; i < options.length; i += 2) {
            cfg.option(options[i], options[i + 1]);
        }
        return ProviderStack.builder()
                .config(cfg.build())
                .adapter(adapter)
                .meterRegistry(registry)
                .sleeper(slept::add)
                .rateLimit(fake)
                .build();
    }

    private double waits() {
        return registry.find(LoraportMetrics.RATE_LIMIT_WAITS).counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    @Test
    void theStackAsksForItsAccountsBudgetAndWaitsThroughItsSleeper() {
        ScriptedProvider adapter = new ScriptedProvider(true);
        TrainingProvider p = stack(adapter);
        assertThat(budgets).containsExactly("scripted/" + CreateIntent.fingerprint("key-1") + "@5.0");

        answers.add(Optional.of(Duration.ZERO));
        answers.add(Optional.of(Duration.ofMillis(250)));
        p.list(PageRequest.first(10));
        p.list(PageRequest.first(10));

        assertThat(adapter.calls(Op.LIST)).isEqualTo(2);
        assertThat(maxWaits).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));
        assertThat(slept).containsExactly(Duration.ofMillis(250));
        assertThat(waits()).isEqualTo(1.0);
    }

    @Test
    void noPermitWithinMaxWaitIsRateLimitedWithoutCallingTheService() {
        ScriptedProvider adapter = new ScriptedProvider(true);
        TrainingProvider p = stack(adapter);
        answers.add(Optional.empty());

        assertThatThrownBy(() -> p.list(PageRequest.first(10)))
                .isInstanceOf(RateLimitedException.class)
                .hasMessageContaining("shared rate limit: no permit within PT2S")
                .hasMessageContaining("loraport.scripted.ratelimit.*")
                .satisfies(
                        e -> assertThat(((RateLimitedException) e).retryAfter()).contains(Duration.ofMillis(200)));
        assertThat(adapter.calls(Op.LIST)).isZero();
        assertThat(slept).isEmpty();
    }

    @Test
    void turnedOffTheSharedLimitIsNeitherAskedNorDrawnOn() {
        ScriptedProvider adapter = new ScriptedProvider(true);
        TrainingProvider p = stack(adapter, "ratelimit.enabled", "false");
        answers.add(Optional.empty());

        p.list(PageRequest.first(10));

        assertThat(budgets).isEmpty();
        assertThat(adapter.calls(Op.LIST)).isEqualTo(1);
    }
}
