package dev.loraport.simulators;

import java.time.Instant;
import java.util.Objects;

/**
 * When a simulated training task's phases really began and ended, on its simulator's clock, as
 * {@link SimulatorServer#taskTimeline(String)} reports them. A client sees each change only at its next poll; the
 * difference is what a benchmark of status delivery measures. Immutable.
 *
 * @param taskId the service's id of the task
 * @param submitted when the create was accepted; queueing starts here
 * @param trainingStarted when queueing ended and training began
 * @param trainingEnded when training ended: deploying begins here for a task that succeeds, and a failing task
 *     fails here
 * @param ended when the task reached its terminal status: servable (READY) for one that succeeds, the failure
 *     for one that fails
 * @param succeeds whether the task ends READY
 * @since 0.1
 */
public record TaskTimeline(
        String taskId,
        Instant submitted,
        Instant trainingStarted,
        Instant trainingEnded,
        Instant ended,
        boolean succeeds) {

    /**
     * Checks that every instant is given and that the phases are in order.
     *
     * @throws IllegalArgumentException when a phase ends before it begins
     */
    public TaskTimeline {
        Objects.requireNonNull(taskId, "taskId == null");
        Objects.requireNonNull(submitted, "submitted == null");
        Objects.requireNonNull(trainingStarted, "trainingStarted == null");
        Objects.requireNonNull(trainingEnded, "trainingEnded == null");
        Objects.requireNonNull(ended, "ended == null");
        if (trainingStarted.isBefore(submitted)
                || trainingEnded.isBefore(trainingStarted)
                || ended.isBefore(trainingEnded)) {
            throw new IllegalArgumentException("phases out of order: submitted " + submitted + ", training "
                    + trainingStarted + " to " + trainingEnded + ", ended " + ended);
        }
    }
}
