package dev.loraport.watch;

import dev.loraport.TaskId;
import dev.loraport.TaskTimeoutException;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingProviderException;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One job followed by a {@link TaskWatcher}. Thread-safe.
 *
 * @since 0.1
 */
public interface WatchHandle {

    /**
     * The job, in a form that can be stored and resumed after a restart.
     *
     * @return the reference
     */
    TaskRef ref();

    /**
     * Completes with the job once it is terminal: {@link TrainingStatus#READY}, {@link TrainingStatus#FAILED}
     * and {@link TrainingStatus#CANCELED} all complete normally, since a failed job is data. Completes
     * exceptionally with {@link TaskTimeoutException} at the watch's deadline, with the
     * {@link TrainingProviderException} of a poll that cannot be retried, and with a
     * {@link java.util.concurrent.CancellationException} when the watch is cancelled or the watcher closed.
     * Cancelling or completing this future yourself also ends the watch.
     *
     * @return the same future on every call
     */
    CompletableFuture<TrainingTask> result();

    /**
     * The job as last reported by the service.
     *
     * @return the last snapshot, or empty before the first successful poll
     */
    Optional<TrainingTask> latest();

    /**
     * Stops watching; the job itself goes on (use {@link TrainingProvider#cancel(TaskId)} to stop it). Does
     * nothing when the watch has already ended.
     */
    void cancel();
}
