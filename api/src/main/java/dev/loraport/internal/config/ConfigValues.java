package dev.loraport.internal.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Parses configuration values and compares configuration keys loosely. Not API. */
public final class ConfigValues {

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
     * {@code 2m}, {@code 1h}), or a bare number of seconds.
     *
     * @param key the key, for the error message
     * @param value the text
     * @return the duration
     * @throws IllegalArgumentException naming the key and the accepted forms
     */
    public static Duration parseDuration(String key, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("pt") || v.startsWith("p")) {
                return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(
                        Long.parseLong(v.substring(0, v.length() - 2).trim()));
            }
            char unit = v.isEmpty() ? ' ' : v.charAt(v.length() - 1);
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
            if (seconds < 0) {
                throw new NumberFormatException(value);
            }
            return Duration.ofNanos(Math.round(seconds * 1e9));
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException(key + ": '" + value
                    + "' is not a duration; use 500ms, 30s, 2m, 1h, a number of seconds, or ISO-8601 such as PT30S");
        }
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
