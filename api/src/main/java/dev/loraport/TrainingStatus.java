package dev.loraport;

/**
 * The state of a training job, one vocabulary for every service. Adapters map each raw status of
 * their service here and keep the raw string on {@link TrainingTask#rawStatus()}.
 *
 * @since 0.1
 */
public enum TrainingStatus {
    /** Accepted and waiting for a machine. */
    QUEUED,
    /** Training is running. */
    TRAINING,
    /** Training finished; the model is being packaged or deployed and cannot be used yet. */
    DEPLOYING,
    /** The trained model can be used for generation. */
    READY,
    /** The job failed; {@link TrainingTask#failureReason()} may say why. */
    FAILED,
    /** The job was cancelled before it finished. */
    CANCELED,
    /** The service reported a status this library does not know; keep polling. */
    UNKNOWN;

    /**
     * Whether the job will not change any more.
     *
     * @return {@code true} for {@link #READY}, {@link #FAILED} and {@link #CANCELED}
     */
    public boolean isTerminal() {
        return this == READY || this == FAILED || this == CANCELED;
    }
}
