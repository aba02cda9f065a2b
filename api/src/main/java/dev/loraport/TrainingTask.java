package dev.loraport;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of one training job as the service last reported it. Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class TrainingTask {

    private final TaskId id;
    private final String providerId;
    private final @Nullable String name;
    private final @Nullable TrainingKind kind;
    private final TrainingStatus status;
    private final @Nullable String rawStatus;
    private final @Nullable Integer progressPercent;
    private final @Nullable Duration eta;
    private final @Nullable Instant createdAt;
    private final List<TrainingModel> models;
    private final @Nullable String failureReason;
    private final @Nullable String correlation;

    private TrainingTask(Builder b) {
        this.id = Objects.requireNonNull(b.id, "id == null");
        this.providerId = Objects.requireNonNull(b.providerId, "providerId == null");
        this.status = Objects.requireNonNull(b.status, "status == null");
        if (b.progressPercent != null && (b.progressPercent < 0 || b.progressPercent > 100)) {
            throw new IllegalArgumentException(
                    "progressPercent: " + b.progressPercent + " is out of range; allowed 0..100");
        }
        this.name = b.name;
        this.kind = b.kind;
        this.rawStatus = b.rawStatus;
        this.progressPercent = b.progressPercent;
        this.eta = b.eta;
        this.createdAt = b.createdAt;
        this.models = List.copyOf(b.models);
        this.failureReason = b.failureReason;
        this.correlation = b.correlation;
    }

    /**
     * A new builder.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this snapshot's values.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * The service's job id.
     *
     * @return the id
     */
    public TaskId id() {
        return id;
    }

    /**
     * The provider that runs the job.
     *
     * @return the provider id, such as {@code novita}
     */
    public String providerId() {
        return providerId;
    }

    /**
     * The job's name, when the service reports it.
     *
     * @return the name, or empty
     */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /**
     * What the job learns, when known.
     *
     * @return the kind, or empty
     */
    public Optional<TrainingKind> kind() {
        return Optional.ofNullable(kind);
    }

    /**
     * The neutral status.
     *
     * @return the status
     */
    public TrainingStatus status() {
        return status;
    }

    /**
     * The service's own status string, kept as it was sent.
     *
     * @return the raw status, or empty when the service sent none
     */
    public Optional<String> rawStatus() {
        return Optional.ofNullable(rawStatus);
    }

    /**
     * Progress, when the service reports it.
     *
     * @return 0 to 100, or empty
     */
    public OptionalInt progressPercent() {
        return progressPercent == null ? OptionalInt.empty() : OptionalInt.of(progressPercent);
    }

    /**
     * Time left, when the service estimates it.
     *
     * @return the estimate, or empty
     */
    public Optional<Duration> eta() {
        return Optional.ofNullable(eta);
    }

    /**
     * When the service accepted the job.
     *
     * @return the instant, or empty when the service does not say
     */
    public Optional<Instant> createdAt() {
        return Optional.ofNullable(createdAt);
    }

    /**
     * The models the job produced; empty until training ends.
     *
     * @return an unmodifiable list
     */
    public List<TrainingModel> models() {
        return models;
    }

    /**
     * Why the job failed, when it did and the service said.
     *
     * @return the reason, or empty
     */
    public Optional<String> failureReason() {
        return Optional.ofNullable(failureReason);
    }

    /**
     * The provider's correlation value, when its listing echoes one: the value {@link
     * TrainingProvider#prepareCreate} returned for the create that made this job (Replicate: the uploaded zip's
     * URL). A reconciler matches on it where the listing carries no name.
     *
     * @return the value, or empty when the provider has none
     * @since 0.2
     */
    public Optional<String> correlation() {
        return Optional.ofNullable(correlation);
    }

    private List<Object> values() {
        return Arrays.asList(
                id,
                providerId,
                name,
                kind,
                status,
                rawStatus,
                progressPercent,
                eta,
                createdAt,
                models,
                failureReason,
                correlation);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof TrainingTask other && values().equals(other.values());
    }

    @Override
    public int hashCode() {
        return values().hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TrainingTask{")
                .append(providerId)
                .append(' ')
                .append(id)
                .append(", status=")
                .append(status);
        if (rawStatus != null) {
            sb.append(" (").append(rawStatus).append(')');
        }
        if (progressPercent != null) {
            sb.append(", progress=").append(progressPercent).append('%');
        }
        if (eta != null) {
            sb.append(", eta=").append(eta);
        }
        if (!models.isEmpty()) {
            sb.append(", models=").append(models);
        }
        if (failureReason != null) {
            sb.append(", failureReason=").append(failureReason);
        }
        return sb.append('}').toString();
    }

    /** Builds a {@link TrainingTask}. Not thread-safe. */
    public static final class Builder {
        private @Nullable TaskId id;
        private @Nullable String providerId;
        private @Nullable String name;
        private @Nullable TrainingKind kind;
        private @Nullable TrainingStatus status;
        private @Nullable String rawStatus;
        private @Nullable Integer progressPercent;
        private @Nullable Duration eta;
        private @Nullable Instant createdAt;
        private final List<TrainingModel> models = new ArrayList<>();
        private @Nullable String failureReason;
        private @Nullable String correlation;

        private Builder() {}

        private Builder(TrainingTask t) {
            id = t.id;
            providerId = t.providerId;
            name = t.name;
            kind = t.kind;
            status = t.status;
            rawStatus = t.rawStatus;
            progressPercent = t.progressPercent;
            eta = t.eta;
            createdAt = t.createdAt;
            models.addAll(t.models);
            failureReason = t.failureReason;
            correlation = t.correlation;
        }

        /**
         * Sets the id (required).
         *
         * @param id the id
         * @return this builder
         */
        public Builder id(TaskId id) {
            this.id = id;
            return this;
        }

        /**
         * Sets the provider id (required).
         *
         * @param providerId the provider id
         * @return this builder
         */
        public Builder providerId(String providerId) {
            this.providerId = providerId;
            return this;
        }

        /**
         * Sets the name.
         *
         * @param name the name, or null
         * @return this builder
         */
        public Builder name(@Nullable String name) {
            this.name = name;
            return this;
        }

        /**
         * Sets the kind.
         *
         * @param kind the kind, or null when unknown
         * @return this builder
         */
        public Builder kind(@Nullable TrainingKind kind) {
            this.kind = kind;
            return this;
        }

        /**
         * Sets the neutral status (required).
         *
         * @param status the status
         * @return this builder
         */
        public Builder status(TrainingStatus status) {
            this.status = status;
            return this;
        }

        /**
         * Sets the service's raw status string.
         *
         * @param rawStatus the raw string, or null
         * @return this builder
         */
        public Builder rawStatus(@Nullable String rawStatus) {
            this.rawStatus = rawStatus;
            return this;
        }

        /**
         * Sets the progress.
         *
         * @param progressPercent 0 to 100, or null when unknown
         * @return this builder
         */
        public Builder progressPercent(@Nullable Integer progressPercent) {
            this.progressPercent = progressPercent;
            return this;
        }

        /**
         * Sets the time left.
         *
         * @param eta the estimate, or null when unknown
         * @return this builder
         */
        public Builder eta(@Nullable Duration eta) {
            this.eta = eta;
            return this;
        }

        /**
         * Sets when the job was accepted.
         *
         * @param createdAt the instant, or null when unknown
         * @return this builder
         */
        public Builder createdAt(@Nullable Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        /**
         * Adds a produced model.
         *
         * @param model the model
         * @return this builder
         */
        public Builder addModel(TrainingModel model) {
            models.add(Objects.requireNonNull(model, "model == null"));
            return this;
        }

        /**
         * Replaces the produced models.
         *
         * @param models the models
         * @return this builder
         */
        public Builder models(List<TrainingModel> models) {
            this.models.clear();
            models.forEach(this::addModel);
            return this;
        }

        /**
         * Sets why the job failed.
         *
         * @param failureReason the reason, or null
         * @return this builder
         */
        public Builder failureReason(@Nullable String failureReason) {
            this.failureReason = failureReason;
            return this;
        }

        /**
         * Sets the provider's correlation value the listing echoes (see {@link TrainingTask#correlation()}).
         *
         * @param correlation the value, or null
         * @return this builder
         * @since 0.2
         */
        public Builder correlation(@Nullable String correlation) {
            this.correlation = correlation;
            return this;
        }

        /**
         * Builds the snapshot.
         *
         * @return the task
         * @throws NullPointerException naming a missing id, providerId or status
         */
        public TrainingTask build() {
            return new TrainingTask(this);
        }
    }
}
