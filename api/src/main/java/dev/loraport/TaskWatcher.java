package dev.loraport;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows many training jobs, across providers, from one small scheduler: no thread per job, and by default
 * two daemon threads named {@code loraport-watcher-N}. Thread-safe.
 *
 * <pre>{@code
 * try (TaskWatcher watcher = TaskWatcher.builder().store(TaskStore.file(Path.of("jobs.txt"))).build()) {
 *   WatchHandle handle = watcher.watch(provider, task.id(), new TaskListener() {
 *     public void onProgress(TrainingTask t) { bar.set(t.progressPercent().orElse(0)); }
 *   });
 *   TrainingTask done = handle.result().join(); // READY, FAILED or CANCELED
 * }
 * }</pre>
 *
 * <p><b>Polling.</b> A job is polled at once, then again after a delay computed from what the service said:
 * {@code eta × etaFactor} when it gives an ETA; else the time left estimated from progress, times
 * {@code etaFactor}; else, when it gave an ETA before, the time left to the end that ETA named, times
 * {@code etaFactor}, and once that end has passed, the time overrun times {@code etaFactor}; else the time left
 * of the provider's {@linkplain Builder#expectedDuration(String, Duration) expected duration}, times
 * {@code etaFactor}, or a twentieth of it once that is over. The delay is clamped between
 * {@linkplain Builder#minPollInterval floor} and {@linkplain Builder#maxPollInterval ceiling} and jittered. So
 * a job is polled rarely while its end is far and densely near it. Once the end the service estimates is nearer
 * than the floor, one poll is aimed 250 ms past it, so a job that ends on time is seen at once; a job that
 * overruns is then polled at the floor or slower, with another aimed poll only if the service moves its end back
 * by a floor or more. Jobs refreshed from list pages (below) get no aimed poll, since it would cost a status call
 * each; instead, those of them without any estimate are refreshed every floor × 10 / (jobs watched on that
 * provider), at least the floor: about a tenth of a floor-paced poller's calls per job (jitter moves it by up to
 * the jitter fraction). Retryable errors back off exponentially from the floor, and a
 * {@link RateLimitedException} pauses every poll of that provider for its {@code retryAfter}.
 *
 * <p><b>Batched refresh.</b> When a provider's {@link ProviderCapabilities#listIncludesStatus()} is true and it
 * has two or more watched jobs, due jobs are refreshed from {@link TrainingProvider#list(PageRequest) list}
 * pages, read from the first page on. The watcher remembers on which page it last saw each job (jobs never listed
 * are assumed to fill the first pages) and reads only as many pages as pay off: pages {@code 0..p} are read when
 * at least {@code p + 1} due or nearly due jobs sit on them, so a page never costs more than the status calls
 * it replaces. Reading stops once every due job was seen, the pages run out, or at
 * {@linkplain Builder#maxListPages the page limit}. Every watched job a page shows is refreshed, due or not; due
 * jobs the listing did not show fall back to {@link TrainingProvider#status(TaskId) status}. Providers are
 * grouped by identity; the polls of one provider run one at a time, so they stay inside its rate limiter.
 *
 * <p><b>Stalls.</b> A job whose status and progress have not moved for
 * {@linkplain Builder#stallMultiple stallMultiple} × its provider's expected duration is reported once through
 * {@link TaskListener#onStalled}; it goes on being watched.
 *
 * <p><b>Time.</b> Every delay goes through a {@link Scheduler}, so tests and benchmarks can run the watcher on
 * virtual time.
 *
 * @since 0.1
 */
public final class TaskWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TaskWatcher.class);

    /** The default lowest delay between two polls of one job. */
    public static final Duration DEFAULT_MIN_POLL_INTERVAL = Duration.ofSeconds(5);

    /** The default highest delay between two polls of one job. */
    public static final Duration DEFAULT_MAX_POLL_INTERVAL = Duration.ofMinutes(5);

    /** The default expected duration of a job, used when the service gives neither ETA nor progress. */
    public static final Duration DEFAULT_EXPECTED_DURATION = Duration.ofMinutes(30);

    /**
     * On a listing provider, jobs without any estimate are refreshed every {@code floor × LIST_READ_SHARE / jobs}
     * (at least the floor), so that each job costs at most a tenth of what a poller at the floor would.
     */
    static final int LIST_READ_SHARE = 10;

    /** How long after a job's estimated end its aimed poll comes: covers the clock skew and the response's age. */
    static final long AIM_MARGIN_MILLIS = 250;

    final Scheduler scheduler;
    private final @Nullable ExecutorScheduler ownScheduler;
    final long floorMillis;
    final long ceilingMillis;
    final double etaFactor;
    final double jitter;
    final double stallMultiple;
    private final Random random;
    private final Map<String, Duration> expectedDurations;
    private final Duration defaultExpectedDuration;
    final @Nullable TaskStore store;
    final int listPageSize;
    final int maxListPages;

    private final Object lock = new Object();
    private final Map<TrainingProvider, WatchGroup> groups = new IdentityHashMap<>();
    private boolean closed;

    final AtomicInteger watched = new AtomicInteger();
    final LongAdder statusCalls = new LongAdder();
    final LongAdder listCalls = new LongAdder();
    final LongAdder retries = new LongAdder();
    final LongAdder completed = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder stalls = new LongAdder();

    private TaskWatcher(Builder b) {
        if (b.scheduler != null) {
            this.scheduler = b.scheduler;
            this.ownScheduler = null;
        } else {
            ExecutorScheduler own = new ExecutorScheduler(b.threads);
            this.scheduler = own;
            this.ownScheduler = own;
        }
        this.floorMillis = b.minPollInterval.toMillis();
        this.ceilingMillis = b.maxPollInterval.toMillis();
        this.etaFactor = b.etaFactor;
        this.jitter = b.jitter;
        this.stallMultiple = b.stallMultiple;
        this.random = b.random != null ? b.random : new Random();
        this.expectedDurations = Map.copyOf(b.expectedDurations);
        this.defaultExpectedDuration = b.defaultExpectedDuration;
        this.store = b.store;
        this.listPageSize = b.listPageSize;
        this.maxListPages = b.maxListPages;
    }

    /**
     * A new builder with the documented defaults.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A watcher with every default, running on its own two daemon threads.
     *
     * @return the watcher; close it when done
     */
    public static TaskWatcher create() {
        return builder().build();
    }

    /**
     * Starts following a job, with no listener and no deadline.
     *
     * @param provider the provider that runs the job
     * @param id the job id
     * @return the handle
     * @throws IllegalStateException when the watcher is closed
     */
    public WatchHandle watch(TrainingProvider provider, TaskId id) {
        return watch(provider, id, WatchOptions.defaults());
    }

    /**
     * Starts following a job, reporting its changes to a listener.
     *
     * @param provider the provider that runs the job
     * @param id the job id
     * @param listener receives the job's changes
     * @return the handle
     * @throws IllegalStateException when the watcher is closed
     */
    public WatchHandle watch(TrainingProvider provider, TaskId id, TaskListener listener) {
        return watch(provider, id, WatchOptions.builder().listener(listener).build());
    }

    /**
     * Starts following a job. When the watcher has a {@link TaskStore}, the job's ref is saved before this
     * returns.
     *
     * @param provider the provider that runs the job
     * @param id the job id
     * @param options listener, timeout and client reference
     * @return the handle
     * @throws IllegalStateException when the watcher is closed
     * @throws java.io.UncheckedIOException when the store cannot record the job
     */
    public WatchHandle watch(TrainingProvider provider, TaskId id, WatchOptions options) {
        Objects.requireNonNull(provider, "provider == null");
        Objects.requireNonNull(id, "id == null");
        Objects.requireNonNull(options, "options == null");
        TaskRef ref = new TaskRef(provider.info().id(), id, options.clientReference, scheduler.now());
        return start(provider, ref, options);
    }

    /**
     * Rebuilds the watches of jobs recorded before a restart, keeping each ref's creation time and client
     * reference.
     *
     * @param refs the jobs, such as {@link TaskStore#load()} returns
     * @param providersById the provider for each provider id; returns null for an unknown id
     * @return one handle per ref, in order
     * @throws IllegalArgumentException listing the provider ids that have no provider, before any watch starts
     */
    public List<WatchHandle> resume(
            Collection<TaskRef> refs, Function<String, @Nullable TrainingProvider> providersById) {
        return resume(refs, providersById, WatchOptions.defaults());
    }

    /**
     * Rebuilds the watches of jobs recorded before a restart, with the same options for each.
     *
     * @param refs the jobs, such as {@link TaskStore#load()} returns
     * @param providersById the provider for each provider id; returns null for an unknown id
     * @param options listener and timeout for every watch; the client reference comes from each ref
     * @return one handle per ref, in order
     * @throws IllegalArgumentException listing the provider ids that have no provider, before any watch starts
     */
    public List<WatchHandle> resume(
            Collection<TaskRef> refs,
            Function<String, @Nullable TrainingProvider> providersById,
            WatchOptions options) {
        Objects.requireNonNull(refs, "refs == null");
        Objects.requireNonNull(providersById, "providersById == null");
        Objects.requireNonNull(options, "options == null");
        Map<String, TrainingProvider> providers = new HashMap<>();
        Set<String> unknown = new LinkedHashSet<>();
        for (TaskRef ref : refs) {
            String pid = ref.providerId();
            if (!providers.containsKey(pid) && !unknown.contains(pid)) {
                TrainingProvider p = providersById.apply(pid);
                if (p == null) {
                    unknown.add(pid);
                } else {
                    providers.put(pid, p);
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("providersById: no provider for ids " + unknown + "; known: "
                    + providers.keySet() + "; no watch was started");
        }
        List<WatchHandle> out = new ArrayList<>(refs.size());
        for (TaskRef ref : refs) {
            out.add(start(providers.get(ref.providerId()), ref, options));
        }
        return out;
    }

    /**
     * Waits for a job to reach a terminal status, blocking the calling thread.
     *
     * @param provider the provider that runs the job
     * @param id the job id
     * @param timeout how long to wait, on this watcher's scheduler time
     * @return the terminal job, whatever its terminal status
     * @throws TaskTimeoutException when the job is not terminal in time
     * @throws TrainingProviderException when a poll fails with an error that cannot be retried
     * @throws CancellationException when the thread is interrupted (its interrupt flag is set again) or the
     *     watcher is closed
     */
    public TrainingTask await(TrainingProvider provider, TaskId id, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout == null");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout: " + timeout + " is negative");
        }
        WatchHandle handle =
                watch(provider, id, WatchOptions.builder().timeout(timeout).build());
        try {
            // The deadline normally ends the wait; the extra second only guards against a stuck scheduler.
            long waitMillis = saturatedAdd(timeout.toMillis(), 1000);
            return handle.result().get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            handle.cancel();
            Thread.currentThread().interrupt();
            CancellationException ce = new CancellationException(
                    "interrupted while awaiting " + handle.ref().providerId() + " task " + id);
            ce.initCause(e);
            throw ce;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("awaiting " + id + " failed", cause);
        } catch (TimeoutException e) {
            handle.cancel();
            throw new TaskTimeoutException(
                    handle.ref(), scheduler.now(), handle.latest().orElse(null));
        }
    }

    /**
     * Counters since this watcher was built, for logs and metrics.
     *
     * @return a snapshot
     */
    public Stats stats() {
        return new Stats(
                watched.get(),
                statusCalls.sum(),
                listCalls.sum(),
                retries.sum(),
                completed.sum(),
                failed.sum(),
                stalls.sum());
    }

    /**
     * Stops every watch and, when the watcher made its own threads, stops them. Pending futures complete with a
     * {@link CancellationException}; refs stay in the store, so the jobs can be resumed later. Idempotent.
     */
    @Override
    public void close() {
        List<WatchGroup> toClose;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(groups.values());
            groups.clear();
        }
        for (WatchGroup g : toClose) {
            g.close();
        }
        if (ownScheduler != null) {
            ownScheduler.shutdown();
        }
    }

    @Override
    public String toString() {
        return "TaskWatcher" + stats();
    }

    private WatchHandle start(TrainingProvider provider, TaskRef ref, WatchOptions options) {
        if (!provider.info().id().equals(ref.providerId())) {
            throw new IllegalArgumentException("ref: provider id '" + ref.providerId()
                    + "' does not match the provider's id '" + provider.info().id() + "'");
        }
        long now = nowMillis();
        long deadline = options.timeout == null ? Long.MAX_VALUE : saturatedAdd(now, options.timeout.toMillis());
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("TaskWatcher is closed");
            }
        }
        if (store != null) {
            store.save(ref);
        }
        Watch w;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("TaskWatcher is closed");
            }
            WatchGroup g = groups.computeIfAbsent(provider, p -> new WatchGroup(this, p));
            w = new Watch(g, ref, options.listener, now, deadline);
            g.add(w, now);
        }
        // Someone else completing or cancelling the future stops the polling at once.
        w.future.whenComplete((t, e) -> w.endedElsewhere());
        return w;
    }

    /** Drops an empty provider group so the watcher holds no reference to a provider it no longer uses. */
    void pruneIfEmpty(WatchGroup g) {
        synchronized (lock) {
            if (groups.get(g.provider) == g && g.retireIfIdle()) {
                groups.remove(g.provider);
            }
        }
    }

    long nowMillis() {
        return scheduler.now().toEpochMilli();
    }

    Duration expectedDuration(String providerId) {
        return expectedDurations.getOrDefault(providerId, defaultExpectedDuration);
    }

    /**
     * The delay before the next poll of a job that just reported {@code task}, as the class's "Polling" paragraph
     * describes: an aimed poll may come sooner than the floor, every other delay is clamped and jittered.
     */
    long nextDelay(Watch w, TrainingTask task, long now) {
        long expected = expectedDuration(w.ref.providerId()).toMillis();
        double untilEnd;
        boolean estimated = true;
        if (task.eta().isPresent()) {
            untilEnd = task.eta().get().toMillis();
            w.etaEndsAt = saturatedAdd(now, (long) untilEnd);
        } else {
            long started = task.createdAt()
                    .map(Instant::toEpochMilli)
                    .orElse(w.ref.createdAt().toEpochMilli());
            long elapsed = Math.max(0, now - started);
            int p = task.progressPercent().orElse(0);
            if (p > 0 && p < 100 && elapsed > 0) {
                untilEnd = (double) elapsed * (100 - p) / p;
            } else if (w.etaEndsAt != 0) {
                // The service stopped giving an ETA (some do once training ends and deployment starts): its last
                // one still beats a guess from the provider's typical duration.
                untilEnd = w.etaEndsAt - now;
            } else {
                // No estimate from the service: the provider's expected duration is the guess.
                untilEnd = expected - elapsed;
                estimated = false;
            }
        }
        // Only on the service's own estimate, and not where list pages refresh the jobs: an aimed poll there is
        // one status call per job, dearer than a page. Only below the floor: aiming later would skip the
        // floor-spaced polls that bound what an overestimated end costs.
        // One look at the group: it refreshes by list exactly when it reports listed jobs.
        int listed = w.group.listedJobs();
        if (estimated && untilEnd > 0 && untilEnd + AIM_MARGIN_MILLIS <= floorMillis && listed == 0) {
            long target = saturatedAdd(now, (long) untilEnd + AIM_MARGIN_MILLIS);
            // Aim again only when the service moved the end back by a floor or more, so that two aimed polls are
            // never closer than the floor.
            if (w.aimedAt == 0 || target >= saturatedAdd(w.aimedAt, floorMillis)) {
                w.aimedAt = target;
            }
            if (now < w.aimedAt) {
                return Math.max(1, w.aimedAt - now);
            }
        }
        double base;
        if (untilEnd > 0) {
            base = untilEnd * etaFactor;
        } else if (estimated) {
            // Overrunning the service's own estimate: the later it gets, the less a few seconds matter.
            base = -untilEnd * etaFactor;
        } else {
            // Past its expected end, a job without estimates is polled at a steady, moderate rate.
            base = expected / 20.0;
        }
        if (!estimated && listed > 0 && (w.listHint == Watch.UNKNOWN_PAGE || w.listHint < maxListPages)) {
            // No estimate, but a page read refreshes every listed job at once (Novita's list carries no ETA):
            // reading every floor × (10 / jobs) costs each job a tenth of a floor-paced poller, and beats a guess.
            double shared = floorMillis * Math.max(1.0, (double) LIST_READ_SHARE / listed);
            base = Math.min(base, shared);
        }
        return jittered(base);
    }

    /** The delay after {@code errors} consecutive failed polls. */
    long backoff(int errors) {
        double base = floorMillis * Math.pow(2, Math.min(errors - 1, 30));
        return jittered(base);
    }

    private long jittered(double base) {
        double clamped = Math.max(floorMillis, Math.min(ceilingMillis, base));
        double factor = 1 + jitter * (2 * random.nextDouble() - 1);
        return (long) Math.max(floorMillis, Math.min(ceilingMillis, clamped * factor));
    }

    static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    /**
     * Where the watcher gets its time and runs its polls. The default uses {@link java.time.Clock#systemUTC()}
     * and a {@link java.util.concurrent.ScheduledThreadPoolExecutor}; tests and benchmarks plug in a virtual
     * clock. Implementations are thread-safe; a scheduled task may run on any thread.
     *
     * @since 0.1
     */
    public interface Scheduler {

        /**
         * The current time.
         *
         * @return now
         */
        Instant now();

        /**
         * Runs a task once after a delay.
         *
         * @param delay how long to wait; zero means as soon as possible
         * @param task what to run
         * @return a way to cancel the task before it runs
         */
        Cancellable schedule(Duration delay, Runnable task);
    }

    /**
     * A task scheduled by a {@link Scheduler}.
     *
     * @since 0.1
     */
    @FunctionalInterface
    public interface Cancellable {

        /** Prevents the task from running if it has not started; does nothing otherwise. */
        void cancel();
    }

    /**
     * Counters of a {@link TaskWatcher}, for logs and for a metrics gauge.
     *
     * @param watched jobs watched now
     * @param statusCalls {@link TrainingProvider#status(TaskId)} calls made, failed ones included
     * @param listCalls {@link TrainingProvider#list(PageRequest)} calls made (one per page), failed ones included
     * @param retries polls that failed with a retryable error and were scheduled again
     * @param completed watches that ended with a terminal job
     * @param failed watches that ended exceptionally: deadline, or an error that cannot be retried
     * @param stalls stalls reported to listeners
     * @since 0.1
     */
    public record Stats(
            int watched, long statusCalls, long listCalls, long retries, long completed, long failed, long stalls) {

        /**
         * Every call made to providers.
         *
         * @return {@code statusCalls + listCalls}
         */
        public long polls() {
            return statusCalls + listCalls;
        }
    }

    /**
     * How to watch one job. Immutable and thread-safe.
     *
     * @since 0.1
     */
    public static final class WatchOptions {

        private static final WatchOptions DEFAULTS = new WatchOptions(new TaskListener() {}, null, null);

        final TaskListener listener;
        final @Nullable Duration timeout;
        final @Nullable String clientReference;

        private WatchOptions(TaskListener listener, @Nullable Duration timeout, @Nullable String clientReference) {
            this.listener = listener;
            this.timeout = timeout;
            this.clientReference = clientReference;
        }

        /**
         * No listener, no timeout, no client reference.
         *
         * @return the default options
         */
        public static WatchOptions defaults() {
            return DEFAULTS;
        }

        /**
         * A new builder starting from the defaults.
         *
         * @return the builder
         */
        public static WatchOptions.Builder builder() {
            return new WatchOptions.Builder();
        }

        @Override
        public String toString() {
            return "WatchOptions{timeout=" + timeout + ", clientReference=" + clientReference + "}";
        }

        /** Builds {@link WatchOptions}. Not thread-safe. */
        public static final class Builder {
            private TaskListener listener = DEFAULTS.listener;
            private @Nullable Duration timeout;
            private @Nullable String clientReference;

            private Builder() {}

            /**
             * Sets the listener.
             *
             * @param listener receives the job's changes
             * @return this builder
             */
            public Builder listener(TaskListener listener) {
                this.listener = Objects.requireNonNull(listener, "listener == null");
                return this;
            }

            /**
             * Ends the watch with {@link TaskTimeoutException} if the job is not terminal this long after the
             * watch starts, on the watcher's scheduler time.
             *
             * @param timeout the timeout, or null for none (the default)
             * @return this builder
             */
            public Builder timeout(@Nullable Duration timeout) {
                if (timeout != null && timeout.isNegative()) {
                    throw new IllegalArgumentException("timeout: " + timeout + " is negative");
                }
                this.timeout = timeout;
                return this;
            }

            /**
             * Sets the caller's own reference, kept in the job's {@link TaskRef}.
             *
             * @param clientReference the reference, or null
             * @return this builder
             */
            public Builder clientReference(@Nullable String clientReference) {
                this.clientReference = clientReference;
                return this;
            }

            /**
             * Builds the options.
             *
             * @return the options
             */
            public WatchOptions build() {
                return new WatchOptions(listener, timeout, clientReference);
            }
        }
    }

    /** Builds a {@link TaskWatcher}. Not thread-safe. */
    public static final class Builder {
        private @Nullable Scheduler scheduler;
        private int threads = 2;
        private Duration minPollInterval = DEFAULT_MIN_POLL_INTERVAL;
        private Duration maxPollInterval = DEFAULT_MAX_POLL_INTERVAL;
        private double etaFactor = 0.5;
        private double jitter = 0.1;
        private double stallMultiple = 3;
        private @Nullable Random random;
        private final Map<String, Duration> expectedDurations = new HashMap<>();
        private Duration defaultExpectedDuration = DEFAULT_EXPECTED_DURATION;
        private @Nullable TaskStore store;
        private int listPageSize = PageRequest.MAX_LIMIT;
        private int maxListPages = 100;

        private Builder() {}

        /**
         * Runs the watcher on a given scheduler, such as a virtual clock in tests. The watcher does not close
         * it. Default: a {@link java.util.concurrent.ScheduledThreadPoolExecutor} of {@link #threads(int)} daemon
         * threads on the system clock, stopped by {@link TaskWatcher#close()}.
         *
         * @param scheduler the scheduler
         * @return this builder
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler == null");
            return this;
        }

        /**
         * Sets how many threads the default scheduler uses. Default 2.
         *
         * @param threads 1 to 16
         * @return this builder
         */
        public Builder threads(int threads) {
            if (threads < 1 || threads > 16) {
                throw new IllegalArgumentException("threads: " + threads + " is out of range; allowed 1..16");
            }
            this.threads = threads;
            return this;
        }

        /**
         * Sets the lowest delay between two polls of one job. Default {@link #DEFAULT_MIN_POLL_INTERVAL 5 s}.
         *
         * @param floor a positive duration
         * @return this builder
         */
        public Builder minPollInterval(Duration floor) {
            Objects.requireNonNull(floor, "minPollInterval == null");
            if (floor.isNegative() || floor.isZero()) {
                throw new IllegalArgumentException("minPollInterval: " + floor + " must be positive");
            }
            this.minPollInterval = floor;
            return this;
        }

        /**
         * Sets the highest delay between two polls of one job. Default {@link #DEFAULT_MAX_POLL_INTERVAL 5 min}.
         *
         * @param ceiling a duration not below the floor
         * @return this builder
         */
        public Builder maxPollInterval(Duration ceiling) {
            this.maxPollInterval = Objects.requireNonNull(ceiling, "maxPollInterval == null");
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
         * Sets the random spread of every delay, so that jobs started together do not poll together. Default
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
         * Sets the random source of the jitter; give a seeded one for repeatable tests. Default a new
         * {@link Random}.
         *
         * @param random the random source
         * @return this builder
         */
        public Builder random(Random random) {
            this.random = Objects.requireNonNull(random, "random == null");
            return this;
        }

        /**
         * Sets how many expected durations a job may stand still before it is reported stalled. Default 3.
         *
         * @param stallMultiple more than 0
         * @return this builder
         */
        public Builder stallMultiple(double stallMultiple) {
            if (!(stallMultiple > 0)) {
                throw new IllegalArgumentException("stallMultiple: " + stallMultiple + " must be positive");
            }
            this.stallMultiple = stallMultiple;
            return this;
        }

        /**
         * Sets how long a job of one provider usually takes; drives polling when the service gives neither ETA
         * nor progress, and stall detection. Default {@link #DEFAULT_EXPECTED_DURATION 30 min}.
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

        /**
         * Records every watched job in a store, so that it can be resumed after a restart. Default none.
         *
         * @param store the store
         * @return this builder
         */
        public Builder store(TaskStore store) {
            this.store = Objects.requireNonNull(store, "store == null");
            return this;
        }

        /**
         * Sets the page size of batched refreshes. Default {@value PageRequest#MAX_LIMIT}.
         *
         * @param size 1 to {@value PageRequest#MAX_LIMIT}
         * @return this builder
         */
        public Builder listPageSize(int size) {
            if (size < 1 || size > PageRequest.MAX_LIMIT) {
                throw new IllegalArgumentException(
                        "listPageSize: " + size + " is out of range; allowed 1.." + PageRequest.MAX_LIMIT);
            }
            this.listPageSize = size;
            return this;
        }

        /**
         * Sets how many list pages one batched refresh reads at most before falling back to status calls.
         * Default 100; 0 turns batched refresh off.
         *
         * @param pages 0 to 1000
         * @return this builder
         */
        public Builder maxListPages(int pages) {
            if (pages < 0 || pages > 1000) {
                throw new IllegalArgumentException("maxListPages: " + pages + " is out of range; allowed 0..1000");
            }
            this.maxListPages = pages;
            return this;
        }

        private static Duration positive(String name, Duration d) {
            Objects.requireNonNull(d, name + " == null");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + ": " + d + " must be positive");
            }
            return d;
        }

        /**
         * Builds the watcher.
         *
         * @return the watcher; close it when done
         * @throws IllegalArgumentException when the ceiling is below the floor
         */
        public TaskWatcher build() {
            if (maxPollInterval.compareTo(minPollInterval) < 0) {
                throw new IllegalArgumentException(
                        "maxPollInterval: " + maxPollInterval + " is below minPollInterval " + minPollInterval);
            }
            return new TaskWatcher(this);
        }
    }

    static Logger log() {
        return log;
    }
}
