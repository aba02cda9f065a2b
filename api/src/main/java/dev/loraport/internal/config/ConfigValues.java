package dev.loraport.internal.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Parses configuration values, checks them against their setting's range, and compares configuration keys loosely.
 * Every range failure has one form, {@code <key>: <value> is out of range; must be <allowed>} ({@link #outOfRange}),
 * so a message names the full key, what was given and what is allowed. Stateless and thread-safe. Not API.
 */
public final class ConfigValues {

    private static final String DURATION_EXAMPLE = ", e.g. 30s or PT30S";

    private static final String DURATION_FORMS_NON_NEGATIVE = "a finite duration >= 0" + DURATION_EXAMPLE;

    private static final String SIZE_EXAMPLE = ", e.g. 16MiB, 512KiB or a number of bytes";

    private ConfigValues() {}

    /**
     * The form a key is compared in: lowercase, without {@code .}, {@code -} and {@code _}, so
     * {@code retry.max-attempts}, {@code RETRY_MAX_ATTEMPTS} and {@code retry.maxAttempts} are one key.
     *
     * @param key a key in any of those spellings
     * @return the canonical form
     */
    public static String canonicalKey(String key) {
        StringBuilder sb = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c != '.' && c != '-' && c != '_') {
                sb.append(Character.toLowerCase(c));
            }
        }
        return sb.toString();
    }

    /**
     * Parses a duration: ISO-8601 ({@code PT30S}), a number with a unit ({@code 500ms}, {@code 30s},
     * {@code 2m}, {@code 1h}), or a bare number of seconds. No setting takes a negative duration, so none parses.
     *
     * @param key the key, for the error message
     * @param value the text
     * @return the duration, zero or more
     * @throws IllegalArgumentException naming the key and the accepted forms, when the text is not a duration, is
     *     negative or is too long for a {@link Duration} of nanoseconds
     */
    public static Duration parseDuration(String key, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            if (v.startsWith("p") || v.startsWith("-p") || v.startsWith("+p")) {
                d = Duration.parse(value.trim().toUpperCase(Locale.ROOT));
                // Every duration a setting takes fits in a long of nanoseconds; a longer one is a typo.
                d.toNanos();
            } else if (v.endsWith("ms")) {
                d = Duration.ofMillis(
                        Long.parseLong(v.substring(0, v.length() - 2).trim()));
                d.toNanos();
            } else {
                d = ofSeconds(value, v);
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException(key + ": '" + value
                    + "' is not a duration; use 500ms, 30s, 2m, 1h, a number of seconds, or ISO-8601 such as PT30S");
        } catch (ArithmeticException e) {
            throw outOfRange(key, "'" + value + "'", DURATION_FORMS_NON_NEGATIVE);
        }
        if (d.isNegative()) {
            throw outOfRange(key, "'" + value + "'", DURATION_FORMS_NON_NEGATIVE);
        }
        return d;
    }

    private static Duration ofSeconds(String value, String v) {
        if (v.isEmpty()) {
            throw new NumberFormatException(value);
        }
        char unit = v.charAt(v.length() - 1);
        String number =
                Character.isDigit(unit) ? v : v.substring(0, v.length() - 1).trim();
        double amount = Double.parseDouble(number);
        double seconds = switch (unit) {
            case 'h' -> amount * 3600;
            case 'm' -> amount * 60;
            case 's' -> amount;
            default -> {
                if (!Character.isDigit(unit)) {
                    throw new NumberFormatException(value);
                }
                yield amount;
            }
        };
        double nanos = seconds * 1e9;
        // Math.round saturates: 1e400s would silently become 292 years instead of an error naming the key.
        if (Double.isNaN(nanos) || Math.abs(nanos) >= 0x1p63) {
            throw new ArithmeticException(value);
        }
        return Duration.ofNanos(Math.round(nanos));
    }

    /**
     * Parses a whole number.
     *
     * @param key the key, for the error message
     * @param value the text
     * @return the number
     * @throws IllegalArgumentException naming the key
     */
    public static int parseInt(String key, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + value + "' is not a whole number");
        }
    }

    /**
     * Parses a decimal number.
     *
     * @param key the key, for the error message
     * @param value the text
     * @return the number
     * @throws IllegalArgumentException naming the key
     */
    public static double parseDouble(String key, String value) {
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + value + "' is not a number");
        }
    }

    /**
     * Parses a boolean: {@code true/false}, {@code yes/no}, {@code on/off}, {@code 1/0}.
     *
     * @param key the key, for the error message
     * @param value the text
     * @return the flag
     * @throws IllegalArgumentException naming the key and the accepted values
     */
    public static boolean parseBoolean(String key, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default ->
                throw new IllegalArgumentException(
                        key + ": '" + value + "' is not a boolean; allowed: true, false, yes, no, on, off, 1, 0");
        };
    }

    /**
     * The failure of a value outside its setting's range, in the one form every setting uses: {@code <key>: <value>
     * is out of range; must be <allowed>}.
     *
     * @param key the full key, such as {@code loraport.novita.retry.multiplier}
     * @param value the value as the message shows it; never pass a secret
     * @param allowed what the setting takes, such as {@code a finite number between 0.0 and 1.0}
     * @return the exception, for the caller to throw
     */
    public static IllegalArgumentException outOfRange(String key, String value, String allowed) {
        return new IllegalArgumentException(key + ": " + value + " is out of range; must be " + allowed);
    }

    /**
     * Checks a whole-number setting.
     *
     * @param key the full key, for the message
     * @param value the value
     * @param min the lowest value allowed
     * @param max the highest value allowed
     * @return the value
     * @throws IllegalArgumentException naming the key, the value and the range, when the value is outside it
     */
    public static int checkInt(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw outOfRange(key, Integer.toString(value), "a whole number between " + min + " and " + max);
        }
        return value;
    }

    /**
     * Checks a decimal setting; NaN and the infinities are never allowed.
     *
     * @param key the full key, for the message
     * @param value the value
     * @param min the lowest value allowed, finite
     * @param max the highest value allowed, finite
     * @return the value
     * @throws IllegalArgumentException naming the key, the value and the range, when the value is outside it
     */
    public static double checkDouble(String key, double value, double min, double max) {
        // Written so that NaN, which compares false with everything, fails too.
        if (!(value >= min && value <= max)) {
            throw outOfRange(key, format(value), "a finite number between " + bound(min) + " and " + bound(max));
        }
        return value;
    }

    /**
     * Checks a duration setting.
     *
     * @param key the full key, for the message
     * @param value the value
     * @param min the shortest duration allowed, zero or more; when more than zero the message says {@code > 0}
     * @param max the longest duration allowed
     * @return the value
     * @throws IllegalArgumentException naming the key, the value and the range, when the value is outside it
     */
    public static Duration checkDuration(String key, Duration value, Duration min, Duration max) {
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            String range = "between " + format(min) + " and " + format(max);
            throw outOfRange(
                    key, format(value), "a duration " + (min.isZero() ? range : "> 0, " + range) + DURATION_EXAMPLE);
        }
        return value;
    }

    /**
     * Parses a size in bytes: a whole number of bytes ({@code 1048576}), or one with a binary unit ({@code 512KiB},
     * {@code 16MiB}, {@code 1GiB}); case and a space before the unit do not matter.
     *
     * @param key the key, for the error message
     * @param value the text
     * @return the number of bytes, zero or more
     * @throws IllegalArgumentException naming the key and the accepted forms
     */
    public static long parseSize(String key, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        int shift = 0;
        if (v.endsWith("kib")) {
            shift = 10;
        } else if (v.endsWith("mib")) {
            shift = 20;
        } else if (v.endsWith("gib")) {
            shift = 30;
        } else if (v.endsWith("b")) {
            v = v.substring(0, v.length() - 1);
        }
        if (shift > 0) {
            v = v.substring(0, v.length() - 3);
        }
        try {
            long number = Long.parseLong(v.trim());
            if (number < 0) {
                throw outOfRange(key, "'" + value + "'", "a size >= 0" + SIZE_EXAMPLE);
            }
            return Math.multiplyExact(number, 1L << shift);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(key + ": '" + value
                    + "' is not a size; use a whole number of bytes, or one with KiB, MiB or GiB, such as 16MiB");
        }
    }

    /**
     * Checks a size setting.
     *
     * @param key the full key, for the message
     * @param bytes the value
     * @param min the smallest size allowed
     * @param max the largest size allowed
     * @return the value
     * @throws IllegalArgumentException naming the key, the value and the range, when the value is outside it
     */
    public static long checkSize(String key, long bytes, long min, long max) {
        if (bytes < min || bytes > max) {
            throw outOfRange(
                    key,
                    formatSize(bytes),
                    "a size between " + formatSize(min) + " and " + formatSize(max) + SIZE_EXAMPLE);
        }
        return bytes;
    }

    /**
     * A size as a setting would be written: {@code 16MiB}, {@code 512KiB}, or a number of bytes.
     *
     * @param bytes the size
     * @return the text, which {@link #parseSize} reads back
     */
    public static String formatSize(long bytes) {
        if (bytes != 0) {
            if (bytes % (1L << 30) == 0) {
                return (bytes >> 30) + "GiB";
            }
            if (bytes % (1L << 20) == 0) {
                return (bytes >> 20) + "MiB";
            }
            if (bytes % (1L << 10) == 0) {
                return (bytes >> 10) + "KiB";
            }
        }
        return Long.toString(bytes);
    }

    /**
     * A duration as a setting would be written: {@code 0s}, {@code 500ms}, {@code 30s}, {@code 2m}, {@code 24h}, or
     * ISO-8601 when it has a fraction of a millisecond.
     *
     * @param d the duration
     * @return the text, which {@link #parseDuration} reads back when it is not negative
     */
    public static String format(Duration d) {
        if (d.isNegative()) {
            return d.getSeconds() == Long.MIN_VALUE ? d.toString() : "-" + format(d.negated());
        }
        if (d.getNano() % 1_000_000 != 0 || d.getSeconds() >= Long.MAX_VALUE / 1000) {
            return d.toString();
        }
        long millis = d.toMillis();
        if (millis == 0) {
            return "0s";
        }
        if (millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }

    /** A bound with its {@code .0}, so the message says a fraction is allowed: {@code between 0.0 and 1.0}. */
    private static String bound(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? (long) value + ".0" : Double.toString(value);
    }

    /** A whole number without {@code .0}, so a message shows {@code 5} for a setting given as {@code 5}. */
    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value)
                : Double.toString(value);
    }

    /**
     * Replaces every occurrence of a secret in a text, for messages built from service responses.
     *
     * @param text the text, or null
     * @param secret the secret, or null
     * @return the text with the secret replaced by {@code ****}, or null
     */
    public static @Nullable String redact(@Nullable String text, @Nullable String secret) {
        if (text == null || secret == null || secret.isEmpty()) {
            return text;
        }
        return text.replace(secret, "****");
    }
}
