package dev.loraport;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A task did not reach a terminal status before the deadline its caller set. The task itself may still be
 * running: {@link #providerId()} and {@link #taskId()} find it again.
 *
 * @since 0.1
 */
public class TaskTimeoutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The provider that runs the task. */
    private final String providerId;

    /** The task. */
    private final TaskId taskId;

    /** The caller's reference for the task, or null. */
    private final @Nullable String clientReference;

    /** The deadline that passed. */
    private final Instant deadline;

    /** The task as last seen, or null. */
    private final @Nullable TrainingTask lastSeen;

    /**
     * Creates the exception.
     *
     * @param providerId the provider that runs the task
     * @param taskId the task
     * @param clientReference the caller's reference for the task, or null
     * @param deadline the deadline that passed
     * @param lastSeen the task as last reported, or null when no poll succeeded
     */
    public TaskTimeoutException(
            String providerId,
            TaskId taskId,
            @Nullable String clientReference,
            Instant deadline,
            @Nullable TrainingTask lastSeen) {
        super(message(providerId, taskId, deadline, lastSeen));
        this.providerId = Objects.requireNonNull(providerId, "providerId == null");
        this.taskId = Objects.requireNonNull(taskId, "taskId == null");
        this.clientReference = clientReference;
        this.deadline = Objects.requireNonNull(deadline, "deadline == null");
        this.lastSeen = lastSeen;
    }

    private static String message(String providerId, TaskId taskId, Instant deadline, @Nullable TrainingTask lastSeen) {
        return providerId + " task " + taskId + " was not terminal at its deadline " + deadline
                + (lastSeen == null ? "; no status was read" : "; last status " + lastSeen.status());
    }

    /**
     * The provider that runs the task.
     *
     * @return the provider id
     */
    public String providerId() {
        return providerId;
    }

    /**
     * The task that timed out.
     *
     * @return the task id
     */
    public TaskId taskId() {
        return taskId;
    }

    /**
     * The caller's own reference for the task.
     *
     * @return the reference, or empty when none was given
     */
    public Optional<String> clientReference() {
        return Optional.ofNullable(clientReference);
    }

    /**
     * The deadline that passed.
     *
     * @return the deadline, on the clock of whoever waited
     */
    public Instant deadline() {
        return deadline;
    }

    /**
     * The task as last reported before the deadline.
     *
     * @return the snapshot, or empty when no poll succeeded
     */
    public Optional<TrainingTask> lastSeen() {
        return Optional.ofNullable(lastSeen);
    }
}
