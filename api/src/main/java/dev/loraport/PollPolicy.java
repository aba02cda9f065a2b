package dev.loraport;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 *   PollPolicy.Next next =
 *       policy.next(task, Instant.now(), since, memory, PollPolicy.Shared.alone(), Math.random());
 *   memory = next.memory();
 *   Thread.sleep(next.delay().toMillis());
 *   task = provider.status(id);
 * }
 * }</pre>
 *
 * <p><b>The delay.</b> The time left to the end the service's ETAs name, times {@code etaFactor}; else the time
 * left estimated from progress, times {@code etaFactor}; else, when it gave an ETA before, the time left to the end
 * that ETA named, times {@code etaFactor}, and once that end has passed, the overrun times {@code etaFactor}; else
 * the time left of the provider's {@linkplain Builder#expectedDuration(String, Duration) expected duration} times
 * {@code etaFactor}, or a twentieth of it once that is over. The delay is clamped between the
 * {@linkplain Builder#minInterval floor} and the {@linkplain Builder#maxInterval ceiling} and jittered. Once the
 * end the service estimates is nearer than the floor, one poll is <em>aimed</em> {@value #AIM_MARGIN_MILLIS} ms
 * past it, so a task that ends on time is seen at once; another aimed poll comes only if the service moves its
 * end back by a floor or more.
 *
 * <p><b>Coarse ETAs.</b> An ETA is read as rounded down to the coarsest unit it is a whole number of (a minute,
 * a second): it puts the end in a span of that width, and the spans of successive reports are intersected. A poll
 * more than a floor away is moved by at most half a unit to the moment whose report halves that span, so an ETA in
 * whole minutes (ModelsLab's) pins the end to well under a second over a job's usual polls.
 *
 * <p><b>What the ETA leaves out.</b> When a task outlives the end its ETA named and reports no ETA any more (its
 * last one had run down to two floors or less: Novita's ETA ends with training, not with the deployment after
 * it), it is aimed at that end plus the provider's <em>tail</em>, which the caller learns from the provider's
 * finished tasks with {@link #learnTail} and passes in through {@link Shared}; past it, or with nothing learned
 * yet, it is searched for at doubling delays, from {@code 1 / }{@value #UNKNOWN_TAIL_SHARE} of the time the ETA
 * covered when nothing was learned.
 *
 * <p><b>Shared list reads.</b> Tasks refreshed together from list pages are not held to the per-task floor, since
 * one read serves them all: they may be polled every {@code floor × }{@value #LIST_READ_SHARE}{@code  × pages /
 * tasks}, which costs each a tenth of a floor-paced poller at most, and never more often than the
 * {@linkplain Builder#minListInterval list floor}. Those without any estimate are read at that pace throughout.
 *
 * @since 0.1
 */
public final class PollPolicy {

    /** The default lowest delay between two polls of one task. */
    public static final Duration DEFAULT_MIN_INTERVAL = Duration.ofSeconds(5);

    /**
     * The default lowest delay between two list reads of one provider: tasks refreshed from list pages share
     * each read, so they may be read more often than the per-task floor, but never in a tight loop.
     */
    public static final Duration DEFAULT_MIN_LIST_INTERVAL = Duration.ofMillis(1_500);

    /** The default highest delay between two polls of one task. */
    public static final Duration DEFAULT_MAX_INTERVAL = Duration.ofMinutes(5);

    /** The default expected duration of a task, used when the service gives neither ETA nor progress. */
    public static final Duration DEFAULT_EXPECTED_DURATION = Duration.ofMinutes(30);

    /** How long after a task's estimated end its aimed poll comes: covers clock skew and the response's age. */
    public static final long AIM_MARGIN_MILLIS = 250;

    /**
     * Tasks that share list reads are read at most every {@code floor × LIST_READ_SHARE × pages / tasks} (and
     * never more often than the {@linkplain #minListInterval() list floor}), so that each costs at most a tenth of
     * what a poller at the floor would.
     */
    public static final int LIST_READ_SHARE = 10;

    /**
     * Once a task outlives the end its ETA named, with no tail learned for its provider yet, it is searched for
     * at doubling delays from {@code 1 / UNKNOWN_TAIL_SHARE} of the time that ETA covered.
     */
    public static final int UNKNOWN_TAIL_SHARE = 16;

    private static final PollPolicy DEFAULTS = new Builder().build();

    private final long floorMillis;
    private final long listFloorMillis;
    private final long ceilingMillis;
    private final double etaFactor;
    private final double jitter;
    private final Map<String, Duration> expectedDurations;
    private final Duration defaultExpectedDuration;

    private PollPolicy(Builder b) {
        this.floorMillis = b.minInterval.toMillis();
        this.listFloorMillis = b.minListInterval.toMillis();
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
        b.minListInterval = minListInterval();
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
     * The lowest delay between two list reads of one provider, however many tasks they refresh.
     *
     * @return the list floor
     */
    public Duration minListInterval() {
        return Duration.ofMillis(listFloorMillis);
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
     * @param shared what the caller knows about the task's provider as a whole: {@link Shared#alone()} for a task
     *     polled on its own with nothing learned
     * @param random a number in {@code [0, 1)} that picks the jitter, so the policy itself stays pure
     * @return the delay and what to remember until the next poll
     */
    public Next next(TrainingTask task, Instant now, Instant since, Memory memory, Shared shared, double random) {
        Objects.requireNonNull(task, "task == null");
        Objects.requireNonNull(memory, "memory == null");
        Objects.requireNonNull(shared, "shared == null");
        long nowMillis = now.toEpochMilli();
        long lo = memory.endLoMillis;
        long hi = memory.endHiMillis;
        long resolution = memory.resolutionMillis;
        long lastEta = memory.lastEtaMillis;
        long aimedAt = memory.aimedAtMillis;
        long expected = expectedDuration(task.providerId()).toMillis();
        long started = task.createdAt().orElse(since).toEpochMilli();
        boolean listed = shared.listedTasks() > 0;
        // A page read refreshes every listed task at once, so its pace is bounded by what it costs each of them
        // (pages / tasks per read), not by the per-task floor; the list floor keeps a provider from being read
        // in a tight loop.
        long floor = listed ? Math.min(floorMillis, listPace(shared)) : floorMillis;
        // Estimated tasks keep the floor on their way to the end even when listed: the end's aimed read is what
        // sees them on time, and reads before it would cost every page once per task nearing its end.
        long approachFloor = floorMillis;
        double untilEnd;
        boolean estimated = true;
        boolean ranOut = false;
        if (task.eta().isPresent()) {
            long eta = Math.max(0, task.eta().get().toMillis());
            // Services round their ETA down to whole seconds (Novita) or minutes (ModelsLab); each report only
            // says the end lies in [now + eta, now + eta + resolution - 1 ms]. Intersecting the reports narrows
            // that.
            long step = eta == 0 ? Math.max(1, resolution) : resolutionOf(eta);
            resolution = Math.max(resolution, step);
            long a = saturatedAdd(nowMillis, eta);
            long b = saturatedAdd(a, step - 1);
            if (hi != 0 && a <= hi && b >= lo) {
                lo = Math.max(lo, a);
                hi = Math.min(hi, b);
            } else {
                // Disjoint: the service moved its estimate, and only its newest one counts.
                lo = a;
                hi = b;
            }
            lastEta = eta;
            untilEnd = hi - nowMillis;
        } else {
            long elapsed = Math.max(0, nowMillis - started);
            int p = task.progressPercent().orElse(0);
            if (hi != 0 && lastEta <= 2 * floorMillis) {
                // The ETA ran out while the task went on without one (Novita's ends with training, not with the
                // deployment after it): what it left out is the provider's learned tail, or unknown.
                ranOut = true;
                untilEnd = Double.NaN;
            } else if (p > 0 && p < 100 && elapsed > 0) {
                untilEnd = (double) elapsed * (100 - p) / p;
            } else if (hi != 0) {
                // The service stopped giving an ETA well before its end: its last one still beats a guess from the
                // provider's typical duration.
                untilEnd = hi - nowMillis;
            } else {
                untilEnd = expected - elapsed;
                estimated = false;
            }
        }
        if (ranOut) {
            return afterEtaRanOut(nowMillis, started, lo, hi, resolution, lastEta, aimedAt, shared, floor, random);
        }
        // Only on the service's own estimate, and only below the floor: aiming later would skip the floor-spaced
        // polls that bound what an overestimated end costs. Where list pages refresh the tasks, the poller merges
        // the aimed reads of many tasks into one read per list floor.
        if (estimated && untilEnd > 0 && untilEnd + AIM_MARGIN_MILLIS <= floorMillis) {
            long target = saturatedAdd(nowMillis, (long) untilEnd + AIM_MARGIN_MILLIS);
            // Aim again only when the service moved the end back by a floor or more, so that two aimed polls are
            // never closer than the floor.
            if (aimedAt == 0 || target >= saturatedAdd(aimedAt, floorMillis)) {
                aimedAt = target;
            }
            if (nowMillis < aimedAt) {
                return new Next(
                        Duration.ofMillis(Math.max(1, aimedAt - nowMillis)),
                        new Memory(lo, hi, resolution, lastEta, aimedAt, false));
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
        if (!estimated && listed) {
            // No estimate, but a page read refreshes every listed task at once (Novita's list carries no ETA):
            // reading at the list pace costs each a tenth of a floor-paced poller at most, and beats a guess.
            base = Math.min(base, listPace(shared));
        }
        long delay = jittered(base, random, estimated ? approachFloor : floor);
        if (hi != 0 && untilEnd > 0) {
            delay = bisecting(nowMillis, delay, lo, hi, resolution, floor);
        }
        return new Next(Duration.ofMillis(delay), new Memory(lo, hi, resolution, lastEta, aimedAt, false));
    }

    /**
     * The task outlived the end its ETA named and reports none any more: aim at that end plus the provider's
     * learned tail, halving the way there; past it, or with nothing learned yet, search at doubling delays.
     */
    private Next afterEtaRanOut(
            long nowMillis,
            long started,
            long lo,
            long hi,
            long resolution,
            long lastEta,
            long aimedAt,
            Shared shared,
            long floor,
            double random) {
        Duration tail = shared.tail();
        long target = tail == null ? hi : saturatedAdd(hi, tail.toMillis());
        long until = target - nowMillis;
        if (tail != null && until > 0) {
            if (until + AIM_MARGIN_MILLIS <= floorMillis || until * etaFactor < floor) {
                long at = saturatedAdd(target, AIM_MARGIN_MILLIS);
                if (aimedAt == 0 || at >= saturatedAdd(aimedAt, floorMillis)) {
                    aimedAt = at;
                }
                if (nowMillis < aimedAt) {
                    return new Next(
                            Duration.ofMillis(Math.max(1, aimedAt - nowMillis)),
                            new Memory(lo, hi, resolution, lastEta, aimedAt, true));
                }
            } else {
                return new Next(
                        Duration.ofMillis(jittered(until * etaFactor, random, floor)),
                        new Memory(lo, hi, resolution, lastEta, aimedAt, true));
            }
        }
        // Doubling from the floor past a learned tail; with none learned yet, from a sixteenth of the time the ETA
        // covered: a phase it leaves out (a deployment) is rarely a matter of seconds, and probing it at the
        // floor is what made one job cost 1/7.6 of a 5 s poller.
        double base = Math.max(0, -until);
        if (tail == null) {
            base = Math.max(base, Math.max(0, hi - started) / (double) UNKNOWN_TAIL_SHARE);
        }
        return new Next(
                Duration.ofMillis(jittered(base, random, floor)),
                new Memory(lo, hi, resolution, lastEta, aimedAt, true));
    }

    /**
     * Moves a poll due {@code delay} from now by at most half the ETA's resolution, to the moment whose report
     * splits the end's uncertainty in two: a coarse ETA (whole minutes) changes value exactly when the time left
     * crosses a whole minute, so a report there tells on which side of the midpoint the end lies.
     */
    private static long bisecting(long now, long delay, long lo, long hi, long resolution, long floor) {
        long width = hi - lo;
        // Not within a unit of the end: there the polls halve their way to it, and the last ETA they see tells
        // whether the task ran out of it (see afterEtaRanOut).
        if (resolution <= 1 || width <= AIM_MARGIN_MILLIS || delay < resolution) {
            return delay;
        }
        long mid = lo + width / 2;
        long target = now + delay;
        if (target >= mid) {
            return delay;
        }
        long k = Math.round((double) (mid - target) / resolution);
        long at = mid - k * resolution;
        if (at < now + floor) {
            at += resolution;
        }
        if (at > mid || at < now + floor || Math.abs(at - target) > resolution / 2 + 1) {
            return delay;
        }
        return at - now;
    }

    /** The coarsest whole unit (minute, second, millisecond) that a reported ETA is a multiple of. */
    private static long resolutionOf(long etaMillis) {
        if (etaMillis % 60_000 == 0) {
            return 60_000;
        }
        return etaMillis % 1_000 == 0 ? 1_000 : 1;
    }

    /** How often listed tasks may be read: each read costs them pages / tasks calls, a tenth of the floor's. */
    private long listPace(Shared shared) {
        double perRead = (double) Math.max(1, shared.listPages()) / shared.listedTasks();
        return Math.max(listFloorMillis, (long) (floorMillis * LIST_READ_SHARE * perRead));
    }

    /**
     * The provider's tail after a task ended: the typical gap between the end its ETA named and the task being
     * terminal, for tasks whose ETA ran out before they did (Novita's ends with training, not with the deployment
     * after it). Pure: the caller keeps the tail, one per provider, and passes it in through {@link Shared}.
     *
     * <p>The task ended somewhere in {@code (lastRunning, seenEnded]}. A tail inside that bracket is kept; one
     * past it drops to its end (the task was done sooner); one before it moves to its middle, so a tail learned
     * from sparse status polls creeps up instead of leaping to the late end of a wide bracket. The first one
     * learned is the bracket's end.
     *
     * @param tail the provider's tail so far, or {@code null} when none was learned yet
     * @param memory what this policy returned for the task's last poll before it ended
     * @param lastRunning when the task was last seen not terminal
     * @param seenEnded when it was first seen terminal
     * @return the new tail, not negative; {@code tail} unchanged when this task's ETA did not run out before it
     *     ended; {@code null} only when {@code tail} was and nothing was learned
     */
    public @Nullable Duration learnTail(
            @Nullable Duration tail, Memory memory, Instant lastRunning, Instant seenEnded) {
        Objects.requireNonNull(memory, "memory == null");
        if (!memory.etaRanOut || memory.endHiMillis == 0) {
            return tail;
        }
        long lower = Math.max(0, lastRunning.toEpochMilli() - memory.endHiMillis);
        long upper = Math.max(lower, seenEnded.toEpochMilli() - memory.endHiMillis);
        if (tail == null) {
            return Duration.ofMillis(upper);
        }
        long t = tail.toMillis();
        if (t > upper) {
            return Duration.ofMillis(upper);
        }
        if (t < lower) {
            return Duration.ofMillis(lower + (upper - lower) / 2);
        }
        return tail;
    }

    /**
     * Whether a failed poll leaves the task worth polling again after a {@linkplain #backoff backoff}: a retryable
     * error, or an unavailable service even where a call is not retried at once (an open circuit breaker, which
     * closes again after its wait). A read never bills, so waiting it out costs nothing; giving up would forget a
     * task that may still run. Any other error (not found, a rejected key) ends the wait.
     *
     * @param error what the poll threw
     * @return true to poll again
     */
    public static boolean pollsAgainAfter(RuntimeException error) {
        return error instanceof TrainingProviderException e
                && (e.isRetryable() || e instanceof ProviderUnavailableException);
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
        return Duration.ofMillis(jittered(base, random, floorMillis));
    }

    private long jittered(double base, double random, long floor) {
        double clamped = Math.max(floor, Math.min(ceilingMillis, base));
        double factor = 1 + jitter * (2 * random - 1);
        return (long) Math.max(floor, Math.min(ceilingMillis, clamped * factor));
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof PollPolicy p
                && floorMillis == p.floorMillis
                && listFloorMillis == p.listFloorMillis
                && ceilingMillis == p.ceilingMillis
                && etaFactor == p.etaFactor
                && jitter == p.jitter
                && expectedDurations.equals(p.expectedDurations)
                && defaultExpectedDuration.equals(p.defaultExpectedDuration);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                floorMillis,
                listFloorMillis,
                ceilingMillis,
                etaFactor,
                jitter,
                expectedDurations,
                defaultExpectedDuration);
    }

    @Override
    public String toString() {
        return "PollPolicy{floor=" + minInterval() + ", listFloor=" + minListInterval() + ", ceiling=" + maxInterval()
                + ", etaFactor=" + etaFactor
                + ", jitter=" + jitter + ", expected=" + defaultExpectedDuration + ", expectedByProvider="
                + expectedDurations + "}";
    }

    /**
     * What the policy remembers about one task between two polls: the span in which the service's ETAs put its
     * end, how coarse those ETAs are, whether the last one ran out before the task ended, and when the poll aimed
     * at the end is due. Immutable, so safe to share between threads; the caller keeps it and hands it back on
     * the next poll.
     *
     * @since 0.1
     */
    public static final class Memory {

        private static final Memory NONE = new Memory(0, 0, 0, Long.MAX_VALUE, 0, false);

        final long endLoMillis;
        final long endHiMillis;
        final long resolutionMillis;
        final long lastEtaMillis;
        final long aimedAtMillis;
        final boolean etaRanOut;

        private Memory(
                long endLoMillis,
                long endHiMillis,
                long resolutionMillis,
                long lastEtaMillis,
                long aimedAtMillis,
                boolean etaRanOut) {
            this.endLoMillis = endLoMillis;
            this.endHiMillis = endHiMillis;
            this.resolutionMillis = resolutionMillis;
            this.lastEtaMillis = lastEtaMillis;
            this.aimedAtMillis = aimedAtMillis;
            this.etaRanOut = etaRanOut;
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
         * The latest end the service's ETAs so far allow, before any learned tail: every ETA is read as rounded
         * down to its unit (a second, a minute), and the reports are intersected.
         *
         * @return the end, or empty while the service never gave an ETA
         */
        public Optional<Instant> estimatedEnd() {
            return endHiMillis == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(endHiMillis));
        }

        /**
         * Whether the task outlived the end its last ETA named and reported no ETA since, so that what happens
         * now is what the ETA leaves out.
         *
         * @return true once the ETA ran out
         */
        public boolean etaRanOut() {
            return etaRanOut;
        }

        @Override
        public String toString() {
            return "Memory{end=[" + endLoMillis + ", " + endHiMillis + "], resolution=" + resolutionMillis
                    + ", aimedAt=" + aimedAtMillis + ", etaRanOut=" + etaRanOut + "}";
        }
    }

    /**
     * What the caller knows about a task's provider as a whole, as opposed to the task itself: how many tasks
     * share its list reads, and the tail learned from its tasks so far (see {@link #learnTail}). Immutable.
     *
     * @param listedTasks how many tasks are refreshed together from list pages with this one; 0 when it is polled
     *     on its own
     * @param listPages how many list pages one read of all of them takes; at least 1 when {@code listedTasks} is
     *     above 0
     * @param tail the provider's learned tail, or {@code null} while none was learned
     * @since 0.1
     */
    public record Shared(
            int listedTasks, int listPages, @Nullable Duration tail) {

        private static final Shared ALONE = new Shared(0, 0, null);

        /**
         * Validates the counts and the tail.
         *
         * @param listedTasks 0 or more
         * @param listPages 0 or more; at least 1 when {@code listedTasks} is
         * @param tail not negative, or {@code null}
         */
        public Shared {
            if (listedTasks < 0 || listPages < 0 || (listedTasks > 0 && listPages == 0)) {
                throw new IllegalArgumentException("listedTasks: " + listedTasks + ", listPages: " + listPages
                        + "; need 0 or more, and a page" + " for listed tasks");
            }
            if (tail != null && tail.isNegative()) {
                throw new IllegalArgumentException("tail: " + tail + " is negative");
            }
        }

        /**
         * A task polled on its own, on a provider of which nothing was learned.
         *
         * @return the shared instance
         */
        public static Shared alone() {
            return ALONE;
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
        private Duration minListInterval = DEFAULT_MIN_LIST_INTERVAL;
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
         * Sets the lowest delay between two list reads of one provider. Default
         * {@link #DEFAULT_MIN_LIST_INTERVAL 1.5 s}; it is never above the floor in effect, since a list read is
         * no dearer than a status call.
         *
         * @param listFloor a positive duration
         * @return this builder
         */
        public Builder minListInterval(Duration listFloor) {
            this.minListInterval = positive("minListInterval", listFloor);
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
