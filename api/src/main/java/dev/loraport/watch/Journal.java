package dev.loraport.watch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

/** The create journal's rules over a map, shared by the in-memory and the file store. Not thread-safe. */
final class Journal {

    private final Map<CreateIntent.Key, CreateIntent> intents = new LinkedHashMap<>();

    Optional<CreateIntent> begin(CreateIntent intent) {
        Objects.requireNonNull(intent, "intent == null");
        if (intent.state() != CreateIntent.State.SENDING) {
            throw new IllegalArgumentException("a create is journaled as SENDING, not " + intent.state());
        }
        CreateIntent held = intents.putIfAbsent(intent.key(), intent);
        return Optional.ofNullable(held);
    }

    void update(CreateIntent intent) {
        Objects.requireNonNull(intent, "intent == null");
        if (!intents.containsKey(intent.key())) {
            throw new NoSuchElementException("no journaled create for " + intent.key());
        }
        intents.put(intent.key(), intent);
    }

    boolean abandon(CreateIntent expected) {
        return intents.remove(expected.key(), expected);
    }

    Optional<CreateIntent> intent(CreateIntent.Key key) {
        return Optional.ofNullable(intents.get(key));
    }

    List<CreateIntent> intents() {
        return List.copyOf(intents.values());
    }

    void replaceAll(List<CreateIntent> all) {
        intents.clear();
        for (CreateIntent i : all) {
            intents.put(i.key(), i);
        }
    }
}
