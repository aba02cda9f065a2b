package dev.loraport;

/**
 * An inclusive range of allowed numbers.
 *
 * @param min the smallest allowed value
 * @param max the largest allowed value
 * @since 0.1
 */
public record NumberRange(double min, double max) {

    /**
     * Rejects a range whose min is above its max.
     *
     * @param min the smallest allowed value
     * @param max the largest allowed value
     */
    public NumberRange {
        if (!(min <= max)) {
            throw new IllegalArgumentException("min " + min + " > max " + max);
        }
    }

    /**
     * The range min..max.
     *
     * @param min the smallest allowed value
     * @param max the largest allowed value
     * @return the range
     */
    public static NumberRange of(double min, double max) {
        return new NumberRange(min, max);
    }

    /**
     * Whether a value lies in the range.
     *
     * @param value the value
     * @return {@code true} when min ≤ value ≤ max
     */
    public boolean contains(double value) {
        return value >= min && value <= max;
    }

    /** Reads {@code 4..128}, or {@code 0.1..1} for fractions. */
    @Override
    public String toString() {
        return format(min) + ".." + format(max);
    }

    static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }
}
