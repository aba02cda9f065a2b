package dev.loraport.watch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
 * processes also gives them a lock per provider account ({@link #locked}), and a store that
 * {@linkplain #supportsLeases supports leases} lets several watchers share the jobs, each polled by one of them at
 * a time ({@link TaskWatcher.Builder#leases}).
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
     * The task ids that creates have seen in one provider account's listing, for services whose listing shows
     * no names (ModelsLab). The decorators add every id of a listing taken under the {@linkplain #locked account
     * lock} while no other create of the account is unsettled; so a later listing's job that is neither among
     * them nor journaled was made by a create whose worker died or lost the answer, and is matched to it.
     *
     * @param providerId the provider id
     * @param account the account fingerprint
     * @return the ids, or empty when this store does not keep them; such a create's outcome then stays unknown
     *     until a person settles it
     * @throws java.io.UncheckedIOException when the store cannot be read
     */
    default Optional<Set<String>> listedTasks(String providerId, String account) {
        return Optional.empty();
    }

    /**
     * Adds task ids to {@link #listedTasks}; does nothing in a store that does not keep them.
     *
     * @param providerId the provider id
     * @param account the account fingerprint
     * @param taskIds the ids seen
     * @throws java.io.UncheckedIOException when the store cannot be written
     */
    default void addListedTasks(String providerId, String account, Collection<String> taskIds) {}

    /**
     * Whether this store shares watched jobs among several {@link TaskWatcher}s through leases
     * ({@link #claim}, {@link #hold}, {@link #renew}, {@link #release}, {@link #finish}). The in-memory store
     * does, within one JVM; a shared database store does across the fleet; the file store does not.
     *
     * @return whether the lease methods work; when false they throw {@link UnsupportedOperationException}
     */
    default boolean supportsLeases() {
        return false;
    }

    /**
     * Takes the lease of up to {@code max} stored jobs that no worker holds: never leased, released, or whose
     * lease ran out (a dead worker's). Refs marked by {@link TaskRef#endedBy()} are not claimed: their watch
     * ended for a reason a person should see, and {@link TaskWatcher#resume} clears the mark. Several callers
     * at once never claim the same job; the lease's clock is the store's (one clock for the fleet).
     *
     * @param owner the claiming worker's id
     * @param providerIds only jobs of these providers
     * @param lease how long the lease lasts unless {@linkplain #renew renewed}
     * @param max the most jobs to claim, at least 1
     * @return the claimed refs, oldest first
     * @throws UnsupportedOperationException when {@link #supportsLeases()} is false
     * @throws java.io.UncheckedIOException when the store cannot be written
     */
    default List<TaskRef> claim(String owner, Collection<String> providerIds, Duration lease, int max) {
        throw leasesUnsupported();
    }

    /**
     * Saves a ref and takes its lease, as a leased watcher does for a job it starts watching, unless another
     * worker holds a lease on that job that has not run out.
     *
     * @param owner the worker's id
     * @param ref the job
     * @param lease how long the lease lasts unless renewed
     * @return whether the caller now holds the lease; when false the store is unchanged
     * @throws UnsupportedOperationException when {@link #supportsLeases()} is false
     * @throws java.io.UncheckedIOException when the store cannot be written
     */
    default boolean hold(String owner, TaskRef ref, Duration lease) {
        throw leasesUnsupported();
    }

    /**
     * Extends the caller's leases. A job whose lease ran out is taken again if no one else took it; a job that
     * another worker now holds, or that is no longer stored (it ended), is not.
     *
     * @param owner the worker's id
     * @param refs the jobs the worker watches
     * @param lease the new length of each lease, from now
     * @return those of {@code refs} the caller still holds
     * @throws UnsupportedOperationException when {@link #supportsLeases()} is false
     * @throws java.io.UncheckedIOException when the store cannot be written
     */
    default Set<TaskRef> renew(String owner, Collection<TaskRef> refs, Duration lease) {
        throw leasesUnsupported();
    }

    /**
     * Gives up the caller's leases, keeping the refs, so that other workers claim the jobs at once rather than
     * when the leases run out; leases held by others are untouched.
     *
     * @param owner the worker's id
     * @param refs the jobs
     * @throws UnsupportedOperationException when {@link #supportsLeases()} is false
     * @throws java.io.UncheckedIOException when the store cannot be written
     */
    default void release(String owner, Collection<TaskRef> refs) {
        throw leasesUnsupported();
    }

    /**
     * Forgets a job that reached its end, if the caller holds it (its lease, even one that ran out, that no one
     * took since). Exactly one worker of the fleet gets true for a job: the one that reports its end.
     *
     * @param owner the worker's id
     * @param ref the job
     * @return whether this call removed it
     * @throws UnsupportedOperationException when {@link #supportsLeases()} is false
     * @throws java.io.UncheckedIOException when the store cannot be written
     */
    default boolean finish(String owner, TaskRef ref) {
        throw leasesUnsupported();
    }

    private UnsupportedOperationException leasesUnsupported() {
        return new UnsupportedOperationException(
                this + " does not support leases; share jobs among watchers with a store that does, such as"
                        + " PostgresTaskStore (loraport-store-postgres) or TaskStore.inMemory() within one JVM");
    }

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
     * byte-order mark are valid. Every change rereads the file under a lock on {@code <file>.lock}, so processes on
     * one machine share the refs safely, as they share the create journal beside them ({@code <file>.journal}), the
     * ids listings showed ({@code <file>.listed}) and the account locks. {@link #load()} of a file never saved
     * creates nothing. The file store does not {@linkplain #supportsLeases lease}.
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
