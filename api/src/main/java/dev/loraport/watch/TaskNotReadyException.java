package dev.loraport.watch;

import dev.loraport.TaskId;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import java.util.Objects;

/**
 * A task ended without becoming {@link TrainingStatus#READY}: it is {@link TrainingStatus#FAILED} or
 * {@link TrainingStatus#CANCELED}. Thrown by {@link AwaitReady#awaitReady}, so a caller that needs the trained
 * model does not check the status itself. Not a failed call: the service answered, and the job is over.
 *
 * @since 0.1
 */
public class TaskNotReadyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The task as it ended. */
    private final transient TrainingTask task;

    /**
     * Creates the exception.
     *
     * @param task the task as it ended, FAILED or CANCELED
     */
    public TaskNotReadyException(TrainingTask task) {
        super(message(Objects.requireNonNull(task, "task == null")));
        this.task = task;
    }

    private static String message(TrainingTask t) {
        return t.providerId() + " task " + t.id() + " ended " + t.status()
                + t.failureReason().map(r -> ": " + r).orElse("");
    }

    /**
     * The task as it ended.
     *
     * @return the task, its status FAILED or CANCELED
     */
    public TrainingTask task() {
        return task;
    }

    /**
     * How the task ended.
     *
     * @return {@link TrainingStatus#FAILED} or {@link TrainingStatus#CANCELED}
     */
    public TrainingStatus status() {
        return task.status();
    }

    /**
     * The provider that ran the task.
     *
     * @return the provider id
     */
    public String providerId() {
        return task.providerId();
    }

    /**
     * The task.
     *
     * @return its id
     */
    public TaskId taskId() {
        return task.id();
    }
}
