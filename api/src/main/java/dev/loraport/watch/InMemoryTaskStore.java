package dev.loraport.watch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/** {@link TaskStore#inMemory()}. */
final class InMemoryTaskStore implements TaskStore {

    private final Map<String, TaskRef> refs = new LinkedHashMap<>();
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
        refs.put(key(ref), ref);
    }

    @Override
    public synchronized void remove(TaskRef ref) {
        refs.remove(key(ref));
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
    public String toString() {
        return "TaskStore.inMemory()";
    }
}
