package dev.loraport.decorators;

import dev.loraport.CreateOutcomeUnknownException;
import dev.loraport.InvalidRequestException;
import dev.loraport.MalformedResponseException;
import dev.loraport.Operation;
import dev.loraport.Page;
import dev.loraport.PageRequest;
import dev.loraport.ProviderCapabilities;
import dev.loraport.ProviderUnavailableException;
import dev.loraport.RateLimitedException;
import dev.loraport.TaskId;
import dev.loraport.TrainingImage;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingProviderException;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingTask;
import dev.loraport.watch.CreateIntent;
import dev.loraport.watch.TaskRef;
import dev.loraport.watch.TaskStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes create exactly-once: it is never resent blindly. Each create is journaled in the {@link TaskStore} before
 * it is sent ({@link CreateIntent}), keyed by provider, account and client reference, so one reference makes one
 * job however many workers or runs send it, and carries the reference in the task's name. When an attempt fails in a way where the service may have accepted it (unavailable, timeout, reset,
 * unreadable body), the task is looked up by that reference (or, where listings show no names, by comparing
 * listings taken before and after, under the store's account lock, and only where every worker shares it); the
 * existing task is returned if found, the create is sent again only when
 * the task is provably absent, and otherwise {@link CreateOutcomeUnknownException} carries the reference. A 429
 * is a refusal, so it is resent after the wait. Every other operation passes through; the listings it reads go
 * through the read retry below it.
 */
final class CreateReconciler extends InterceptingProvider {

    private static final Logger log = LoggerFactory.getLogger(CreateReconciler.class);
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final int KNOWN_IDS = 10_000;

    private static final Duration IN_FLIGHT_POLL = Duration.ofMillis(200);

    private final Backoff backoff;
    private final LoraportMetrics metrics;
    private final TaskStore store;
    private final String account;
    private final boolean snapshotsProve;
    private final Duration inFlightWait;
    private final Clock clock;
    private final Random references = new SecureRandom();
    private final Map<String, Boolean> createdIds =
            java.util.Collections.synchronizedMap(new LinkedHashMap<String, Boolean>(16, 0.75f, false) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > KNOWN_IDS;
                }
            });

    /**
     * @param store the journal, and the lock held across a create where listings show no names
     * @param account the account fingerprint
     * @param snapshotsProve whether every worker of the account shares {@code store}'s lock, so that a job that
     *     appeared between two listings taken under it can only be this create's
     * @param inFlightWait how long a create waits for another worker's create of the same reference
     */
    CreateReconciler(
            TrainingProvider delegate,
            Backoff backoff,
            LoraportMetrics metrics,
            TaskStore store,
            String account,
            boolean snapshotsProve,
            Duration inFlightWait,
            Clock clock) {
        super(delegate);
        this.backoff = backoff;
        this.metrics = metrics;
        this.store = store;
        this.account = account;
        this.snapshotsProve = snapshotsProve;
        this.inFlightWait = inFlightWait;
        this.clock = clock;
    }

    @Override
    <T> T intercept(Operation operation, Supplier<T> call) {
        return call.get();
    }

    @Override
    public TrainingTask create(TrainingRequest request) {
        boolean callerReference = request.clientReference().isPresent();
        String reference = request.clientReference().orElseGet(this::newReference);
        TrainingRequest tagged = tag(request, reference);
        ProviderCapabilities caps = delegate().info().capabilities();
        // Bad input must fail before any call, including the listing taken for reconciliation. The caller's
        // own request first, so a problem names what the caller wrote; then the tagged one, whose longer
        // name must fit the service too.
        delegate().validate(request);
        delegate().validate(tagged);
        // Where the listing shows no names, the provider may echo a value of its own (Replicate: the uploaded
        // zip's URL): prepared now, journaled with the intent before the create is sent, looked for afterwards.
        @Nullable
        String correlation = caps.supportsList() && !caps.listIncludesNames()
                ? delegate().prepareCreate(tagged).orElse(null)
                : null;
        boolean byName = caps.supportsList() && (caps.listIncludesNames() || correlation != null);
        boolean bySnapshot = caps.supportsList() && !byName;
        CreateIntent.Key key = new CreateIntent.Key(metrics.providerId(), account, reference);
        String digest = digest(request);
        Supplier<TrainingTask> journaled =
                () -> journaled(tagged, key, digest, callerReference, byName, bySnapshot, correlation);
        // A before/after diff proves a job ours only if no other create of the account ran in between: the
        // store's lock spans every worker that shares the store.
        return bySnapshot ? store.locked(key.providerId(), account, journaled) : journaled.get();
    }

    private TrainingTask journaled(
            TrainingRequest tagged,
            CreateIntent.Key key,
            String digest,
            boolean callerReference,
            boolean byName,
            boolean bySnapshot,
            @Nullable String correlation) {
        CreateIntent mine = CreateIntent.sending(key, digest, clock.instant());
        if (correlation != null) {
            mine = mine.withCorrelation(correlation, mine.createdAt());
        }
        Optional<CreateIntent> held = store.begin(mine);
        if (held.isPresent()) {
            return fromJournal(held.get(), tagged, digest, byName, bySnapshot, correlation);
        }
        return send(mine, tagged, callerReference, byName, bySnapshot);
    }

    /** This worker holds the intent: it alone may send the create. */
    private TrainingTask send(
            CreateIntent mine, TrainingRequest tagged, boolean callerReference, boolean byName, boolean bySnapshot) {
        String reference = mine.clientReference();
        try {
            @Nullable Set<String> before = bySnapshot && snapshotsProve ? listAndSettle(mine.key()) : null;
            if (callerReference && byName && mine.correlation() == null) {
                // A job of an earlier run, made before this journal knew the reference, wins.
                Lookup earlier = findOwn(mine);
                if (earlier.task != null) {
                    metrics.duplicateAvoided();
                    log.info(
                            "loraport {} create: job {} already exists for client reference {}",
                            metrics.providerId(),
                            earlier.task.id(),
                            reference);
                    accept(mine, earlier.task.id());
                    return earlier.task;
                }
                if (!earlier.absent) {
                    // The listing could not be read to its end: creating now could train a second time.
                    store.abandon(mine);
                    throw new CreateOutcomeUnknownException(
                            metrics.providerId(),
                            reference,
                            "could not tell whether a task with this client reference already exists (the listing"
                                    + " could not be read to its end); nothing was submitted",
                            null);
                }
            }
            TrainingTask task = submit(tagged, reference, byName, before, mine.correlation());
            accept(mine, task.id());
            return task;
        } catch (CreateOutcomeUnknownException e) {
            if (store.intent(mine.key())
                    .filter(i -> i.state() == CreateIntent.State.SENDING)
                    .isPresent()) {
                store.update(mine.unresolved(e.getMessage(), clock.instant()));
            }
            throw e;
        } catch (TrainingProviderException e) {
            // Refused, or proven absent after the last attempt: no job exists, so a rerun may send again.
            store.abandon(mine);
            throw e;
        }
    }

    /**
     * The journal holds this reference already: from an earlier call, an earlier run, or another worker. The
     * known task is returned; a create still in flight elsewhere is waited for; a reference whose earlier
     * outcome stayed unknown is looked up before anything is sent, and sent again only when the service's
     * listing proves no job carries it.
     */
    private TrainingTask fromJournal(
            CreateIntent held,
            TrainingRequest tagged,
            String digest,
            boolean byName,
            boolean bySnapshot,
            @Nullable String correlation) {
        String reference = held.clientReference();
        if (!held.requestDigest().equals(digest)) {
            throw new InvalidRequestException(
                    metrics.providerId(),
                    "create",
                    List.of(new InvalidRequestException.Violation(
                            "clientReference",
                            "'" + reference + "' was already used for a different request (created " + held.createdAt()
                                    + "); a client reference names one training")));
        }
        CreateIntent seen = held;
        if (bySnapshot && snapshotsProve && seen.state() == CreateIntent.State.SENDING) {
            // This call holds the account lock that every create of the account sends under: the intent's
            // sender is gone (died, or gave up with the outcome unknown), so waiting for it is pointless. The
            // listing settles it if it can.
            listAndSettle(null);
            Optional<CreateIntent> now = store.intent(held.key());
            if (now.isEmpty()) {
                // Proven absent: nothing was made, so this call sends it.
                return journaled(tagged, held.key(), digest, true, byName, bySnapshot, correlation);
            }
            seen = now.get();
            if (seen.state() == CreateIntent.State.SENDING) {
                throw new CreateOutcomeUnknownException(
                        metrics.providerId(),
                        reference,
                        "an earlier create with this client reference "
                                + (seen.reason() == null
                                        ? "was cut off (since " + seen.createdAt() + ")"
                                        : "has an unknown outcome (" + seen.reason() + ")")
                                + " and the account's listing cannot tell which job, if any, it made: other creates"
                                + " are unsettled too, or jobs no record explains appeared; nothing was submitted",
                        null);
            }
        }
        long waitUntil = System.nanoTime() + inFlightWait.toNanos();
        while (seen.state() == CreateIntent.State.SENDING && seen.reason() == null && System.nanoTime() < waitUntil) {
            // Another worker (or another thread) is sending this create: its answer is the one to return.
            sleepQuietly(IN_FLIGHT_POLL);
            Optional<CreateIntent> now = store.intent(held.key());
            if (now.isEmpty()) {
                // That create was refused; this call may try again.
                return journaled(tagged, held.key(), digest, true, byName, bySnapshot, correlation);
            }
            seen = now.get();
        }
        if (seen.state() == CreateIntent.State.ACCEPTED) {
            TaskId id = seen.task().orElseThrow();
            metrics.duplicateAvoided();
            log.info(
                    "loraport {} create: the journal holds job {} for client reference {}",
                    metrics.providerId(),
                    id,
                    reference);
            return delegate().status(id);
        }
        if (byName) {
            Lookup found = findOwn(seen);
            if (found.task != null) {
                metrics.duplicateAvoided();
                accept(seen, found.task.id());
                return found.task;
            }
            if (found.absent && seen.reason() != null && store.abandon(seen)) {
                // Its sender gave up and no job carries the reference: this call takes the create over.
                return journaled(tagged, held.key(), digest, true, byName, bySnapshot, correlation);
            }
        }
        throw new CreateOutcomeUnknownException(
                metrics.providerId(),
                reference,
                seen.reason() == null
                        ? "a create with this client reference is still being sent (since " + seen.createdAt()
                                + "), or its worker stopped; nothing was submitted"
                        : "an earlier create with this client reference has an unknown outcome (" + seen.reason()
                                + ") and the service's listing cannot prove it absent; nothing was submitted",
                null);
    }

    /**
     * Settles this provider account's journaled creates that are still {@code SENDING} and older than the
     * in-flight wait (a worker that died mid-create, or an outcome left unknown): where the listing shows names,
     * a job carrying the reference marks the intent accepted, and a listing read to its end without one drops
     * it (nothing was made, nothing is billed). Where it shows none and the store's lock spans the fleet, every
     * {@code SENDING} intent, of any age, is settled under that lock by {@link #settleSilent}. Intents the listing
     * cannot settle stay as they are.
     *
     * @return every such intent as it stands afterwards; those no longer journaled are left out
     */
    List<CreateIntent> recover() {
        ProviderCapabilities caps = delegate().info().capabilities();
        boolean byName = caps.supportsList() && caps.listIncludesNames();
        boolean bySnapshot = caps.supportsList() && !caps.listIncludesNames();
        if (bySnapshot && snapshotsProve) {
            // Under the account lock no create of the account is in flight: every SENDING intent is settled now
            // if the listing allows, however young.
            return store.locked(metrics.providerId(), account, () -> {
                List<CreateIntent.Key> sending = new java.util.ArrayList<>();
                for (CreateIntent i : store.intents()) {
                    if (i.providerId().equals(metrics.providerId())
                            && i.account().equals(account)
                            && i.state() == CreateIntent.State.SENDING) {
                        sending.add(i.key());
                    }
                }
                if (!sending.isEmpty()) {
                    listAndSettle(null);
                }
                List<CreateIntent> after = new java.util.ArrayList<>();
                for (CreateIntent.Key k : sending) {
                    store.intent(k).ifPresent(after::add);
                }
                return List.copyOf(after);
            });
        }
        java.time.Instant settledBefore = clock.instant().minus(inFlightWait);
        List<CreateIntent> out = new java.util.ArrayList<>();
        for (CreateIntent i : store.intents()) {
            if (!i.providerId().equals(metrics.providerId())
                    || !i.account().equals(account)
                    || i.state() != CreateIntent.State.SENDING
                    || !i.updatedAt().isBefore(settledBefore)) {
                continue;
            }
            if (!byName && i.correlation() == null) {
                out.add(i);
                continue;
            }
            Lookup found = findOwn(i);
            if (found.task != null) {
                CreateIntent accepted = accept(i, found.task.id());
                metrics.reconciliation("found");
                log.info(
                        "loraport {} recovery: client reference {} is job {}",
                        metrics.providerId(),
                        i.clientReference(),
                        found.task.id());
                out.add(accepted);
            } else if (found.absent) {
                if (store.abandon(i)) {
                    metrics.reconciliation("absent");
                    log.info(
                            "loraport {} recovery: no job carries client reference {}; its intent is dropped",
                            metrics.providerId(),
                            i.clientReference());
                }
            } else {
                out.add(i);
            }
        }
        return List.copyOf(out);
    }

    /**
     * Reads the whole listing and {@linkplain #settleSilent settles} cut-off creates from it; the caller holds
     * the account lock.
     *
     * @return the listing's task ids, or null when it could not be read to its end (nothing is settled then)
     */
    private @Nullable Set<String> listAndSettle(CreateIntent.@Nullable Key mine) {
        Set<String> listing = snapshot();
        if (listing != null) {
            settleSilent(listing, mine);
        }
        return listing;
    }

    /**
     * Settles, from one listing of the account taken under its lock, the creates whose senders are gone without
     * an answer, on a service whose listing shows no names. A job is explained when {@link TaskStore#listedTasks}
     * (every earlier listing) or the journal knows it; with exactly one such create unsettled, the one
     * unexplained job is its job, and no unexplained job proves it made none (once {@code reconcile.delay} has
     * passed, the listing's lag). Anything else stays unsettled: two silent creates, or jobs made outside
     * loraport, cannot be told apart. Only when nothing is unsettled do the listing's new ids join the listed
     * ones, so that a silent create's job is never explained away.
     *
     * @param listing every task id of the account, just read
     * @param mine the intent of the create about to be sent under the same lock, or null
     */
    private void settleSilent(Set<String> listing, CreateIntent.@Nullable Key mine) {
        Optional<Set<String>> known = store.listedTasks(metrics.providerId(), account);
        if (known.isEmpty()) {
            return;
        }
        Set<String> explained = new HashSet<>(known.get());
        explained.addAll(createdIds.keySet());
        List<CreateIntent> silent = new java.util.ArrayList<>();
        for (CreateIntent i : store.intents()) {
            if (!i.providerId().equals(metrics.providerId()) || !i.account().equals(account)) {
                continue;
            }
            i.task().ifPresent(t -> explained.add(t.value()));
            if (i.state() == CreateIntent.State.SENDING && !i.key().equals(mine)) {
                silent.add(i);
            }
        }
        List<String> unexplained = new java.util.ArrayList<>();
        for (String id : listing) {
            if (!explained.contains(id)) {
                unexplained.add(id);
            }
        }
        if (silent.size() == 1 && unexplained.size() <= 1) {
            CreateIntent s = silent.get(0);
            if (unexplained.size() == 1) {
                TaskId id = TaskId.of(unexplained.get(0));
                accept(s, id);
                createdIds.put(id.value(), Boolean.TRUE);
                metrics.reconciliation("found");
                log.info(
                        "loraport {} recovery: job {} is the one job no record explains; it is client reference {}'s",
                        metrics.providerId(),
                        id,
                        s.clientReference());
                silent.clear();
            } else if (!s.updatedAt()
                    .isAfter(clock.instant().minus(backoff.settings().reconcileDelay()))) {
                if (store.abandon(s)) {
                    metrics.reconciliation("absent");
                    log.info(
                            "loraport {} recovery: no new job for client reference {}; its intent is dropped",
                            metrics.providerId(),
                            s.clientReference());
                }
                silent.clear();
            }
        }
        if (silent.isEmpty()) {
            List<String> fresh = new java.util.ArrayList<>();
            for (String id : listing) {
                if (!known.get().contains(id)) {
                    fresh.add(id);
                }
            }
            store.addListedTasks(metrics.providerId(), account, fresh);
        }
    }

    /**
     * Marks an intent accepted and records its job as a ref in the same store, so that a worker that dies before
     * it watches the job still leaves it for {@code resume} (or a leased watcher) to pick up.
     */
    private CreateIntent accept(CreateIntent intent, TaskId id) {
        java.time.Instant now = clock.instant();
        CreateIntent accepted = intent.accepted(id, now);
        try {
            store.update(accepted);
        } catch (RuntimeException e) {
            // The service holds the job, so the caller gets it: an error now would invite a retry, and a retry
            // under a new reference trains twice. The intent stays SENDING, which a rerun or recover() settles
            // from the listing rather than by sending again.
            log.error(
                    "loraport {} create: job {} was made but the journal could not record it; it stays in flight"
                            + " there until a rerun or recover() finds it",
                    metrics.providerId(),
                    id,
                    e);
            // Not counted as explained: the listing must still tie this job to the intent in flight, or a
            // settling pass would take the job for no one's and give the intent up.
            createdIds.remove(id.value());
            return accepted;
        }
        try {
            store.save(new TaskRef(metrics.providerId(), id, intent.clientReference(), now));
        } catch (RuntimeException e) {
            // The journal holds the job; the ref only saves a resume from reading it there.
            log.warn("loraport {} create: job {} journaled but its ref not saved", metrics.providerId(), id, e);
        }
        return accepted;
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderUnavailableException("journal", "create", "interrupted while waiting", null, null, e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** What a client reference stands for: every setting and image of the request, never its reference. */
    static String digest(TrainingRequest r) {
        StringBuilder sb = new StringBuilder();
        for (Object v : java.util.Arrays.asList(
                r.name(),
                r.kind(),
                r.baseModel(),
                r.instancePrompt(),
                r.classPrompt(),
                r.width(),
                r.height(),
                r.steps(),
                r.learningRate(),
                r.scheduler(),
                r.warmupSteps(),
                r.loraRank(),
                r.loraAlpha(),
                r.textEncoderRank(),
                r.textEncoderAlpha(),
                r.batchSize(),
                r.seed(),
                r.trainTextEncoder(),
                r.priorPreservation(),
                r.priorLossWeight(),
                new java.util.TreeMap<>(r.providerOptions()))) {
            sb.append(v).append('\u0000');
        }
        for (TrainingImage image : r.images()) {
            sb.append(image.source())
                    .append(':')
                    .append(image.path().map(Object::toString).orElse(""))
                    .append(image.url().map(Object::toString).orElse(""))
                    .append(image.bytes().map(CreateReconciler::sha256).orElse(""))
                    .append(':')
                    .append(image.caption().orElse(""))
                    .append('\u0000');
        }
        return CreateIntent.digest(sb.toString());
    }

    private TrainingTask submit(
            TrainingRequest tagged,
            String reference,
            boolean byName,
            @Nullable Set<String> before,
            @Nullable String correlation) {
        for (int attempt = 1; ; attempt++) {
            metrics.attempt(Operation.CREATE);
            log.debug(
                    "loraport {} create: attempt {} of {} (client reference {})",
                    metrics.providerId(),
                    attempt,
                    backoff.settings().maxAttempts(),
                    reference);
            TrainingProviderException failure;
            try {
                TrainingTask task = delegate().create(tagged);
                createdIds.put(task.id().value(), Boolean.TRUE);
                return task;
            } catch (RateLimitedException e) {
                // A 429 is a refusal: nothing was accepted, so sending again is safe.
                failure = e;
            } catch (ProviderUnavailableException | MalformedResponseException e) {
                if (e instanceof CircuitOpenException) {
                    throw e;
                }
                Lookup found = reconcile(reference, byName, before, correlation, e);
                if (found.task != null) {
                    metrics.duplicateAvoided();
                    createdIds.put(found.task.id().value(), Boolean.TRUE);
                    return found.task;
                }
                if (!found.absent) {
                    throw new CreateOutcomeUnknownException(
                            metrics.providerId(),
                            reference,
                            "the service may have accepted the job but it could not be found ("
                                    + e.getClass().getSimpleName() + ")",
                            e);
                }
                failure = e;
            }
            if (attempt >= backoff.settings().maxAttempts()) {
                log.warn(
                        "loraport {} create: giving up after {} attempts; no job exists for client reference {}",
                        metrics.providerId(),
                        attempt,
                        reference);
                throw failure;
            }
            backoff.pause(Operation.CREATE, attempt, failure);
        }
    }

    private record Lookup(@Nullable TrainingTask task, boolean absent) {
        static final Lookup ABSENT = new Lookup(null, true);
        static final Lookup UNKNOWN = new Lookup(null, false);
    }

    private Lookup reconcile(
            String reference,
            boolean byName,
            @Nullable Set<String> before,
            @Nullable String correlation,
            TrainingProviderException e) {
        log.warn(
                "loraport {} create: outcome unknown ({}); looking for the job with client reference {}",
                metrics.providerId(),
                e.getClass().getSimpleName(),
                reference);
        if (!backoff.sleepBeforeReconciling()) {
            metrics.reconciliation("unknown");
            return Lookup.UNKNOWN;
        }
        Lookup result;
        if (correlation != null) {
            result = findByCorrelation(correlation);
        } else if (byName) {
            result = findByName(reference);
        } else if (before != null) {
            result = findBySnapshot(before);
        } else {
            result = Lookup.UNKNOWN;
        }
        String outcome = result.task != null ? "found" : result.absent ? "absent" : "unknown";
        metrics.reconciliation(outcome);
        log.warn(
                "loraport {} create: reconciliation for client reference {}: {}{}",
                metrics.providerId(),
                reference,
                outcome,
                result.task == null ? "" : " (job " + result.task.id() + ")");
        return result;
    }

    /** The intent's job: by its correlation value where it has one, else by the reference in the name. */
    private Lookup findOwn(CreateIntent intent) {
        String correlation = intent.correlation();
        return correlation != null ? findByCorrelation(correlation) : findByName(intent.clientReference());
    }

    private Lookup findByCorrelation(String correlation) {
        return walk(t -> t.correlation().map(correlation::equals).orElse(false), null);
    }

    private Lookup findByName(String reference) {
        return walk(t -> t.name().map(n -> carries(n, reference)).orElse(false), null);
    }

    /**
     * Whether a task's name carries a reference as a whole token, not as part of a longer one: reference
     * {@code job-1} must not claim a task named {@code x-job-12-...}.
     */
    static boolean carries(String name, String reference) {
        for (int at = name.indexOf(reference); at >= 0; at = name.indexOf(reference, at + 1)) {
            int end = at + reference.length();
            boolean startsClean = at == 0 || !Character.isLetterOrDigit(name.charAt(at - 1));
            boolean endsClean = end == name.length() || !Character.isLetterOrDigit(name.charAt(end));
            if (startsClean && endsClean) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads the listing page by page until a task matches (found), the pages run out (absent), or the page cap
     * or a failed list call leaves the answer open (unknown). Every task read goes into {@code seen}.
     */
    private Lookup walk(Predicate<TrainingTask> match, @Nullable Map<String, TrainingTask> seen) {
        try {
            PageRequest page = PageRequest.first(PageRequest.MAX_LIMIT);
            for (int i = 0; i < backoff.settings().reconcileMaxPages(); i++) {
                PageRequest current = page;
                // The read retry below this decorator retries the page.
                Page<TrainingTask> p = delegate().list(current);
                for (TrainingTask t : p.items()) {
                    if (seen != null) {
                        seen.put(t.id().value(), t);
                    }
                    if (match.test(t)) {
                        return new Lookup(t, false);
                    }
                }
                if (!p.hasNext()) {
                    return Lookup.ABSENT;
                }
                page = PageRequest.after(p.nextCursor(), PageRequest.MAX_LIMIT);
            }
            return Lookup.UNKNOWN;
        } catch (TrainingProviderException e) {
            log.warn("loraport {} create: could not list jobs to reconcile: {}", metrics.providerId(), e.getMessage());
            return Lookup.UNKNOWN;
        }
    }

    private @Nullable Set<String> snapshot() {
        Map<String, TrainingTask> all = listAll();
        return all == null ? null : new HashSet<>(all.keySet());
    }

    private Lookup findBySnapshot(Set<String> before) {
        Map<String, TrainingTask> after = listAll();
        if (after == null) {
            return Lookup.UNKNOWN;
        }
        Set<String> given = new HashSet<>(createdIds.keySet());
        for (CreateIntent i : store.intents()) {
            // A job the journal gave another caller is never this create's, whoever took the listings.
            i.task().ifPresent(id -> given.add(id.value()));
        }
        TrainingTask candidate = null;
        for (Map.Entry<String, TrainingTask> e : after.entrySet()) {
            if (!before.contains(e.getKey()) && !given.contains(e.getKey())) {
                if (candidate != null) {
                    // Two new jobs: another client created one too, and neither can be proven ours.
                    return Lookup.UNKNOWN;
                }
                candidate = e.getValue();
            }
        }
        return candidate == null ? Lookup.ABSENT : new Lookup(candidate, false);
    }

    private @Nullable Map<String, TrainingTask> listAll() {
        Map<String, TrainingTask> out = new LinkedHashMap<>();
        return walk(t -> false, out).absent ? out : null;
    }

    private String newReference() {
        StringBuilder sb = new StringBuilder("lp");
        for (int i = 0; i < 10; i++) {
            sb.append(ALPHABET.charAt(references.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    static TrainingRequest tag(TrainingRequest request, String reference) {
        TrainingRequest.Builder b = request.toBuilder().clientReference(reference);
        if (!carries(request.name(), reference)) {
            b.name(request.name() + "-" + reference);
        }
        return b.build();
    }
}
