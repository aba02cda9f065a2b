package dev.loraport.simulators;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a simulated job spends queued, training and deploying.
 *
 * @param queue waiting for a machine
 * @param training training proper
 * @param deploy packaging and deploying the model after training
 * @since 0.1
 */
public record TaskDurations(Duration queue, Duration training, Duration deploy) {

    /**
     * Rejects negative durations.
     *
     * @param queue waiting for a machine
     * @param training training proper
     * @param deploy packaging and deploying the model after training
     */
    public TaskDurations {
        for (Duration d : new Duration[] {
            Objects.requireNonNull(queue, "queue == null"),
            Objects.requireNonNull(training, "training == null"),
            Objects.requireNonNull(deploy, "deploy == null")
        }) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("durations must not be negative: " + d);
            }
        }
    }

    /**
     * The durations.
     *
     * @param queue waiting for a machine
     * @param training training proper
     * @param deploy packaging and deploying
     * @return the profile
     */
    public static TaskDurations of(Duration queue, Duration training, Duration deploy) {
        return new TaskDurations(queue, training, deploy);
    }

    /**
     * The whole job.
     *
     * @return queue + training + deploy
     */
    public Duration total() {
        return queue.plus(training).plus(deploy);
    }
}
