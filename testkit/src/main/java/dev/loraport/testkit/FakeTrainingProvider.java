package dev.loraport.testkit;

import dev.loraport.GeneratedImage;
import dev.loraport.GenerationRequest;
import dev.loraport.GenerationResult;
import dev.loraport.Page;
import dev.loraport.PageRequest;
import dev.loraport.ProviderCapabilities;
import dev.loraport.ProviderInfo;
import dev.loraport.ProviderUnavailableException;
import dev.loraport.TaskId;
import dev.loraport.TaskNotFoundException;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingModel;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingProviderException;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import dev.loraport.simulators.TaskDurations;
import dev.loraport.simulators.VirtualClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory {@link TrainingProvider} for users' unit tests: no HTTP, jobs move QUEUED → TRAINING →
 * DEPLOYING → READY on a {@link VirtualClock}, requests are validated against its capabilities, and failures
 * can be scripted like retrofit-mock's {@code NetworkBehavior}. Thread-safe.
 *
 * <pre>{@code
 * FakeTrainingProvider fake = FakeTrainingProvider.builder().build();
 * TaskId id = fake.create(request).id();
 * fake.clock().advance(Duration.ofMinutes(10));
 * assertThat(fake.status(id).status()).isEqualTo(TrainingStatus.READY);
 * }</pre>
 *
 * @since 0.1
 */
public final class FakeTrainingProvider implements TrainingProvider {

    private final ProviderInfo info;
    private final VirtualClock clock;
    private final TaskDurations durations;
    private final double failurePercent;
    private final Random random;
    private final Supplier<TrainingProviderException> failure;
    private final Map<String, FakeTask> jobs = new LinkedHashMap<>();
    private final Deque<TrainingProviderException> scripted = new ArrayDeque<>();
    private final List<TrainingRequest> created = new ArrayList<>();
    private int seq;

    private record FakeTask(
            TrainingRequest request,
            String id,
            Instant createdAt,
            boolean canceled,
            @Nullable String failure,
            @Nullable String forcedRaw) {}

    private final Deque<String> trainingFailures = new ArrayDeque<>();

    private FakeTrainingProvider(Builder b) {
        this.info = new ProviderInfo(b.providerId, "Fake (" + b.providerId + ")", b.capabilities);
        this.clock = b.clock;
        this.durations = b.durations;
        this.failurePercent = b.failurePercent;
        this.random = new Random(b.seed);
        String id = b.providerId;
        this.failure = b.failure != null
                ? b.failure
                : () -> new ProviderUnavailableException(id, "fake", "injected failure", 503, null, null);
    }

    /**
     * A builder with permissive defaults.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The clock its jobs move on.
     *
     * @return the clock
     */
    public VirtualClock clock() {
        return clock;
    }

    /**
     * Makes the next call of any operation throw.
     *
     * @param error the exception
     */
    public synchronized void failNext(TrainingProviderException error) {
        scripted.add(Objects.requireNonNull(error, "error == null"));
    }

    /**
     * Makes the next created job fail, with this reason, when its training ends.
     *
     * @param reason the failure reason
     */
    public synchronized void failNextTraining(String reason) {
        trainingFailures.add(Objects.requireNonNull(reason, "reason == null"));
    }

    /**
     * Makes a job report a raw status of the test's choosing (neutral status UNKNOWN) from now on.
     *
     * @param taskId the job
     * @param rawStatus the raw string
     */
    public synchronized void forceRawStatus(String taskId, String rawStatus) {
        FakeTask j = jobs.get(taskId);
        if (j == null) {
            throw new IllegalArgumentException("no job " + taskId);
        }
        jobs.put(taskId, new FakeTask(j.request(), j.id(), j.createdAt(), j.canceled(), j.failure(), rawStatus));
    }

    /**
     * How many jobs exist (created, not deleted).
     *
     * @return the count
     */
    public synchronized int taskCount() {
        return jobs.size();
    }

    /**
     * Every request {@link #create} accepted, in order.
     *
     * @return a copy
     */
    public synchronized List<TrainingRequest> createdRequests() {
        return List.copyOf(created);
    }

    private void maybeFail() {
        TrainingProviderException next = scripted.poll();
        if (next != null) {
            throw next;
        }
        if (failurePercent > 0 && random.nextDouble() * 100 < failurePercent) {
            throw failure.get();
        }
    }

    @Override
    public ProviderInfo info() {
        return info;
    }

    @Override
    public synchronized TrainingTask create(TrainingRequest request) {
        info.capabilities().validate(info.id(), request);
        maybeFail();
        String id = "fake-" + (++seq);
        jobs.put(id, new FakeTask(request, id, clock.now(), false, trainingFailures.poll(), null));
        created.add(request);
        return view(jobs.get(id));
    }

    @Override
    public synchronized TrainingTask status(TaskId id) {
        maybeFail();
        FakeTask job = jobs.get(id.value());
        if (job == null) {
            throw new TaskNotFoundException(info.id(), "status", "unknown task " + id, 404, null, null);
        }
        return view(job);
    }

    @Override
    public synchronized Page<TrainingTask> list(PageRequest page) {
        maybeFail();
        List<FakeTask> all = new ArrayList<>(jobs.values());
        int from = page.cursor() == null ? 0 : Integer.parseInt(page.cursor());
        int to = Math.min(all.size(), from + page.limit());
        List<TrainingTask> items = new ArrayList<>();
        for (FakeTask j : all.subList(Math.min(from, to), to)) {
            items.add(view(j));
        }
        return new Page<>(items, to < all.size() ? Integer.toString(to) : null);
    }

    @Override
    public synchronized void cancel(TaskId id) {
        maybeFail();
        FakeTask job = jobs.get(id.value());
        if (job == null) {
            throw new TaskNotFoundException(info.id(), "cancel", "unknown task " + id, 404, null, null);
        }
        jobs.put(
                job.id(), new FakeTask(job.request(), job.id(), job.createdAt(), true, job.failure(), job.forcedRaw()));
    }

    @Override
    public synchronized void delete(TaskId id) {
        maybeFail();
        if (jobs.remove(id.value()) == null) {
            throw new TaskNotFoundException(info.id(), "delete", "unknown task " + id, 404, null, null);
        }
    }

    @Override
    public synchronized GenerationResult generate(GenerationRequest request) {
        info.capabilities().validate(info.id(), request);
        maybeFail();
        List<GeneratedImage> images = new ArrayList<>();
        for (int i = 0; i < request.imageCount(); i++) {
            images.add(GeneratedImage.of(
                    URI.create("https://fake.invalid/images/" + (++seq) + ".png"),
                    clock.now().plusSeconds(3600)));
        }
        return new GenerationResult(images, "gen-" + seq);
    }

    private TrainingTask view(FakeTask job) {
        Duration age = Duration.between(job.createdAt(), clock.now());
        TrainingStatus status;
        Integer progress = null;
        Duration eta = null;
        List<TrainingModel> models = new ArrayList<>();
        Duration trainEnd = durations.queue().plus(durations.training());
        String reason = null;
        if (job.forcedRaw() != null) {
            status = TrainingStatus.UNKNOWN;
        } else if (job.canceled()) {
            status = TrainingStatus.CANCELED;
        } else if (age.compareTo(durations.queue()) < 0) {
            status = TrainingStatus.QUEUED;
        } else if (age.compareTo(trainEnd) < 0) {
            status = TrainingStatus.TRAINING;
            progress = (int) (age.minus(durations.queue()).toMillis()
                    * 100
                    / Math.max(1, durations.training().toMillis()));
            eta = durations.total().minus(age);
        } else if (job.failure() != null) {
            status = TrainingStatus.FAILED;
            reason = job.failure();
        } else if (age.compareTo(durations.total()) < 0) {
            status = TrainingStatus.DEPLOYING;
            models.add(new TrainingModel(job.id() + ".safetensors", TrainingStatus.DEPLOYING, "DEPLOYING"));
        } else {
            status = TrainingStatus.READY;
            models.add(new TrainingModel(job.id() + ".safetensors", TrainingStatus.READY, "READY"));
        }
        return TrainingTask.builder()
                .id(TaskId.of(job.id()))
                .providerId(info.id())
                .name(job.request().name())
                .kind(job.request().kind())
                .status(status)
                .rawStatus(job.forcedRaw() != null ? job.forcedRaw() : status.name())
                .failureReason(reason)
                .progressPercent(progress)
                .eta(eta)
                .createdAt(job.createdAt())
                .models(models)
                .build();
    }

    /** Builds a {@link FakeTrainingProvider}. Not thread-safe. */
    public static final class Builder {
        private String providerId = "fake";
        private ProviderCapabilities capabilities = ProviderCapabilities.builder()
                .trainingKinds(TrainingKind.SUBJECT, TrainingKind.STYLE)
                .supportsCancel(true)
                .supportsDelete(true)
                .supportsList(true)
                .listIncludesStatus(true)
                .listIncludesNames(true)
                .supportsGenerate(true)
                .supportsImg2img(true)
                .loras(5, 0, 1)
                .build();
        private VirtualClock clock = VirtualClock.manual();
        private TaskDurations durations =
                TaskDurations.of(Duration.ofMinutes(1), Duration.ofMinutes(8), Duration.ofMinutes(1));
        private double failurePercent;
        private long seed = 42;
        private @Nullable Supplier<TrainingProviderException> failure;

        private Builder() {}

        /**
         * Sets the provider id (default {@code fake}).
         *
         * @param providerId the id
         * @return this builder
         */
        public Builder providerId(String providerId) {
            this.providerId = providerId;
            return this;
        }

        /**
         * Sets the capabilities requests are validated against.
         *
         * @param capabilities the capabilities
         * @return this builder
         */
        public Builder capabilities(ProviderCapabilities capabilities) {
            this.capabilities = capabilities;
            return this;
        }

        /**
         * Sets the clock.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(VirtualClock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Sets the job durations.
         *
         * @param durations the profile
         * @return this builder
         */
        public Builder durations(TaskDurations durations) {
            this.durations = durations;
            return this;
        }

        /**
         * Fails this share of calls at random, repeatably.
         *
         * @param percent 0 to 100
         * @param seed the random seed
         * @param error what to throw (default: a 503 {@link ProviderUnavailableException})
         * @return this builder
         */
        public Builder failures(double percent, long seed, @Nullable Supplier<TrainingProviderException> error) {
            if (!(percent >= 0 && percent <= 100)) {
                throw new IllegalArgumentException("percent: " + percent + " is out of range; allowed 0..100");
            }
            this.failurePercent = percent;
            this.seed = seed;
            this.failure = error;
            return this;
        }

        /**
         * Builds the fake.
         *
         * @return the fake
         */
        public FakeTrainingProvider build() {
            return new FakeTrainingProvider(this);
        }
    }
}
