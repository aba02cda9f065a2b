package dev.loraport.watch;

import dev.loraport.PageRequest;
import dev.loraport.PollPolicy;
import dev.loraport.ProviderCapabilities;
import dev.loraport.RateLimitedException;
import dev.loraport.TaskId;
import dev.loraport.TaskTimeoutException;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingProviderException;
import dev.loraport.TrainingTask;
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
import java.util.concurrent.ConcurrentHashMap;
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
 * <p><b>Polling.</b> A task is polled at once, then again after the delay its {@link PollPolicy} gives
 * ({@linkplain Builder#pollPolicy set it whole}, or one setting at a time): rarely while the end the service
 * estimates is far, densely near it, with one poll aimed just past that end. Retryable errors back off
 * exponentially from the floor, and a {@link RateLimitedException} pauses every poll of that provider for its
 * {@code retryAfter}.
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
 * <p><b>Fleets.</b> Several watchers over one store that {@linkplain TaskStore#supportsLeases leases} (such as
 * PostgreSQL's) share its jobs: with {@link Builder#leases} each job is polled by one of them at a time, and
 * {@link #claimStored} takes a share of the stored jobs, including those of a watcher that closed or died.
 *
 * <p><b>Time.</b> Every delay goes through a {@link Scheduler}, so tests and benchmarks can run the watcher on
 * virtual time.
 *
 * @since 0.1
 */
public final class TaskWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TaskWatcher.class);

    final Scheduler scheduler;
    private final @Nullable ExecutorScheduler ownScheduler;
    final PollPolicy policy;
    final long floorMillis;
    final long listFloorMillis;
    final double stallMultiple;
    private final Random random;
    final @Nullable TaskStore store;
    final int listPageSize;
    final int maxListPages;

    private final Object lock = new Object();
    private final Map<TrainingProvider, ProviderPoller> groups = new IdentityHashMap<>();

    /** The tail learned per provider id (see {@link PollPolicy#learnTail}); a few entries, one per provider. */
    final Map<String, Duration> tails = new ConcurrentHashMap<>();

    private boolean closed;

    /** This worker's id in a fleet sharing the store's jobs by lease; null when the watcher does not lease. */
    final @Nullable String owner;

    final Duration lease;
    private final int maxLeases;

    /** The jobs this watcher leases, by store key; each is renewed every third of a lease. */
    private final Map<String, WatchedTask> held = new ConcurrentHashMap<>();

    // Guarded by lock.
    private @Nullable Map<String, TrainingProvider> claimFrom;
    private WatchOptions claimOptions = WatchOptions.defaults();
    private Scheduler.@Nullable Cancellable leaseTimer;
    private final Object leaseRoundLock = new Object();

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
        this.policy = b.policy.build();
        this.floorMillis = policy.minInterval().toMillis();
        this.listFloorMillis = Math.min(floorMillis, policy.minListInterval().toMillis());
        this.stallMultiple = b.stallMultiple;
        this.random = b.random != null ? b.random : new Random();
        this.store = b.store;
        this.listPageSize = b.listPageSize;
        this.maxListPages = b.maxListPages;
        this.owner = b.owner;
        this.lease = b.lease;
        this.maxLeases = b.maxLeases;
        if (owner != null) {
            if (store == null) {
                throw new IllegalStateException("leases: a leased watcher needs a store; set store(...)");
            }
            if (!store.supportsLeases()) {
                throw new IllegalStateException("leases: " + store + " does not support leases; use a store that"
                        + " does, such as PostgresTaskStore (loraport-store-postgres), or TaskStore.inMemory()"
                        + " within one JVM");
            }
            scheduleLeaseRound();
        }
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
        return start(provider, ref, options, false);
    }

    /**
     * Rebuilds the watches of jobs recorded before a restart, keeping each ref's creation time and client
     * reference. A ref's {@link TaskRef#endedBy()} mark is cleared, in the store too, as its job is watched again.
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
     * Rebuilds the watches of jobs recorded before a restart, with the same options for each. A ref's
     * {@link TaskRef#endedBy()} mark is cleared, in the store too, as its job is watched again.
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
            // Watched again: the mark of an earlier watch's timeout or poll error goes with the next store write.
            out.add(start(providers.get(ref.providerId()), ref.withEndedBy(null), options, false));
        }
        return out;
    }

    /**
     * Makes this leased watcher take its share of the store's jobs: every third of a lease it claims, up to
     * {@linkplain Builder#maxLeases its limit}, the stored jobs of these providers that no worker holds (never
     * leased, released by a watcher that closed, or left by one that died when its lease ran out), and watches
     * them with these options. Several watchers over one store so share the jobs, each polled by one of them at a
     * time, each job's end reported by exactly one.
     *
     * @param providers the providers whose jobs to claim, by their {@code info().id()}
     * @param options listener and timeout for every claimed job; the client reference comes from each ref
     * @throws IllegalStateException when the watcher does not lease ({@link Builder#leases}), is closed, or
     *     already claims
     */
    public void claimStored(Collection<? extends TrainingProvider> providers, WatchOptions options) {
        Objects.requireNonNull(providers, "providers == null");
        Objects.requireNonNull(options, "options == null");
        if (owner == null) {
            throw new IllegalStateException("claimStored: this watcher does not lease; set leases(workerId, lease)");
        }
        Map<String, TrainingProvider> byId = new HashMap<>();
        for (TrainingProvider p : providers) {
            byId.put(p.info().id(), p);
        }
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("TaskWatcher is closed");
            }
            if (claimFrom != null) {
                throw new IllegalStateException("claimStored: this watcher already claims " + claimFrom.keySet());
            }
            claimFrom = Map.copyOf(byId);
            claimOptions = options;
        }
        // Claim now rather than a third of a lease from now; the periodic rounds go on as they were.
        scheduler.schedule(Duration.ZERO, () -> leaseRound(false));
    }

    private void scheduleLeaseRound() {
        synchronized (lock) {
            if (!closed) {
                leaseTimer = scheduler.schedule(lease.dividedBy(3), () -> leaseRound(true));
            }
        }
    }

    /** Renews the leases held, lets go of jobs another worker took, and claims unheld ones. */
    private void leaseRound(boolean periodic) {
        TaskStore s = Objects.requireNonNull(store);
        String me = Objects.requireNonNull(owner);
        // One round at a time, so that two never count the same room.
        synchronized (leaseRoundLock) {
            try {
                leaseRoundLocked(s, me);
            } catch (RuntimeException e) {
                // The store may be back next round; until then the leases held may run out and pass to others.
                log.warn("loraport: lease round of worker {} failed; retrying in {}", me, lease.dividedBy(3), e);
            }
        }
        if (periodic) {
            scheduleLeaseRound();
        }
    }

    private void leaseRoundLocked(TaskStore s, String me) {
        List<WatchedTask> mine = new ArrayList<>(held.values());
        if (!mine.isEmpty()) {
            List<TaskRef> refs = new ArrayList<>(mine.size());
            mine.forEach(w -> refs.add(w.ref));
            Set<TaskRef> kept = s.renew(me, refs, lease);
            for (WatchedTask w : mine) {
                if (!kept.contains(w.ref)) {
                    w.leaseLost();
                }
            }
        }
        Map<String, TrainingProvider> from;
        WatchOptions options;
        synchronized (lock) {
            from = closed ? null : claimFrom;
            options = claimOptions;
        }
        int room = maxLeases - held.size();
        if (from != null && room > 0) {
            for (TaskRef ref : s.claim(me, from.keySet(), lease, room)) {
                // Ours already: our lease ran out unnoticed and no one took it.
                if (!held.containsKey(InMemoryTaskStore.key(ref))) {
                    start(from.get(ref.providerId()), ref, options, true);
                }
            }
        }
    }

    /** Forgets a leased job this watcher no longer watches. */
    void unheld(WatchedTask w) {
        held.remove(InMemoryTaskStore.key(w.ref), w);
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
            throw timeout(handle.ref(), scheduler.now(), handle.latest().orElse(null));
        }
    }

    /**
     * A hint that a watched job has changed, as a provider's webhook reports: its next poll is moved to now
     * (behind any wait the service asked for), so the change is seen at once instead of at the next scheduled
     * poll. The poll stays the truth; a hint for a job this watcher does not follow does nothing, so a forged
     * or stale hint costs at most one status call.
     *
     * @param providerId the provider id the job was watched under
     * @param id the job
     * @return true when the watcher follows that job and a poll was brought forward
     * @since 0.2
     */
    public boolean pollNow(String providerId, TaskId id) {
        Objects.requireNonNull(providerId, "providerId == null");
        Objects.requireNonNull(id, "id == null");
        List<ProviderPoller> matching = new ArrayList<>();
        synchronized (lock) {
            for (ProviderPoller g : groups.values()) {
                if (g.providerId.equals(providerId)) {
                    matching.add(g);
                }
            }
        }
        boolean any = false;
        long now = nowMillis();
        for (ProviderPoller g : matching) {
            any |= g.pollNow(id, now);
        }
        return any;
    }

    /**
     * Counters since this watcher was built, for logs and metrics.
     *
     * @return a snapshot
     */
    public WatcherStats stats() {
        return new WatcherStats(
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
     * {@link CancellationException}; refs stay in the store, so the jobs can be resumed later. A leased watcher
     * releases its leases, so the fleet's other watchers take its jobs over at once. Idempotent.
     */
    @Override
    public void close() {
        List<ProviderPoller> toClose;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(groups.values());
            groups.clear();
            if (leaseTimer != null) {
                leaseTimer.cancel();
            }
        }
        List<TaskRef> leased = new ArrayList<>();
        held.values().forEach(w -> leased.add(w.ref));
        for (ProviderPoller g : toClose) {
            g.close();
        }
        if (owner != null && store != null && !leased.isEmpty()) {
            try {
                // The jobs pass to the fleet's other watchers now rather than when the leases run out.
                store.release(owner, leased);
            } catch (RuntimeException e) {
                log.warn(
                        "loraport: cannot release {} leases of worker {}; they pass on when they run out",
                        leased.size(),
                        owner,
                        e);
            }
        }
        if (ownScheduler != null) {
            ownScheduler.shutdown();
        }
    }

    @Override
    public String toString() {
        return "TaskWatcher" + stats();
    }

    private WatchHandle start(TrainingProvider provider, TaskRef ref, WatchOptions options, boolean claimed) {
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
        if (owner != null && !claimed) {
            if (!Objects.requireNonNull(store).hold(owner, ref, lease)) {
                return new HeldElsewhere(ref);
            }
        } else if (store != null && !claimed) {
            store.save(ref);
        }
        WatchedTask w;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("TaskWatcher is closed");
            }
            ProviderPoller g = groups.computeIfAbsent(provider, p -> new ProviderPoller(this, p));
            w = new WatchedTask(g, ref, options.listener, now, deadline);
            g.add(w, now);
            if (owner != null) {
                held.put(InMemoryTaskStore.key(ref), w);
            }
        }
        // Its own timer, not the group's: a paused or busy group must not hold the deadline back.
        w.armDeadline(now);
        // Someone else completing or cancelling the future stops the polling at once.
        w.future.whenComplete((t, e) -> {
            unheld(w);
            w.endedElsewhere();
        });
        return w;
    }

    /** Drops an empty provider group so the watcher holds no reference to a provider it no longer uses. */
    void pruneIfEmpty(ProviderPoller g) {
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
        return policy.expectedDuration(providerId);
    }

    /** The delay before the next poll of a task that just reported {@code task}, as {@link PollPolicy} decides. */
    long nextDelay(WatchedTask w, TrainingTask task, long now) {
        // One look at the poller: it refreshes by list exactly when it reports listed tasks. A task that no page
        // shows is polled by status anyway, so it is paced (and aimed) like a task polled on its own.
        boolean unlisted = w.listHint != WatchedTask.UNKNOWN_PAGE && w.listHint >= maxListPages;
        PollPolicy.Shared shared = w.poller.shared(unlisted);
        PollPolicy.Next next;
        synchronized (random) {
            next = policy.next(
                    task, Instant.ofEpochMilli(now), w.ref.createdAt(), w.memory, shared, random.nextDouble());
        }
        w.memory = next.memory();
        return next.delay().toMillis();
    }

    /**
     * A wait the service asked for, in millis: clamped to [0, the policy's ceiling], so that one answer with
     * {@code Retry-After: 1000000000} (or a negative one) cannot stop, or hammer, every watch of a provider.
     */
    long serviceWait(java.util.Optional<Duration> asked, long fallback) {
        Duration ceiling = policy.maxInterval();
        // Compared as durations: toMillis() of an absurd Retry-After would overflow.
        return asked.map(d -> d.isNegative() ? 0L : d.compareTo(ceiling) > 0 ? ceiling.toMillis() : d.toMillis())
                .orElse(Math.max(0, Math.min(ceiling.toMillis(), fallback)));
    }

    /** The delay after {@code errors} consecutive failed polls. */
    long backoff(int errors) {
        double u;
        synchronized (random) {
            u = random.nextDouble();
        }
        return policy.backoff(errors, u).toMillis();
    }

    static TaskTimeoutException timeout(TaskRef ref, Instant deadline, @Nullable TrainingTask lastSeen) {
        return new TaskTimeoutException(ref.providerId(), ref.taskId(), ref.clientReference(), deadline, lastSeen);
    }

    static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    /** Builds a {@link TaskWatcher}. Not thread-safe. */
    public static final class Builder {
        private @Nullable Scheduler scheduler;
        private int threads = 2;
        private PollPolicy.Builder policy = PollPolicy.builder();
        private double stallMultiple = 3;
        private @Nullable Random random;
        private @Nullable TaskStore store;
        private int listPageSize = PageRequest.MAX_LIMIT;
        private int maxListPages = 100;
        private @Nullable String owner;
        private Duration lease = Duration.ofSeconds(60);
        private int maxLeases = 1000;

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
         * Replaces the whole poll policy. The setters below change one of its settings each; the last call wins.
         * Default {@link PollPolicy#defaults()}.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder pollPolicy(PollPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy == null").toBuilder();
            return this;
        }

        /**
         * Sets the lowest delay between two polls of one task: {@link PollPolicy.Builder#minInterval}. Default
         * {@link PollPolicy#DEFAULT_MIN_INTERVAL 5 s}.
         *
         * @param floor a positive duration
         * @return this builder
         */
        public Builder minPollInterval(Duration floor) {
            policy.minInterval(floor);
            return this;
        }

        /**
         * Sets the highest delay between two polls of one task: {@link PollPolicy.Builder#maxInterval}. Default
         * {@link PollPolicy#DEFAULT_MAX_INTERVAL 5 min}.
         *
         * @param ceiling a duration not below the floor
         * @return this builder
         */
        public Builder maxPollInterval(Duration ceiling) {
            policy.maxInterval(ceiling);
            return this;
        }

        /**
         * Sets which fraction of the estimated time left to wait before the next poll:
         * {@link PollPolicy.Builder#etaFactor}. Default 0.5.
         *
         * @param etaFactor more than 0, at most 1
         * @return this builder
         */
        public Builder etaFactor(double etaFactor) {
            policy.etaFactor(etaFactor);
            return this;
        }

        /**
         * Sets the random spread of every delay: {@link PollPolicy.Builder#jitter}. Default 0.1 (±10 %).
         *
         * @param jitter 0 to 0.5
         * @return this builder
         */
        public Builder jitter(double jitter) {
            policy.jitter(jitter);
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
         * Sets how many expected durations a task may stand still before it is reported stalled. Default 3.
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
         * Sets how long a task of one provider usually takes: {@link PollPolicy.Builder#expectedDuration}. Drives
         * polling when the service gives neither ETA nor progress, and stall detection. Default 30 min.
         *
         * @param providerId the provider id, such as {@code novita}
         * @param expected a positive duration
         * @return this builder
         */
        public Builder expectedDuration(String providerId, Duration expected) {
            policy.expectedDuration(providerId, expected);
            return this;
        }

        /**
         * Sets the expected duration of providers without their own:
         * {@link PollPolicy.Builder#defaultExpectedDuration}. Default 30 min.
         *
         * @param expected a positive duration
         * @return this builder
         */
        public Builder defaultExpectedDuration(Duration expected) {
            policy.defaultExpectedDuration(expected);
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

        /**
         * Makes this watcher one worker of a fleet sharing the {@linkplain #store store}'s jobs: each job it
         * watches is leased to it in the store, renewed every third of {@code lease}, and polled by no other
         * watcher while the lease lasts. A job whose lease another worker took over (this one stalled longer
         * than a lease) ends here with a {@link CancellationException} and is reported by that worker; a job's
         * terminal status is reported only by the worker that removes it from the store, so the fleet's
         * listeners see each job's end exactly once. {@link TaskWatcher#claimStored} makes it take its share of
         * stored jobs too. A watch of a job another live worker holds returns a handle already cancelled. Needs a
         * store that {@linkplain TaskStore#supportsLeases supports leases}. Default: no leases.
         *
         * @param workerId this worker's id, unique in the fleet (such as host name and process id)
         * @param lease how long a worker that stopped renewing keeps its jobs: 3 s to 1 h
         * @return this builder
         */
        public Builder leases(String workerId, Duration lease) {
            Objects.requireNonNull(workerId, "workerId == null");
            Objects.requireNonNull(lease, "lease == null");
            if (workerId.isBlank() || workerId.length() > 200) {
                throw new IllegalArgumentException("workerId: must be 1 to 200 characters, not blank");
            }
            if (lease.compareTo(Duration.ofSeconds(3)) < 0 || lease.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("lease: " + lease + " is out of range; allowed PT3S..PT1H");
            }
            this.owner = workerId;
            this.lease = lease;
            return this;
        }

        /**
         * Sets how many jobs a leased watcher holds at most; {@link TaskWatcher#claimStored} claims no more, so
         * that a fleet's jobs spread over its workers. Jobs it {@linkplain TaskWatcher#watch watches} itself
         * count, and are never refused. Default 1000.
         *
         * @param max 1 to 100000
         * @return this builder
         */
        public Builder maxLeases(int max) {
            if (max < 1 || max > 100_000) {
                throw new IllegalArgumentException("maxLeases: " + max + " is out of range; allowed 1..100000");
            }
            this.maxLeases = max;
            return this;
        }

        /**
         * Builds the watcher.
         *
         * @return the watcher; close it when done
         * @throws IllegalArgumentException when the poll policy's ceiling is below its floor
         * @throws IllegalStateException when leases are set without a store that supports them
         */
        public TaskWatcher build() {
            return new TaskWatcher(this);
        }
    }

    static Logger log() {
        return log;
    }
}
