package dev.loraport;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Decides how long to wait before the next poll of a training task. The one poll policy of loraport: the
 * {@code TaskWatcher}, {@link TrainingProvider#await}, the command line and the adapters' generation polls all
 * ask it. Pure and immutable: the same inputs give the same delay, and it keeps no state of its own, so one
 * instance may be shared by any number of threads. What it remembers about a task between two polls travels in
 * a {@link Memory} that the caller keeps.
 *
 * <pre>{@code
 * PollPolicy policy = PollPolicy.builder().minInterval(Duration.ofSeconds(2)).build();
 * PollPolicy.Memory memory = PollPolicy.Memory.none();
 * Instant since = Instant.now();
 * TrainingTask task = provider.status(id);
 * while (!task.status().isTerminal()) {
 *   PollPolicy.Next next = policy.next(task, Instant.now(), since, memory, 0, Math.random());
 *   memory = next.memory();
 *   Thread.sleep(next.delay().toMillis());
 *   task = provider.status(id);
 * }
 * }</pre>
 *
 * <p><b>The delay.</b> {@code eta × etaFactor} when the service gives an ETA; else the time left estimated from
 * progress, times {@code etaFactor}; else, when it gave an ETA before, the time left to the end that ETA named,
 * times {@code etaFactor}, and once that end has passed, the overrun times {@code etaFactor}; else the time left
 * of the provider's {@linkplain Builder#expectedDuration(String, Duration) expected duration} times
 * {@code etaFactor}, or a twentieth of it once that is over. The delay is clamped between the
 * {@linkplain Builder#minInterval floor} and the {@linkplain Builder#maxInterval ceiling} and jittered. Once the
 * end the service estimates is nearer than the floor, one poll is <em>aimed</em> {@value #AIM_MARGIN_MILLIS} ms
 * past it, so a task that ends on time is seen at once; another aimed poll comes only if the service moves its
 * end back by a floor or more. Tasks refreshed together from list pages get no aimed poll (it would cost a status
 * call each); those without any estimate are refreshed every {@code floor × 10 / listedTasks}, at least the
 * floor, about a tenth of a floor-paced poller's calls per task.
 *
 * @since 0.1
 */
public final class PollPolicy {

    /** The default lowest delay between two polls of one task. */
    public static final Duration DEFAULT_MIN_INTERVAL = Duration.ofSeconds(5);

    /** The default highest delay between two polls of one task. */
    public static final Duration DEFAULT_MAX_INTERVAL = Duration.ofMinutes(5);

    /** The default expected duration of a task, used when the service gives neither ETA nor progress. */
    public static final Duration DEFAULT_EXPECTED_DURATION = Duration.ofMinutes(30);

    /** How long after a task's estimated end its aimed poll comes: covers clock skew and the response's age. */
    public static final long AIM_MARGIN_MILLIS = 250;

    /**
     * Tasks without any estimate that share list reads are refreshed every {@code floor × LIST_READ_SHARE / tasks}
     * (at least the floor), so that each costs at most a tenth of what a poller at the floor would.
     */
    public static final int LIST_READ_SHARE = 10;

    private static final PollPolicy DEFAULTS = new Builder().build();

    private final long floorMillis;
    private final long ceilingMillis;
    private final double etaFactor;
    private final double jitter;
    private final Map<String, Duration> expectedDurations;
    private final Duration defaultExpectedDuration;

    private PollPolicy(Builder b) {
        this.floorMillis = b.minInterval.toMillis();
        this.ceilingMillis = b.maxInterval.toMillis();
        this.etaFactor = b.etaFactor;
        this.jitter = b.jitter;
        this.expectedDurations = Map.copyOf(b.expectedDurations);
        this.defaultExpectedDuration = b.defaultExpectedDuration;
    }

    /**
     * The policy with every default: floor 5 s, ceiling 5 min, ETA factor 0.5, jitter ±10 %, expected duration
     * 30 min.
     *
     * @return the shared default policy
     */
    public static PollPolicy defaults() {
        return DEFAULTS;
    }

    /**
     * A new builder starting from the defaults.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder starting from this policy's settings.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.minInterval = minInterval();
        b.maxInterval = maxInterval();
        b.etaFactor = etaFactor;
        b.jitter = jitter;
        b.expectedDurations.putAll(expectedDurations);
        b.defaultExpectedDuration = defaultExpectedDuration;
        return b;
    }

    /**
     * The lowest delay between two polls of one task (an aimed poll may come sooner).
     *
     * @return the floor
     */
    public Duration minInterval() {
        return Duration.ofMillis(floorMillis);
    }

    /**
     * The highest delay between two polls of one task.
     *
     * @return the ceiling
     */
    public Duration maxInterval() {
        return Duration.ofMillis(ceilingMillis);
    }

    /**
     * Which fraction of the estimated time left is waited before the next poll.
     *
     * @return more than 0, at most 1
     */
    public double etaFactor() {
        return etaFactor;
    }

    /**
     * The random spread of every delay.
     *
     * @return 0 to 0.5, as a fraction
     */
    public double jitter() {
        return jitter;
    }

    /**
     * How long a task of one provider usually takes.
     *
     * @param providerId the provider id
     * @return that provider's expected duration, or the default one
     */
    public Duration expectedDuration(String providerId) {
        return expectedDurations.getOrDefault(providerId, defaultExpectedDuration);
    }

    /**
     * The delay before the next poll of a task that was just reported as {@code task}.
     *
     * @param task the task as just reported
     * @param now when it was reported
     * @param since when the caller started following the task (used when the task carries no creation time)
     * @param memory what this policy returned for the task's previous poll, or {@link Memory#none()}
     * @param listedTasks how many tasks are refreshed together from list pages with this one; 0 when it is polled
     *     on its own
     * @param random a number in {@code [0, 1)} that picks the jitter, so the policy itself stays pure
     * @return the delay and what to remember until the next poll
     */
    public Next next(TrainingTask task, Instant now, Instant since, Memory memory, int listedTasks, double random) {
        Objects.requireNonNull(task, "task == null");
        Objects.requireNonNull(memory, "memory == null");
        long nowMillis = now.toEpochMilli();
        long etaEndsAt = memory.etaEndsAtMillis;
        long aimedAt = memory.aimedAtMillis;
        long expected = expectedDuration(task.providerId()).toMillis();
        double untilEnd;
        boolean estimated = true;
        if (task.eta().isPresent()) {
            untilEnd = task.eta().get().toMillis();
            etaEndsAt = saturatedAdd(nowMillis, (long) untilEnd);
        } else {
            long started = task.createdAt().orElse(since).toEpochMilli();
            long elapsed = Math.max(0, nowMillis - started);
            int p = task.progressPercent().orElse(0);
            if (p > 0 && p < 100 && elapsed > 0) {
                untilEnd = (double) elapsed * (100 - p) / p;
            } else if (etaEndsAt != 0) {
                // The service stopped giving an ETA (some do once training ends and deployment starts): its last
                // one still beats a guess from the provider's typical duration.
                untilEnd = etaEndsAt - nowMillis;
            } else {
                untilEnd = expected - elapsed;
                estimated = false;
            }
        }
        // Only on the service's own estimate, and not where list pages refresh the tasks: an aimed poll there is
        // one status call per task, dearer than a page. Only below the floor: aiming later would skip the
        // floor-spaced polls that bound what an overestimated end costs.
        if (estimated && untilEnd > 0 && untilEnd + AIM_MARGIN_MILLIS <= floorMillis && listedTasks == 0) {
            long target = saturatedAdd(nowMillis, (long) untilEnd + AIM_MARGIN_MILLIS);
            // Aim again only when the service moved the end back by a floor or more, so that two aimed polls are
            // never closer than the floor.
            if (aimedAt == 0 || target >= saturatedAdd(aimedAt, floorMillis)) {
                aimedAt = target;
            }
            if (nowMillis < aimedAt) {
                return new Next(Duration.ofMillis(Math.max(1, aimedAt - nowMillis)), new Memory(etaEndsAt, aimedAt));
            }
        }
        double base;
        if (untilEnd > 0) {
            base = untilEnd * etaFactor;
        } else if (estimated) {
            // Overrunning the service's own estimate: the later it gets, the less a few seconds matter.
            base = -untilEnd * etaFactor;
        } else {
            // Past its expected end, a task without estimates is polled at a steady, moderate rate.
            base = expected / 20.0;
        }
        if (!estimated && listedTasks > 0) {
            // No estimate, but a page read refreshes every listed task at once (Novita's list carries no ETA):
            // reading every floor × (10 / tasks) costs each a tenth of a floor-paced poller, and beats a guess.
            double shared = floorMillis * Math.max(1.0, (double) LIST_READ_SHARE / listedTasks);
            base = Math.min(base, shared);
        }
        return new Next(Duration.ofMillis(jittered(base, random)), new Memory(etaEndsAt, aimedAt));
    }

    /**
     * The delay after {@code failures} consecutive failed polls: the floor, doubled for each failure after the
     * first, clamped to the ceiling and jittered. A service's own retry-after, when longer, wins over it.
     *
     * @param failures 1 or more
     * @param random a number in {@code [0, 1)} that picks the jitter
     * @return the delay
     */
    public Duration backoff(int failures, double random) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures: " + failures + " is out of range; allowed 1 or more");
        }
        double base = floorMillis * Math.pow(2, Math.min(failures - 1, 30));
        return Duration.ofMillis(jittered(base, random));
    }

    private long jittered(double base, double random) {
        double clamped = Math.max(floorMillis, Math.min(ceilingMillis, base));
        double factor = 1 + jitter * (2 * random - 1);
        return (long) Math.max(floorMillis, Math.min(ceilingMillis, clamped * factor));
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof PollPolicy p
                && floorMillis == p.floorMillis
                && ceilingMillis == p.ceilingMillis
                && etaFactor == p.etaFactor
                && jitter == p.jitter
                && expectedDurations.equals(p.expectedDurations)
                && defaultExpectedDuration.equals(p.defaultExpectedDuration);
    }

    @Override
    public int hashCode() {
        return Objects.hash(floorMillis, ceilingMillis, etaFactor, jitter, expectedDurations, defaultExpectedDuration);
    }

    @Override
    public String toString() {
        return "PollPolicy{floor=" + minInterval() + ", ceiling=" + maxInterval() + ", etaFactor=" + etaFactor
                + ", jitter=" + jitter + ", expected=" + defaultExpectedDuration + ", expectedByProvider="
                + expectedDurations + "}";
    }

    /**
     * What the policy remembers about one task between two polls: where the service's last ETA put its end, and
     * when the poll aimed at that end is due. Immutable; the caller keeps it and hands it back on the next poll.
     *
     * @since 0.1
     */
    public static final class Memory {

        private static final Memory NONE = new Memory(0, 0);

        final long etaEndsAtMillis;
        final long aimedAtMillis;

        private Memory(long etaEndsAtMillis, long aimedAtMillis) {
            this.etaEndsAtMillis = etaEndsAtMillis;
            this.aimedAtMillis = aimedAtMillis;
        }

        /**
         * Nothing remembered: the state before a task's first poll.
         *
         * @return the empty memory
         */
        public static Memory none() {
            return NONE;
        }

        /**
         * Where the service's last ETA put the task's end.
         *
         * @return the end, or empty while the service never gave an ETA
         */
        public java.util.Optional<Instant> estimatedEnd() {
            return etaEndsAtMillis == 0
                    ? java.util.Optional.empty()
                    : java.util.Optional.of(Instant.ofEpochMilli(etaEndsAtMillis));
        }

        @Override
        public String toString() {
            return "Memory{etaEndsAt=" + etaEndsAtMillis + ", aimedAt=" + aimedAtMillis + "}";
        }
    }

    /**
     * The policy's answer for one poll.
     *
     * @param delay how long to wait before the next poll; positive
     * @param memory what to hand back to the policy on the next poll
     * @since 0.1
     */
    public record Next(Duration delay, Memory memory) {

        /**
         * Rejects nulls.
         *
         * @param delay how long to wait before the next poll
         * @param memory what to hand back on the next poll
         */
        public Next {
            Objects.requireNonNull(delay, "delay == null");
            Objects.requireNonNull(memory, "memory == null");
        }
    }

    /** Builds a {@link PollPolicy}. Not thread-safe. */
    public static final class Builder {
        private Duration minInterval = DEFAULT_MIN_INTERVAL;
        private Duration maxInterval = DEFAULT_MAX_INTERVAL;
        private double etaFactor = 0.5;
        private double jitter = 0.1;
        private final Map<String, Duration> expectedDurations = new HashMap<>();
        private Duration defaultExpectedDuration = DEFAULT_EXPECTED_DURATION;

        private Builder() {}

        /**
         * Sets the lowest delay between two polls of one task. Default {@link #DEFAULT_MIN_INTERVAL 5 s}.
         *
         * @param floor a positive duration
         * @return this builder
         */
        public Builder minInterval(Duration floor) {
            this.minInterval = positive("minInterval", floor);
            return this;
        }

        /**
         * Sets the highest delay between two polls of one task. Default {@link #DEFAULT_MAX_INTERVAL 5 min}.
         *
         * @param ceiling a duration not below the floor
         * @return this builder
         */
        public Builder maxInterval(Duration ceiling) {
            this.maxInterval = positive("maxInterval", ceiling);
            return this;
        }

        /**
         * Sets which fraction of the estimated time left to wait before the next poll. Default 0.5.
         *
         * @param etaFactor more than 0, at most 1
         * @return this builder
         */
        public Builder etaFactor(double etaFactor) {
            if (!(etaFactor > 0 && etaFactor <= 1)) {
                throw new IllegalArgumentException("etaFactor: " + etaFactor + " is out of range; allowed (0, 1]");
            }
            this.etaFactor = etaFactor;
            return this;
        }

        /**
         * Sets the random spread of every delay, so that tasks started together do not poll together. Default
         * 0.1 (±10 %).
         *
         * @param jitter 0 to 0.5
         * @return this builder
         */
        public Builder jitter(double jitter) {
            if (!(jitter >= 0 && jitter <= 0.5)) {
                throw new IllegalArgumentException("jitter: " + jitter + " is out of range; allowed [0, 0.5]");
            }
            this.jitter = jitter;
            return this;
        }

        /**
         * Sets how long a task of one provider usually takes; drives polling when the service gives neither ETA
         * nor progress. Default {@link #DEFAULT_EXPECTED_DURATION 30 min}.
         *
         * @param providerId the provider id, such as {@code novita}
         * @param expected a positive duration
         * @return this builder
         */
        public Builder expectedDuration(String providerId, Duration expected) {
            Objects.requireNonNull(providerId, "providerId == null");
            expectedDurations.put(providerId, positive("expectedDuration", expected));
            return this;
        }

        /**
         * Sets the expected duration of providers without their own. Default
         * {@link #DEFAULT_EXPECTED_DURATION 30 min}.
         *
         * @param expected a positive duration
         * @return this builder
         */
        public Builder defaultExpectedDuration(Duration expected) {
            this.defaultExpectedDuration = positive("defaultExpectedDuration", expected);
            return this;
        }

        private static Duration positive(String name, @Nullable Duration d) {
            Objects.requireNonNull(d, name + " == null");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + ": " + d + " must be positive");
            }
            return d;
        }

        /**
         * Builds the policy.
         *
         * @return the policy
         * @throws IllegalArgumentException when the ceiling is below the floor
         */
        public PollPolicy build() {
            if (maxInterval.compareTo(minInterval) < 0) {
                throw new IllegalArgumentException(
                        "maxInterval: " + maxInterval + " is below minInterval " + minInterval);
            }
            return new PollPolicy(this);
        }
    }
}
