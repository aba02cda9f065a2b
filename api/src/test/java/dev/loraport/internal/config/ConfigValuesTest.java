package dev.loraport.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigValuesTest {

    private static final String KEY = "loraport.novita.retry.max-backoff";

    @ParameterizedTest
    @ValueSource(strings = {"-5ms", "PT-5S", "-5s", "-PT5S", "-0.5m", "1e400s", "-1e400s", "1e10s", "PT2562048H"})
    void aNegativeOrOverlongDurationIsOutOfRangeAndNamesTheKey(String text) {
        assertThatThrownBy(() -> ConfigValues.parseDuration(KEY, text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(KEY + ": '" + text + "' is out of range")
                .hasMessageContaining("must be a finite duration >= 0, e.g. 30s or PT30S");
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "0s, 0", "PT0S, 0", "0ms, 0", "500ms, 500", "1.5, 1500", "2m, 120000", "PT1H, 3600000"})
    void zeroAndPositiveDurationsStillParse(String text, long millis) {
        assertThat(ConfigValues.parseDuration(KEY, text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "5d", "", " ", "ms"})
    void aDurationThatIsNoneSaysWhichFormsAreRead(String text) {
        assertThatThrownBy(() -> ConfigValues.parseDuration(KEY, text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(KEY + ": '" + text + "' is not a duration; use 500ms, 30s");
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "101, 101", "-1, -1", "2147483647, 2147483647"})
    void aWholeNumberOutsideItsRangeNamesKeyValueAndRange(int value, String shown) {
        assertThatThrownBy(() -> ConfigValues.checkInt("loraport.x.retry.max-attempts", value, 1, 100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("loraport.x.retry.max-attempts: " + shown
                        + " is out of range; must be a whole number between 1 and 100");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 50, 100})
    void aWholeNumberInsideItsRangePasses(int value) {
        assertThat(ConfigValues.checkInt("k", value, 1, 100)).isEqualTo(value);
    }

    @ParameterizedTest
    @CsvSource({"NaN, NaN", "Infinity, Infinity", "-Infinity, -Infinity", "5, 5", "-0.1, -0.1", "1.0000001, 1.0000001"})
    void aNumberOutsideItsRangeOrNotFiniteNamesKeyValueAndRange(double value, String shown) {
        assertThatThrownBy(() -> ConfigValues.checkDouble("loraport.x.retry.jitter", value, 0.0, 1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("loraport.x.retry.jitter: " + shown
                        + " is out of range; must be a finite number between 0.0 and 1.0");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, -0.0, 0.5, 1.0})
    void aNumberOnTheEdgesOfItsRangePasses(double value) {
        assertThat(ConfigValues.checkDouble("k", value, 0.0, 1.0)).isEqualTo(value);
    }

    @Test
    void aDurationOutsideItsRangeSaysWhetherZeroIsAllowed() {
        assertThatThrownBy(() -> ConfigValues.checkDuration(
                        "loraport.x.read-timeout", Duration.ZERO, Duration.ofMillis(1), Duration.ofHours(24)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("loraport.x.read-timeout: 0s is out of range; must be a duration > 0, between 1ms and 24h,"
                        + " e.g. 30s or PT30S");
        assertThatThrownBy(() -> ConfigValues.checkDuration(
                        "loraport.x.reconcile.delay", Duration.ofMinutes(61), Duration.ZERO, Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("loraport.x.reconcile.delay: 61m is out of range; must be a duration between 0s and 1h,"
                        + " e.g. 30s or PT30S");
        assertThatThrownBy(() -> ConfigValues.checkDuration(
                        "k", Duration.ofNanos(100_000), Duration.ofMillis(1), Duration.ofHours(1)))
                .hasMessageStartingWith("k: PT0.0001S is out of range");
        assertThatThrownBy(() ->
                        ConfigValues.checkDuration("k", Duration.ofMillis(-5), Duration.ZERO, Duration.ofHours(1)))
                .hasMessageStartingWith("k: -5ms is out of range");
    }

    @Test
    void aDurationOnTheEdgesOfItsRangePasses() {
        Duration min = Duration.ofMillis(1);
        Duration max = Duration.ofHours(24);
        assertThat(ConfigValues.checkDuration("k", min, min, max)).isEqualTo(min);
        assertThat(ConfigValues.checkDuration("k", max, min, max)).isEqualTo(max);
        assertThat(ConfigValues.checkDuration("k", Duration.ZERO, Duration.ZERO, max))
                .isZero();
    }

    @ParameterizedTest
    @CsvSource({
        "16MiB, 16777216",
        "512KiB, 524288",
        "1GiB, 1073741824",
        "1048576, 1048576",
        "100B, 100",
        "16 mib, 16777216",
        "0, 0"
    })
    void sizesReadBytesAndBinaryUnits(String text, long bytes) {
        assertThat(ConfigValues.parseSize("k", text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"16MB", "1.5MiB", "lots", "KiB", "", "99999999999GiB"})
    void aSizeThatIsNoneSaysWhichFormsAreRead(String text) {
        assertThatThrownBy(() -> ConfigValues.parseSize("loraport.x.max-response-size", text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loraport.x.max-response-size: '" + text + "' is not a size")
                .hasMessageContaining("KiB, MiB or GiB");
    }

    @Test
    void aNegativeSizeIsOutOfRange() {
        assertThatThrownBy(() -> ConfigValues.parseSize("loraport.x.max-response-size", "-1KiB"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("loraport.x.max-response-size: '-1KiB' is out of range; must be a size >= 0");
    }

    @Test
    void aSizeOutsideItsRangeNamesKeyValueAndRange() {
        assertThatThrownBy(() -> ConfigValues.checkSize("loraport.x.max-response-size", 512, 1 << 10, 1 << 30))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("loraport.x.max-response-size: 512 is out of range; must be a size between 1KiB and 1GiB,"
                        + " e.g. 16MiB, 512KiB or a number of bytes");
        assertThat(ConfigValues.checkSize("k", 1 << 10, 1 << 10, 1 << 30)).isEqualTo(1024);
        assertThat(ConfigValues.checkSize("k", 1 << 30, 1 << 10, 1 << 30)).isEqualTo(1L << 30);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0s", "1ms", "500ms", "30s", "90s", "2m", "24h", "1001ms", "PT0.0001S"})
    void formattedDurationsReadBack(String text) {
        Duration d = ConfigValues.parseDuration("k", text);
        assertThat(ConfigValues.format(d)).isEqualTo(text);
        assertThat(ConfigValues.parseDuration("k", ConfigValues.format(d))).isEqualTo(d);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 1000, 1024, 1536, 16L << 20, 1L << 30, 3L << 40})
    void formattedSizesReadBack(long bytes) {
        assertThat(ConfigValues.parseSize("k", ConfigValues.formatSize(bytes))).isEqualTo(bytes);
    }
}
