package dev.loraport.decorators;

import dev.loraport.CreateOutcomeUnknownException;
import dev.loraport.MalformedResponseException;
import dev.loraport.Page;
import dev.loraport.PageRequest;
import dev.loraport.ProviderCapabilities;
import dev.loraport.ProviderUnavailableException;
import dev.loraport.RateLimitedException;
import dev.loraport.TaskId;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingProviderException;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingTask;
import dev.loraport.spi.ForwardingTrainingProvider;
import java.security.SecureRandom;
import java.time.Duration;
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
 * Retries what is safe and makes create exactly-once.
 *
 * <p>Reads ({@code status}, {@code list}) are retried when the exception says {@link
 * TrainingProviderException#isRetryable()}, with exponential backoff and jitter, or the service's retry-after
 * when it sent one. {@code cancel}, {@code delete} and {@code generate} are never retried here: they change
 * state or cost money, and the adapters poll generation results themselves.
 *
 * <p>{@code create} is never resent blindly. Each create carries a client reference in the job's name. When an
 * attempt fails in a way where the service may have accepted it (unavailable, timeout, reset, unreadable
 * body), the job is looked up by that reference (or, where listings show no names, by comparing listings
 * taken before and after); the existing job is returned if found, the create is sent again only when the job
 * is provably absent, and otherwise {@link CreateOutcomeUnknownException} carries the reference. A 429 is a
 * refusal, so it is resent after the wait.
 */
final class RetryingProvider extends ForwardingTrainingProvider {

    private static final Logger log = LoggerFactory.getLogger(RetryingProvider.class);
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final int KNOWN_IDS = 10_000;

    private final RetrySettings settings;
    private final LoraportMetrics metrics;
    private final Sleeper sleeper;
    private final Random random;
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

    RetryingProvider(
            TrainingProvider delegate,
            RetrySettings settings,
            LoraportMetrics metrics,
            Sleeper sleeper,
            Random random) {
        super(delegate);
        this.settings = settings;
        this.metrics = metrics;
        this.sleeper = sleeper;
        this.random = random;
    }

    @Override
    public TrainingTask status(TaskId id) {
        return retrying("status", () -> delegate().status(id));
    }

    @Override
    public Page<TrainingTask> list(PageRequest page) {
        return retrying("list", () -> delegate().list(page));
    }

    @Override
    public void cancel(TaskId id) {
        once("cancel", () -> {
            delegate().cancel(id);
            return null;
        });
    }

    @Override
    public void delete(TaskId id) {
        once("delete", () -> {
            delegate().delete(id);
            return null;
        });
    }

    @Override
    public dev.loraport.GenerationResult generate(dev.loraport.GenerationRequest request) {
        return once("generate", () -> delegate().generate(request));
    }

    private <T> T once(String operation, Supplier<T> call) {
        metrics.attempt(operation);
        log.debug("loraport {} {}: attempt 1 of 1", metrics.providerId(), operation);
        return call.get();
    }

    private <T> T retrying(String operation, Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            metrics.attempt(operation);
            log.debug(
                    "loraport {} {}: attempt {} of {}",
                    metrics.providerId(),
                    operation,
                    attempt,
                    settings.maxAttempts());
            try {
                return call.get();
            } catch (TrainingProviderException e) {
                if (!e.isRetryable()) {
                    throw e;
                }
                if (attempt >= settings.maxAttempts()) {
                    log.warn(
                            "loraport {} {}: giving up after {} attempts: {}",
                            metrics.providerId(),
                            operation,
                            attempt,
                            e.getMessage());
                    throw e;
                }
                pause(operation, attempt, e);
            }
        }
    }

    private void pause(String operation, int attempt, TrainingProviderException e) {
        metrics.retry(operation);
        Duration wait = backoff(attempt, e);
        log.debug(
                "loraport {} {}: retrying in {} after {}",
                metrics.providerId(),
                operation,
                wait,
                e.getClass().getSimpleName());
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    Duration backoff(int attempt, TrainingProviderException e) {
        if (e instanceof RateLimitedException r && r.retryAfter().isPresent()) {
            Duration after = r.retryAfter().get();
            return after.compareTo(settings.maxRetryAfter()) > 0 ? settings.maxRetryAfter() : after;
        }
        double base = settings.initialBackoff().toNanos() * Math.pow(settings.multiplier(), attempt - 1);
        double capped = Math.min(base, settings.maxBackoff().toNanos());
        // Full jitter within ±jitter spreads retries of many clients apart.
        double factor = 1 + settings.jitter() * (2 * random.nextDouble() - 1);
        return Duration.ofNanos(Math.max(0, Math.round(capped * factor)));
    }

    @Override
    public TrainingTask create(TrainingRequest request) {
        boolean callerReference = request.clientReference().isPresent();
        String reference = request.clientReference().orElseGet(this::newReference);
        TrainingRequest tagged = tag(request, reference);
        ProviderCapabilities caps = delegate().info().capabilities();
        // Bad input must fail before any call, including the listing taken for reconciliation.
        caps.validate(metrics.providerId(), tagged);
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
            metrics.attempt("create");
            log.debug(
                    "loraport {} create: attempt {} of {} (client reference {})",
                    metrics.providerId(),
                    attempt,
                    settings.maxAttempts(),
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
            if (attempt >= settings.maxAttempts()) {
                log.warn(
                        "loraport {} create: giving up after {} attempts; no job exists for client reference {}",
                        metrics.providerId(),
                        attempt,
                        reference);
                throw failure;
            }
            pause("create", attempt, failure);
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
        try {
            sleeper.sleep(settings.reconcileDelay());
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
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
        return walk(t -> t.name().map(n -> n.contains(reference)).orElse(false), null);
    }

    /**
     * Reads the listing page by page until a task matches (found), the pages run out (absent), or the page cap
     * or a failed list call leaves the answer open (unknown). Every task read goes into {@code seen}.
     */
    private Lookup walk(Predicate<TrainingTask> match, @Nullable Map<String, TrainingTask> seen) {
        try {
            PageRequest page = PageRequest.first(PageRequest.MAX_LIMIT);
            for (int i = 0; i < settings.reconcileMaxPages(); i++) {
                PageRequest current = page;
                Page<TrainingTask> p = retrying("list", () -> delegate().list(current));
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
        if (!request.name().contains(reference)) {
            b.name(request.name() + "-" + reference);
        }
        return b.build();
    }
}
