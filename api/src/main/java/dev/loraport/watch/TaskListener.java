package dev.loraport.watch;

import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Receives the changes a {@link TaskWatcher} sees in one job. Every method has an empty default, so
 * implement only what you need.
 *
 * <p>Calls for one job come from one thread at a time, in the order the changes were seen, each change
 * exactly once, and never backwards: progress that a service reports going down, or a status that goes back
 * (such as {@code TRAINING} to {@code QUEUED}), is not reported. For one observation the order is
 * {@link #onStatus}, {@link #onProgress}, then {@link #onStalled} or {@link #onTerminal}. Calls run on the
 * watcher's scheduler thread: keep them short. An exception thrown by a listener is logged and ignored.
 *
 * @since 0.1
 */
public interface TaskListener {

    /**
     * The job's progress went up (or was seen for the first time).
     *
     * @param task the job as just reported; {@link TrainingTask#progressPercent()} is present
     */
    default void onProgress(TrainingTask task) {}

    /**
     * The job moved to a later status (or its status was seen for the first time).
     *
     * @param task the job as just reported
     * @param previous the status reported before, or null on the first observation
     */
    default void onStatus(TrainingTask task, @Nullable TrainingStatus previous) {}

    /**
     * The job reached {@link TrainingStatus#READY}, {@link TrainingStatus#FAILED} or
     * {@link TrainingStatus#CANCELED}; called once, just before the watch's future completes.
     *
     * @param task the terminal job
     */
    default void onTerminal(TrainingTask task) {}

    /**
     * Neither the status nor the progress of the job moved for the watcher's stall limit. Called once per
     * stall; the job is still watched and is not failed.
     *
     * @param task the job as last reported
     * @param since when the job last moved
     */
    default void onStalled(TrainingTask task, Instant since) {}

    /**
     * A poll of the job failed. Retryable errors are retried after a back-off; any other error ends the watch
     * and completes its future exceptionally right after this call.
     *
     * @param ref the job
     * @param error what failed
     */
    default void onError(TaskRef ref, RuntimeException error) {}
}
