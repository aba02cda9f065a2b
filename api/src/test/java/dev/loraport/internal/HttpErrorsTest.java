package dev.loraport.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loraport.AuthenticationException;
import dev.loraport.InvalidRequestException;
import dev.loraport.ProviderUnavailableException;
import dev.loraport.QuotaExceededException;
import dev.loraport.RateLimitedException;
import dev.loraport.TaskNotFoundException;
import dev.loraport.internal.config.ConfigValues;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpErrorsTest {

    @ParameterizedTest
    @CsvSource({
        "400, dev.loraport.InvalidRequestException",
        "401, dev.loraport.AuthenticationException",
        "402, dev.loraport.QuotaExceededException",
        "403, dev.loraport.AuthenticationException",
        "404, dev.loraport.TaskNotFoundException",
        "422, dev.loraport.InvalidRequestException",
        "429, dev.loraport.RateLimitedException",
        "500, dev.loraport.ProviderUnavailableException",
        "503, dev.loraport.ProviderUnavailableException",
    })
    void statusMapsToItsException(int status, String type) {
        assertThat(HttpErrors.fromStatus("p", "status", status, "text", null)
                        .getClass()
                        .getName())
                .isEqualTo(type);
    }

    @Test
    void onlyUnavailableAndRateLimitedAreRetryable() {
        assertThat(HttpErrors.fromStatus("p", "o", 503, null, null)).isInstanceOf(ProviderUnavailableException.class);
        assertThat(HttpErrors.fromStatus("p", "o", 503, null, null).isRetryable())
                .isTrue();
        assertThat(HttpErrors.fromStatus("p", "o", 429, null, Duration.ofSeconds(2)))
                .isInstanceOfSatisfying(
                        RateLimitedException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(2)));
        for (int s : new int[] {400, 401, 402, 403, 404}) {
            assertThat(HttpErrors.fromStatus("p", "o", s, null, null).isRetryable())
                    .isFalse();
        }
        assertThat(HttpErrors.fromStatus("p", "o", 400, null, null)).isInstanceOf(InvalidRequestException.class);
        assertThat(HttpErrors.fromStatus("p", "o", 401, null, null)).isInstanceOf(AuthenticationException.class);
        assertThat(HttpErrors.fromStatus("p", "o", 402, null, null)).isInstanceOf(QuotaExceededException.class);
        assertThat(HttpErrors.fromStatus("p", "o", 404, null, null)).isInstanceOf(TaskNotFoundException.class);
    }

    @Test
    void ioFailuresAreUnavailableAndSayWhetherTheyTimedOut() {
        assertThat(HttpErrors.fromIo("p", "create", new SocketTimeoutException("http://x?key=1")))
                .hasMessage("p create: timed out (SocketTimeoutException)");
        assertThat(HttpErrors.fromIo("p", "create", new IOException("reset")).isRetryable())
                .isTrue();
    }

    @Test
    void retryAfterReadsSecondsAndHttpDates() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);

        assertThat(HttpErrors.parseRetryAfter("7", clock)).isEqualTo(Duration.ofSeconds(7));
        assertThat(HttpErrors.parseRetryAfter("Tue, 24 Nov 2026 10:00:30 GMT", clock))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(HttpErrors.parseRetryAfter("soon", clock)).isNull();
        assertThat(HttpErrors.parseRetryAfter(null, clock)).isNull();
    }

    @Test
    void redactReplacesTheSecretEverywhere() {
        assertThat(ConfigValues.redact("key=abc and abc", "abc")).isEqualTo("key=**** and ****");
    }
}
