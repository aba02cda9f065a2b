package dev.loraport.decorators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loraport.ProviderConfig;
import dev.loraport.RateLimitedException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(
            RetrySettings.from(ProviderConfig.builder()
                    .providerId("p")
                    .option("retry.jitter", "0")
                    .build()),
            new LoraportMetrics(new SimpleMeterRegistry(), "p"),
            d -> {},
            new Random(1));

    @Test
    @Tag("issue-14")
    void aNegativeRetryAfterIsIgnoredNotSlept() {
        RateLimitedException negative =
                new RateLimitedException("p", "status", "slow down", 429, null, Duration.ofSeconds(-30), null);

        assertThat(backoff.wait(1, negative)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.wait(2, negative)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aServiceRetryAfterWinsAndIsCapped() {
        assertThat(backoff.wait(
                        1, new RateLimitedException("p", "status", "x", 429, null, Duration.ofSeconds(7), null)))
                .isEqualTo(Duration.ofSeconds(7));
        assertThat(backoff.wait(1, new RateLimitedException("p", "status", "x", 429, null, Duration.ofHours(9), null)))
                .isEqualTo(Duration.ofSeconds(60));
    }
}
