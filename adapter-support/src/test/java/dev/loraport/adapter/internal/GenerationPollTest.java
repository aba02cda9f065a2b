package dev.loraport.adapter.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loraport.InvalidRequestException;
import dev.loraport.ProviderUnavailableException;
import dev.loraport.RateLimitedException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class GenerationPollTest {

    /** A clock that the recorded pauses move, so a test runs in no time. */
    static final class MovingClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MovingClock clock = new MovingClock();
    private final List<Duration> pauses = new ArrayList<>();

    private GenerationPoll poll(Duration interval, Duration timeout) {
        AdapterSettings settings = AdapterSettings.builder("test", URI.create("http://127.0.0.1"), "m")
                .apiKey("k")
                .generatePollInterval(interval)
                .generateTimeout(timeout)
                .clock(clock)
                .pause(d -> {
                    pauses.add(d);
                    clock.now = clock.now.plus(d);
                })
                .build();
        // The middle of the jitter range: delays come out as the policy's base.
        return new GenerationPoll(settings, () -> 0.5);
    }

    @SafeVarargs
    private static Supplier<GenerationPoll.Look<String>> looks(Supplier<GenerationPoll.Look<String>>... each) {
        Deque<Supplier<GenerationPoll.Look<String>>> queue = new ArrayDeque<>(List.of(each));
        return () -> queue.removeFirst().get();
    }

    @Test
    void withoutAnEstimateItLooksOncePerInterval() {
        String r = poll(Duration.ofSeconds(2), Duration.ofMinutes(5))
                .await(
                        "task g1",
                        null,
                        looks(
                                () -> GenerationPoll.Look.pending(null, null),
                                () -> GenerationPoll.Look.pending(Duration.ZERO, 0),
                                () -> GenerationPoll.Look.done("images")));

        assertThat(r).isEqualTo("images");
        assertThat(pauses).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    @Test
    void theFirstLookMayComeFromTheSubmitResponse() {
        String r = poll(Duration.ofSeconds(2), Duration.ofMinutes(5))
                .await("request 1", GenerationPoll.Look.done("at once"), () -> {
                    throw new AssertionError("no look needed");
                });

        assertThat(r).isEqualTo("at once");
        assertThat(pauses).isEmpty();
    }

    @Test
    void aFarEtaWaitsAboutHalfOfItUpToTenIntervalsAndANearOneAtTheFloor() {
        poll(Duration.ofSeconds(2), Duration.ofMinutes(5))
                .await(
                        "request 1",
                        GenerationPoll.Look.pending(Duration.ofSeconds(10), null),
                        looks(
                                () -> GenerationPoll.Look.pending(Duration.ofMinutes(5), null),
                                () -> GenerationPoll.Look.pending(Duration.ofSeconds(1), null),
                                () -> GenerationPoll.Look.done("images")));

        // PollPolicy reads a whole-second ETA as a span (10 s means 10 to 11 s) and may move a far poll by up to
        // half a unit to narrow it; a 1 s ETA may end up to 2 s out, so the floor (2 s) comes first.
        assertThat(pauses).containsExactly(Duration.ofMillis(5499), Duration.ofSeconds(20), Duration.ofSeconds(2));
    }

    @Test
    void transientFailuresBackOffAndHonourRetryAfter() {
        Supplier<GenerationPoll.Look<String>> unavailable = () -> {
            throw new ProviderUnavailableException("test", "generate", "the service failed", 503, null, null);
        };
        poll(Duration.ofSeconds(1), Duration.ofMinutes(5))
                .await(
                        "task g1",
                        null,
                        looks(
                                unavailable,
                                unavailable,
                                () -> {
                                    throw new RateLimitedException(
                                            "test", "generate", "rate limited", 429, null, Duration.ofSeconds(7), null);
                                },
                                () -> GenerationPoll.Look.done("images")));

        assertThat(pauses).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(7));
    }

    @Test
    void aFailureThatCannotBeRetriedIsThrownAtOnce() {
        InvalidRequestException refused = new InvalidRequestException("test", "generate", "no", 400, null, null);

        assertThatThrownBy(
                        () -> poll(Duration.ofSeconds(1), Duration.ofMinutes(5)).await("task g1", null, () -> {
                            throw refused;
                        }))
                .isSameAs(refused);
        assertThat(pauses).isEmpty();
    }

    @Test
    void theTimeoutEndsTheWaitWithTheLastLookAtTheDeadline() {
        assertThatThrownBy(() -> poll(Duration.ofSeconds(2), Duration.ofSeconds(5))
                        .await("task g1", null, () -> GenerationPoll.Look.pending(null, null)))
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("no images after PT5S (task g1)");
        assertThat(pauses).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(1));
    }
}
