package dev.loraport.watch;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Keeps the {@link TaskRef}s of watched jobs so that a process that dies while jobs train can pick them up
 * again with {@link TaskWatcher#resume}. A {@link TaskWatcher} given a store saves a task's ref before
 * {@code watch} returns and removes it only when the task is terminal or the handle is cancelled. A poll error
 * or a deadline ends the handle but keeps the ref (the task may still run, and bill), saved again with
 * {@link TaskRef#endedBy()} saying why; closing the watcher keeps the refs unmarked. {@code resume} clears the
 * mark.
 *
 * <p>The same store keeps the create journal ({@link CreateIntent}): the decorators record each create before
 * it is sent and mark it accepted with its task id, so a crash or a lost answer never leaves a paid job that no
 * record knows, and a client reference makes one job however many workers send it. A store shared by several
 * processes also gives them a lock per provider account ({@link #locked}).
 *
 * <p>Implementations are thread-safe. Refs are keyed by provider id and task id: saving a ref for a job
 * already stored replaces it. Intents are keyed by {@link CreateIntent#key()}.
 *
 * <pre>{@code
 * TaskStore store = TaskStore.file(Path.of("jobs.txt"));
 * TaskWatcher watcher = TaskWatcher.builder().store(store).build();
 * watcher.resume(store.load(), id -> providers.get(id));
 * }</pre>
 *
 * @since 0.1
 */
public interface TaskStore {

    /**
     * Records a job, replacing any ref of the same provider id and task id.
     *
     * @param ref the job
     * @throws java.io.UncheckedIOException when the store cannot be written, or cannot be read first
     */
    void save(TaskRef ref);

    /**
     * Forgets a job; does nothing when it is not stored.
     *
     * @param ref the job, matched by provider id and task id
     * @throws java.io.UncheckedIOException when the store cannot be written, or cannot be read first
     */
    void remove(TaskRef ref);

    /**
     * Every stored job, in the order first saved.
     *
     * @return an unmodifiable list
     * @throws java.io.UncheckedIOException when the store cannot be read or is corrupt; a corrupt store is
     *     reported this way and never silently treated as empty
     */
    List<TaskRef> load();

    /**
     * Journals a create before it is sent, unless the store holds an intent of the same key. Exactly one of
     * several callers that begin the same key at once gets an empty answer; only that one may send the create.
     *
     * @param intent the new intent, {@link CreateIntent.State#SENDING}
     * @return empty when recorded; otherwise the intent already held, which this call left unchanged
     * @throws java.io.UncheckedIOException when the store cannot be written
     */
    Optional<CreateIntent> begin(CreateIntent intent);

    /**
     * Replaces the stored intent of the same key, as when a create is accepted or its outcome stays unknown.
     *
     * @param intent the new state of the intent
     * @throws java.util.NoSuchElementException when no intent of that key is stored
     * @throws java.io.UncheckedIOException when the store cannot be written
     */
    void update(CreateIntent intent);

    /**
     * Forgets an intent whose create provably made no job (refused, or proven absent), if it is still exactly
     * as the caller last saw it; so that of two workers that find the same stale intent, only one takes it over.
     *
     * @param expected the intent as last read
     * @return whether it was removed
     * @throws java.io.UncheckedIOException when the store cannot be written
     */
    boolean abandon(CreateIntent expected);

    /**
     * The intent of a key.
     *
     * @param key provider id, account and client reference
     * @return the intent, or empty
     * @throws java.io.UncheckedIOException when the store cannot be read
     */
    Optional<CreateIntent> intent(CreateIntent.Key key);

    /**
     * Every journaled intent, in the order first recorded.
     *
     * @return an unmodifiable list
     * @throws java.io.UncheckedIOException when the store cannot be read
     */
    List<CreateIntent> intents();

    /**
     * Runs an action while holding this store's lock for one provider account, excluding every other holder of
     * the same lock: in this JVM for the in-memory store, on this machine for the file store, across the fleet
     * for a shared database store. The decorators hold it across a create and the listings taken around it
     * where the service's listing shows no names. Re-entrant within one thread.
     *
     * @param providerId the provider id
     * @param account the account fingerprint
     * @param action what to run
     * @param <T> its result type
     * @return the action's result
     * @throws java.io.UncheckedIOException when the lock cannot be taken
     */
    <T> T locked(String providerId, String account, Supplier<T> action);

    /**
     * A store kept in one local text file, one ref per line (as {@link TaskRef#toString()} writes it) between a
     * header and a trailer counting them; files written before {@link TaskRef#endedBy()} existed read unchanged.
     * Every change rewrites the file atomically: the new content goes to {@code <file>.tmp}, is forced to disk,
     * then moved over the file with {@link java.nio.file.StandardCopyOption#ATOMIC_MOVE}. A crash mid-write
     * therefore leaves the previous file intact; a leftover temporary file is ignored and overwritten. A file
     * that is truncated or altered (no header, wrong count, unreadable line) makes {@link #load()} fail with a
     * message naming the file and line, leaving it untouched; the next {@link #save} or {@link #remove} moves it
     * aside to {@code <file>.corrupt-<millis>} for a person to inspect, logs that as an error and records on in a
     * fresh file, so that new tasks are not recorded nowhere. An empty file, CRLF line ends and a UTF-8
     * byte-order mark are valid. The refs are meant for one process at a time; the create journal beside them
     * ({@code <file>.journal}, under a lock on {@code <file>.lock}) is shared safely by processes on one machine.
     *
     * @param file the file; created with its parent directories on first save
     * @return the store
     */
    static TaskStore file(Path file) {
        return new FileTaskStore(file);
    }

    /**
     * A store in memory, lost with the process; for tests and for code that persists refs elsewhere.
     *
     * @return an empty store
     */
    static TaskStore inMemory() {
        return new InMemoryTaskStore();
    }
}
