package dev.loraport.decorators;

import dev.loraport.CreateOutcomeUnknownException;
import dev.loraport.MalformedResponseException;
import dev.loraport.Operation;
import dev.loraport.Page;
import dev.loraport.PageRequest;
import dev.loraport.ProviderCapabilities;
import dev.loraport.ProviderUnavailableException;
import dev.loraport.RateLimitedException;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingProviderException;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingTask;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes create exactly-once: it is never resent blindly. Each create carries a client reference in the task's
 * name. When an attempt fails in a way where the service may have accepted it (unavailable, timeout, reset,
 * unreadable body), the task is looked up by that reference (or, where listings show no names, by comparing
 * listings taken before and after); the existing task is returned if found, the create is sent again only when
 * the task is provably absent, and otherwise {@link CreateOutcomeUnknownException} carries the reference. A 429
 * is a refusal, so it is resent after the wait. Every other operation passes through; the listings it reads go
 * through the read retry below it.
 */
final class CreateReconciler extends InterceptingProvider {

    private static final Logger log = LoggerFactory.getLogger(CreateReconciler.class);
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final int KNOWN_IDS = 10_000;

    private final Backoff backoff;
    private final LoraportMetrics metrics;
    private final Random references = new SecureRandom();
    // Snapshot reconciliation compares listings; serialising creates keeps another create of ours out of the diff.
    private final ReentrantLock snapshotLock = new ReentrantLock();
    private final Map<String, Boolean> createdIds =
            java.util.Collections.synchronizedMap(new LinkedHashMap<String, Boolean>(16, 0.75f, false) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > KNOWN_IDS;
                }
            });

    CreateReconciler(TrainingProvider delegate, Backoff backoff, LoraportMetrics metrics) {
        super(delegate);
        this.backoff = backoff;
        this.metrics = metrics;
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
        boolean byName = caps.supportsList() && caps.listIncludesNames();
        boolean bySnapshot = caps.supportsList() && !caps.listIncludesNames();
        if (bySnapshot) {
            snapshotLock.lock();
        }
        try {
            @Nullable Set<String> before = bySnapshot ? snapshot() : null;
            if (callerReference && byName) {
                // The caller asked for idempotency: a job from an earlier run with this reference wins.
                Lookup earlier = findByName(reference);
                if (earlier.task != null) {
                    metrics.duplicateAvoided();
                    log.info(
                            "loraport {} create: job {} already exists for client reference {}",
                            metrics.providerId(),
                            earlier.task.id(),
                            reference);
                    return earlier.task;
                }
                if (!earlier.absent) {
                    // The listing could not be read to its end: creating now could train a second time.
                    throw new CreateOutcomeUnknownException(
                            metrics.providerId(),
                            reference,
                            "could not tell whether a task with this client reference already exists (the listing"
                                    + " could not be read to its end); nothing was submitted",
                            null);
                }
            }
            return submit(tagged, reference, byName, before);
        } finally {
            if (bySnapshot) {
                snapshotLock.unlock();
            }
        }
    }

    private TrainingTask submit(
            TrainingRequest tagged, String reference, boolean byName, @Nullable Set<String> before) {
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
                Lookup found = reconcile(reference, byName, before, e);
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
            String reference, boolean byName, @Nullable Set<String> before, TrainingProviderException e) {
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
        if (byName) {
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
        TrainingTask candidate = null;
        for (Map.Entry<String, TrainingTask> e : after.entrySet()) {
            if (!before.contains(e.getKey()) && !createdIds.containsKey(e.getKey())) {
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
