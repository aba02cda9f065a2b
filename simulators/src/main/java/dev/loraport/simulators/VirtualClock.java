package dev.loraport.simulators;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * The time the simulators and fakes live in. A manual clock moves only when the test calls {@link
 * #advance(Duration)}; a scaled clock runs with real time multiplied by a speed factor (for demos), and
 * {@code advance} still jumps it forward. Thread-safe.
 *
 * @since 0.1
 */
public final class VirtualClock {

    /** The instant a manual clock starts at unless told otherwise. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

    private final Instant start;
    private final double speed;
    private final long realStartNanos;
    private long offsetNanos;

    private VirtualClock(Instant start, double speed) {
        this.start = start;
        this.speed = speed;
        this.realStartNanos = System.nanoTime();
    }

    /**
     * Where the clock started: for a scaled clock, also the wall-clock instant it was made, so another process
     * that knows it and the speed can compute the same time ({@code loraport simulate} prints both).
     *
     * @return the start instant
     */
    public Instant start() {
        return start;
    }

    /**
     * A clock that moves only on {@link #advance(Duration)}.
     *
     * @param start the first instant
     * @return the clock
     */
    public static VirtualClock manual(Instant start) {
        return new VirtualClock(Objects.requireNonNull(start, "start == null"), 0);
    }

    /**
     * A manual clock starting at {@link #DEFAULT_START}.
     *
     * @return the clock
     */
    public static VirtualClock manual() {
        return manual(DEFAULT_START);
    }

    /**
     * A clock running {@code speed} times faster than real time, from now.
     *
     * @param speed virtual seconds per real second, above 0 (120: a 30-minute job takes 15 real seconds)
     * @return the clock
     */
    public static VirtualClock scaled(double speed) {
        if (!(speed > 0)) {
            throw new IllegalArgumentException("speed: " + speed + " is out of range; allowed > 0");
        }
        return new VirtualClock(Instant.now(), speed);
    }

    /**
     * Moves the clock forward.
     *
     * @param duration how far; not negative
     */
    public synchronized void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration: " + duration + " is negative; time only moves forward");
        }
        offsetNanos += duration.toNanos();
    }

    /**
     * The current virtual instant.
     *
     * @return now
     */
    public synchronized Instant now() {
        long elapsed = speed == 0 ? 0 : (long) ((System.nanoTime() - realStartNanos) * speed);
        return start.plusNanos(elapsed + offsetNanos);
    }

    /**
     * How far {@link #advance(Duration)} has moved this clock in total, without the scaled part. Things the real
     * services time in wall-clock seconds (a presigned URL's {@code X-Amz-Expires}) count real time plus this, so a
     * test can still jump past them while a demo at speed 600 does not make them expire 600 times sooner.
     *
     * @return the sum of all advances
     */
    synchronized Duration advanced() {
        return Duration.ofNanos(offsetNanos);
    }

    /**
     * How many virtual seconds pass per real second.
     *
     * @return 0 for a manual clock, else the speed factor
     */
    public double speed() {
        return speed;
    }

    /**
     * How long a client must wait, in its own time, for this clock to move by a virtual span: the span itself on a
     * manual clock (the client's waits are what advance it), the span divided by the speed on a scaled one. Hints
     * the services give in seconds to wait (an ETA) go through this, so a client that follows them on a sped-up
     * simulator sees the end within seconds instead of sleeping the virtual minutes in real time.
     *
     * @param virtual the span on this clock, not negative
     * @return the span on the client's clock
     */
    public Duration waitFor(Duration virtual) {
        if (speed == 0) {
            return virtual;
        }
        return Duration.ofNanos((long) Math.ceil(virtual.toNanos() / speed));
    }

    /**
     * This clock as a {@link Clock}, for code that takes one.
     *
     * @return a UTC clock reading this virtual clock
     */
    public Clock asJavaClock() {
        VirtualClock self = this;
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return self.now();
            }
        };
    }
}
