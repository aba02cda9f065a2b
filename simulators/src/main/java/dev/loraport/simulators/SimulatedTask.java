package dev.loraport.simulators;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What both simulators keep about one training task: its id, when it was submitted, the durations it
 * was created with, whether it is scripted to fail, and a raw status a test forced on it. Each simulator extends
 * it with its service's own fields. Not thread-safe: read and changed only under the owning simulator's lock.
 */
class SimulatedTask {

    /** The service's id for the task. */
    final String id;

    /** When the task was submitted, on the simulator's clock; in the past for seeded tasks. */
    final Instant createdAt;

    /** The durations in force when the task was created: later changes do not move running tasks. */
    final TaskDurations durations;

    /** Why training fails when it ends, or null when it succeeds. */
    final @Nullable String failure;

    /** The raw status a test forced, reported instead of the computed one; null until forced. */
    @Nullable
    String forcedRaw;

    /**
     * Creates the task.
     *
     * @param id the service's id
     * @param createdAt when it was submitted
     * @param durations how long it queues, trains and deploys
     * @param failure the failure reason it ends with, or null to succeed
     */
    SimulatedTask(String id, Instant createdAt, TaskDurations durations, @Nullable String failure) {
        this.id = id;
        this.createdAt = createdAt;
        this.durations = durations;
        this.failure = failure;
    }

    /**
     * How long ago the task was submitted.
     *
     * @param now the simulator's time
     * @return the age
     */
    Duration age(Instant now) {
        return Duration.between(createdAt, now);
    }

    /**
     * Whether queueing and training are over (deploying, or done).
     *
     * @param now the simulator's time
     * @return whether training has ended
     */
    boolean trainingOver(Instant now) {
        return !age(now).minus(durations.queue().plus(durations.training())).isNegative();
    }

    /**
     * Whether the trained model can be used for generation: training succeeded and deploying is over.
     *
     * @param now the simulator's time
     * @return whether the model is servable
     */
    boolean servable(Instant now) {
        return failure == null && !age(now).minus(durations.total()).isNegative();
    }

    /**
     * The raw status to report.
     *
     * @param computed the status the clock gives
     * @return the forced status if a test set one, else {@code computed}
     */
    String reported(String computed) {
        return forcedRaw != null ? forcedRaw : computed;
    }
}
