package dev.loraport;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A job did not reach a terminal status before the deadline its caller set. The job itself may still be
 * running: {@link #ref()} finds it again.
 *
 * @since 0.1
 */
public class TaskTimeoutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The job. */
    private final TaskRef ref;

    /** The job as last seen, or null. */
    private final @Nullable TrainingTask lastSeen;

    /**
     * Creates the exception.
     *
     * @param ref the job
     * @param deadline the deadline that passed
     * @param lastSeen the job as last reported, or null when no poll succeeded
     */
    public TaskTimeoutException(TaskRef ref, Instant deadline, @Nullable TrainingTask lastSeen) {
        super(message(ref, deadline, lastSeen));
        this.ref = Objects.requireNonNull(ref, "ref == null");
        this.lastSeen = lastSeen;
    }

    private static String message(TaskRef ref, Instant deadline, @Nullable TrainingTask lastSeen) {
        return ref.providerId() + " task " + ref.taskId() + " was not terminal at its deadline " + deadline
                + (lastSeen == null ? "; no status was read" : "; last status " + lastSeen.status());
    }

    /**
     * The job that timed out.
     *
     * @return the reference
     */
    public TaskRef ref() {
        return ref;
    }

    /**
     * The job as last reported before the deadline.
     *
     * @return the snapshot, or empty when no poll succeeded
     */
    public Optional<TrainingTask> lastSeen() {
        return Optional.ofNullable(lastSeen);
    }
}
