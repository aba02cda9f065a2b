package dev.loraport.simulators;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The tasks a simulator holds, oldest first, and how it makes their ids. {@link SimulatorServer} answers the
 * task-steering API (count, ids, seeding, forced statuses) from it, so each simulator only says how its ids look
 * and how a seeded task is made. Not thread-safe: used only under the owning simulator's lock.
 *
 * @param <T> the simulator's task type
 */
final class TaskBook<T extends SimulatedTask> {

    /**
     * Makes a task that was submitted some time ago and is scripted to succeed.
     *
     * @param <T> the simulator's task type
     */
    @FunctionalInterface
    interface Seeder<T> {
        /**
         * Makes the task.
         *
         * @param id the new id
         * @param name the task's name, for services that keep one
         * @param createdAt when it was submitted
         * @param durations how long it takes
         * @return the task
         */
        T seed(String id, String name, Instant createdAt, TaskDurations durations);
    }

    // Insertion order is what taskIds() and the services' listings report.
    private final Map<String, T> tasks = new LinkedHashMap<>();
    private final Supplier<String> ids;
    private final Seeder<T> seeder;

    /**
     * Creates an empty book.
     *
     * @param ids makes a new id in the service's format
     * @param seeder makes a seeded task
     */
    TaskBook(Supplier<String> ids, Seeder<T> seeder) {
        this.ids = ids;
        this.seeder = seeder;
    }

    /**
     * Adds a task under a new id.
     *
     * @param make makes the task from its id
     * @return the task
     */
    T add(Function<String, T> make) {
        T task = make.apply(ids.get());
        tasks.put(task.id, task);
        return task;
    }

    /**
     * Adds a task as if it had been submitted at {@code createdAt}.
     *
     * @param name the task's name
     * @param createdAt when it was submitted
     * @param durations how long it takes
     * @return the task
     */
    T seed(String name, Instant createdAt, TaskDurations durations) {
        return add(id -> seeder.seed(id, name, createdAt, durations));
    }

    /**
     * A task by id.
     *
     * @param id the id, or null
     * @return the task, or null when there is none
     */
    @Nullable
    T get(@Nullable String id) {
        return id == null ? null : tasks.get(id);
    }

    /**
     * Deletes a task.
     *
     * @param id the id
     * @return the deleted task, or null when there was none
     */
    @Nullable
    T remove(String id) {
        return tasks.remove(id);
    }

    /**
     * Makes a task report a given raw status from now on.
     *
     * @param id the task's id
     * @param rawStatus the status
     * @throws IllegalArgumentException when there is no such task
     */
    void forceRawStatus(String id, String rawStatus) {
        T task = tasks.get(id);
        if (task == null) {
            throw new IllegalArgumentException("no job " + id);
        }
        task.forcedRaw = rawStatus;
    }

    /**
     * The tasks, oldest first; a live view.
     *
     * @return the tasks
     */
    Collection<T> all() {
        return tasks.values();
    }

    /**
     * The tasks, newest first, as the services list them.
     *
     * @return a copy
     */
    List<T> newestFirst() {
        List<T> list = new ArrayList<>(tasks.values());
        Collections.reverse(list);
        return list;
    }

    /**
     * The ids, oldest first.
     *
     * @return a copy
     */
    List<String> ids() {
        return new ArrayList<>(tasks.keySet());
    }

    /**
     * How many tasks exist.
     *
     * @return the count
     */
    int size() {
        return tasks.size();
    }
}
