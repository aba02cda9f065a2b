package dev.loraport.watch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** {@link TaskStore#inMemory()}. */
final class InMemoryTaskStore implements TaskStore {

    private final Map<String, TaskRef> refs = new LinkedHashMap<>();

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
    public String toString() {
        return "TaskStore.inMemory()";
    }
}
