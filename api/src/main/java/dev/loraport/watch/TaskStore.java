package dev.loraport.watch;

import java.nio.file.Path;
import java.util.List;

/**
 * Keeps the {@link TaskRef}s of watched jobs so that a process that dies while jobs train can pick them up
 * again with {@link TaskWatcher#resume}. A {@link TaskWatcher} given a store saves a task's ref before
 * {@code watch} returns and removes it only when the task is terminal or the handle is cancelled. A poll error
 * or a deadline ends the handle but keeps the ref (the task may still run, and bill), saved again with
 * {@link TaskRef#endedBy()} saying why; closing the watcher keeps the refs unmarked. {@code resume} clears the
 * mark.
 *
 * <p>Implementations are thread-safe. Refs are keyed by provider id and task id: saving a ref for a job
 * already stored replaces it.
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
     * A store kept in one local text file, one ref per line (as {@link TaskRef#toString()} writes it) between a
     * header and a trailer counting them; files written before {@link TaskRef#endedBy()} existed read unchanged.
     * Every change rewrites the file atomically: the new content goes to {@code <file>.tmp}, is forced to disk,
     * then moved over the file with {@link java.nio.file.StandardCopyOption#ATOMIC_MOVE}. A crash mid-write
     * therefore leaves the previous file intact; a leftover temporary file is ignored and overwritten. A file
     * that is truncated or altered (no header, wrong count, unreadable line) makes {@link #load()} fail with a
     * message naming the file and line, leaving it untouched; the next {@link #save} or {@link #remove} moves it
     * aside to {@code <file>.corrupt-<millis>} for a person to inspect, logs that as an error and records on in a
     * fresh file, so that new tasks are not recorded nowhere. An empty file, CRLF line ends and a UTF-8
     * byte-order mark are valid. Meant for one process at a time.
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
