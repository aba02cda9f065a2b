package dev.loraport.watch;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** {@link TaskStore#inMemory()}. */
final class InMemoryTaskStore implements TaskStore {

    private final Map<String, TaskRef> refs = new LinkedHashMap<>();
    /** The lease of each held job, by {@link #key}: who holds it, until when (epoch millis of {@link #clock}). */
    private final Map<String, Lease> leases = new HashMap<>();

    private final Clock clock;

    /** {@link #listedTasks} by provider id and account. */
    private final Map<String, Set<String>> listed = new HashMap<>();

    private record Lease(String owner, long until) {}

    InMemoryTaskStore() {
        this(Clock.systemUTC());
    }

    InMemoryTaskStore(Clock clock) {
        this.clock = clock;
    }

    private final Journal journal = new Journal();
    private final AccountLocks locks = new AccountLocks();

    static String key(TaskRef ref) {
        // URL-encoded parts contain no ':', so the key is unambiguous.
        String s = ref.toString();
        return s.substring(0, s.indexOf('?'));
    }

    @Override
    public synchronized void save(TaskRef ref) {
        Objects.requireNonNull(ref, "ref == null");
        String k = key(ref);
        refs.put(k, ref);
        if (ref.endedBy() != null) {
            // A marked watch ended: the job waits for resume(), not for another worker.
            leases.remove(k);
        }
    }

    @Override
    public synchronized void remove(TaskRef ref) {
        String k = key(ref);
        refs.remove(k);
        leases.remove(k);
    }

    @Override
    public synchronized List<TaskRef> load() {
        return List.copyOf(refs.values());
    }

    @Override
    public synchronized Optional<CreateIntent> begin(CreateIntent intent) {
        return journal.begin(intent);
    }

    @Override
    public synchronized void update(CreateIntent intent) {
        journal.update(intent);
    }

    @Override
    public synchronized boolean abandon(CreateIntent expected) {
        return journal.abandon(expected);
    }

    @Override
    public synchronized Optional<CreateIntent> intent(CreateIntent.Key key) {
        return journal.intent(key);
    }

    @Override
    public synchronized List<CreateIntent> intents() {
        return journal.intents();
    }

    @Override
    public <T> T locked(String providerId, String account, Supplier<T> action) {
        return locks.locked(providerId, account, action);
    }

    @Override
    public synchronized Optional<Set<String>> listedTasks(String providerId, String account) {
        return Optional.of(Set.copyOf(listed.getOrDefault(providerId + "\n" + account, Set.of())));
    }

    @Override
    public synchronized void addListedTasks(String providerId, String account, Collection<String> taskIds) {
        listed.computeIfAbsent(providerId + "\n" + account, k -> new HashSet<>())
                .addAll(taskIds);
    }

    @Override
    public boolean supportsLeases() {
        return true;
    }

    @Override
    public synchronized List<TaskRef> claim(String owner, Collection<String> providerIds, Duration lease, int max) {
        checkLease(owner, lease);
        if (max < 1) {
            throw new IllegalArgumentException("max: " + max + " must be at least 1");
        }
        long now = clock.millis();
        List<TaskRef> out = new ArrayList<>();
        for (Map.Entry<String, TaskRef> e : refs.entrySet()) {
            if (out.size() >= max) {
                break;
            }
            TaskRef ref = e.getValue();
            if (ref.endedBy() == null
                    && providerIds.contains(ref.providerId())
                    && free(e.getKey(), owner, now, false)) {
                leases.put(e.getKey(), new Lease(owner, TaskWatcher.saturatedAdd(now, lease.toMillis())));
                out.add(ref);
            }
        }
        return List.copyOf(out);
    }

    @Override
    public synchronized boolean hold(String owner, TaskRef ref, Duration lease) {
        checkLease(owner, lease);
        String k = key(ref);
        long now = clock.millis();
        if (!free(k, owner, now, true)) {
            return false;
        }
        refs.put(k, ref);
        leases.put(k, new Lease(owner, TaskWatcher.saturatedAdd(now, lease.toMillis())));
        return true;
    }

    @Override
    public synchronized Set<TaskRef> renew(String owner, Collection<TaskRef> held, Duration lease) {
        checkLease(owner, lease);
        long now = clock.millis();
        Set<TaskRef> out = new LinkedHashSet<>();
        for (TaskRef ref : held) {
            String k = key(ref);
            if (refs.containsKey(k) && free(k, owner, now, true)) {
                leases.put(k, new Lease(owner, TaskWatcher.saturatedAdd(now, lease.toMillis())));
                out.add(ref);
            }
        }
        return Set.copyOf(out);
    }

    @Override
    public synchronized void release(String owner, Collection<TaskRef> held) {
        Objects.requireNonNull(owner, "owner == null");
        for (TaskRef ref : held) {
            String k = key(ref);
            Lease l = leases.get(k);
            if (l != null && l.owner.equals(owner)) {
                leases.remove(k);
            }
        }
    }

    @Override
    public synchronized boolean finish(String owner, TaskRef ref) {
        Objects.requireNonNull(owner, "owner == null");
        String k = key(ref);
        Lease l = leases.get(k);
        if (!refs.containsKey(k) || l == null || !l.owner.equals(owner)) {
            return false;
        }
        refs.remove(k);
        leases.remove(k);
        return true;
    }

    /** Whether {@code owner} may take the job's lease: no one holds it, it ran out, or (if allowed) it is theirs. */
    private boolean free(String key, String owner, long now, boolean mineToo) {
        Lease l = leases.get(key);
        return l == null || l.until <= now || (mineToo && l.owner.equals(owner));
    }

    private static void checkLease(String owner, Duration lease) {
        Objects.requireNonNull(owner, "owner == null");
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("lease: " + lease + " must be positive");
        }
    }

    @Override
    public String toString() {
        return "TaskStore.inMemory()";
    }
}
