package dev.loraport.watch;

import dev.loraport.TaskId;
import dev.loraport.TaskTimeoutException;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import java.time.Duration;
import java.util.Objects;

/**
 * Waits for a task to become READY, or fails: the check every caller that needs the trained model writes after
 * {@link TrainingProvider#await}.
 *
 * <pre>{@code
 * TrainingTask ready = AwaitReady.awaitReady(provider, task.id(), Duration.ofHours(2));
 * String lora = ready.models().get(0).name();
 * }</pre>
 *
 * @since 0.1
 */
public final class AwaitReady {

    private AwaitReady() {}

    /**
     * Polls the task on the calling thread, as {@link TrainingProvider#await} does, until it ends.
     *
     * @param provider the provider that runs the task
     * @param id the task
     * @param timeout how long to wait at most
     * @return the task, READY
     * @throws TaskNotReadyException when the task ended FAILED or CANCELED
     * @throws TaskTimeoutException when it had not ended by the deadline (it may still be running)
     * @throws dev.loraport.TrainingProviderException when a status call failed for good
     * @throws java.util.concurrent.CancellationException when the thread was interrupted while waiting
     */
    public static TrainingTask awaitReady(TrainingProvider provider, TaskId id, Duration timeout) {
        Objects.requireNonNull(provider, "provider == null");
        Objects.requireNonNull(id, "id == null");
        Objects.requireNonNull(timeout, "timeout == null");
        return requireReady(provider.await(id, timeout));
    }

    /**
     * The task if it is READY; otherwise the exception a caller that needs its model wants.
     *
     * @param task an ended task, such as one {@link TrainingProvider#await} returned
     * @return the same task, READY
     * @throws TaskNotReadyException when it is FAILED or CANCELED
     * @throws IllegalArgumentException when it has not ended
     */
    public static TrainingTask requireReady(TrainingTask task) {
        Objects.requireNonNull(task, "task == null");
        if (task.status() == TrainingStatus.READY) {
            return task;
        }
        if (!task.status().isTerminal()) {
            throw new IllegalArgumentException(
                    "task: " + task.providerId() + " task " + task.id() + " is " + task.status() + ", not ended");
        }
        throw new TaskNotReadyException(task);
    }
}
