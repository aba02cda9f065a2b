package dev.loraport.adapter.internal;

import dev.loraport.PollPolicy;
import dev.loraport.ProviderUnavailableException;
import dev.loraport.RateLimitedException;
import dev.loraport.TaskId;
import dev.loraport.TrainingProviderException;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import dev.loraport.internal.ImageUploads;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Waits for a generation's images on the calling thread, with the delays of {@link PollPolicy}: between looks at a
 * pending generation {@link PollPolicy#next}, which honours the ETA or progress the service reports, and after
 * transient failures {@link PollPolicy#backoff} (or the service's Retry-After when longer). The policy's floor is
 * the adapter's {@linkplain AdapterSettings#generatePollInterval() poll interval}; a generation without any
 * estimate is looked at once per interval. Thread-safe: each {@link #await} keeps its own state.
 */
public final class GenerationPoll {

    /** The policy's ceiling in poll intervals: a far-off ETA is looked at again after at most this many. */
    public static final int CEILING_INTERVALS = 10;

    private final String providerId;
    private final PollPolicy policy;
    private final Duration timeout;
    private final Clock clock;
    private final ImageUploads.Pause pause;
    private final DoubleSupplier random;

    /**
     * Creates the poll for one adapter.
     *
     * @param settings the adapter's settings: generate timeout, poll interval, clock and pause
     */
    public GenerationPoll(AdapterSettings settings) {
        this(settings, () -> ThreadLocalRandom.current().nextDouble());
    }

    GenerationPoll(AdapterSettings settings, DoubleSupplier random) {
        this.providerId = settings.providerId();
        this.policy = policy(providerId, settings.generatePollInterval());
        this.timeout = settings.generateTimeout();
        this.clock = settings.clock();
        this.pause = settings.pause();
        this.random = random;
    }

    /**
     * The poll policy of a generation: floor {@code interval}, ceiling {@value #CEILING_INTERVALS} intervals, and an
     * expected duration of one interval, so that a generation without ETA or progress is looked at every interval.
     *
     * @param providerId the provider id
     * @param interval the poll interval, positive
     * @return the policy
     */
    public static PollPolicy policy(String providerId, Duration interval) {
        return PollPolicy.builder()
                .minInterval(interval)
                .maxInterval(interval.multipliedBy(CEILING_INTERVALS))
                .expectedDuration(providerId, interval)
                .build();
    }

    /**
     * Looks until the generation is done, fails, or the generate timeout passes.
     *
     * @param what how messages name the generation, such as {@code task 830d9c90}
     * @param first what the submit response already says, or null to look at once
     * @param look one look at the generation; throws when the generation failed
     * @param <T> the result
     * @return the result of the look that found it done
     * @throws ProviderUnavailableException when the timeout passes first, or the wait is interrupted
     * @throws TrainingProviderException the look's own failure when it cannot be retried, or is the last
     */
    public <T> T await(String what, @Nullable Look<T> first, Supplier<Look<T>> look) {
        Instant since = clock.instant();
        Instant deadline = saturatedPlus(since, timeout);
        PollPolicy.Memory memory = PollPolicy.Memory.none();
        int failures = 0;
        Look<T> current = first;
        while (true) {
            Duration wait;
            if (current == null) {
                try {
                    current = look.get();
                    failures = 0;
                } catch (TrainingProviderException e) {
                    // A look is safe to repeat; a transient failure only delays the next one.
                    if (!e.isRetryable() || !clock.instant().isBefore(deadline)) {
                        throw e;
                    }
                    failures++;
                    wait = policy.backoff(failures, random.getAsDouble());
                    if (e instanceof RateLimitedException rl
                            && rl.retryAfter().isPresent()
                            && rl.retryAfter().get().compareTo(wait) > 0) {
                        wait = rl.retryAfter().get();
                    }
                    sleep(wait, deadline);
                    continue;
                }
            }
            if (current.result != null) {
                return current.result;
            }
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                throw new ProviderUnavailableException(
                        providerId, "generate", "no images after " + timeout + " (" + what + ")", null, null, null);
            }
            PollPolicy.Next next = policy.next(
                    current.asTask(providerId, what, since),
                    now,
                    since,
                    memory,
                    PollPolicy.Shared.alone(),
                    random.getAsDouble());
            memory = next.memory();
            sleep(next.delay(), deadline);
            current = null;
        }
    }

    private void sleep(Duration wait, Instant deadline) {
        // Never past the deadline: the last look comes at it, so images that just arrived are not reported late.
        long left = Duration.between(clock.instant(), deadline).toMillis();
        Duration d = Duration.ofMillis(Math.max(1, Math.min(wait.toMillis(), left)));
        try {
            pause.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderUnavailableException(providerId, "generate", "interrupted while waiting", null, null, e);
        }
    }

    private static Instant saturatedPlus(Instant start, Duration d) {
        try {
            return start.plus(d);
        } catch (ArithmeticException | DateTimeException e) {
            return Instant.MAX;
        }
    }

    /**
     * What one look at a generation found: its result, or that it is pending with the estimate the service gave.
     *
     * @param <T> the result
     */
    public static final class Look<T> {
        private final @Nullable T result;
        private final @Nullable Duration eta;
        private final @Nullable Integer progressPercent;

        private Look(@Nullable T result, @Nullable Duration eta, @Nullable Integer progressPercent) {
            this.result = result;
            this.eta = eta;
            this.progressPercent = progressPercent;
        }

        /**
         * The generation is done.
         *
         * @param result its result
         * @param <T> the result
         * @return the look
         */
        public static <T> Look<T> done(T result) {
            return new Look<>(Objects.requireNonNull(result, "result == null"), null, null);
        }

        /**
         * The generation is still pending.
         *
         * @param eta the time left the service estimates, or null; zero or less counts as none
         * @param progressPercent how far it is, or null; only 1 to 99 counts
         * @param <T> the result
         * @return the look
         */
        public static <T> Look<T> pending(@Nullable Duration eta, @Nullable Integer progressPercent) {
            return new Look<>(
                    null,
                    eta == null || eta.isNegative() || eta.isZero() ? null : eta,
                    progressPercent == null || progressPercent < 1 || progressPercent > 99 ? null : progressPercent);
        }

        // The policy paces training tasks; a pending generation is one that started when it was submitted.
        private TrainingTask asTask(String providerId, String what, Instant since) {
            return TrainingTask.builder()
                    .id(TaskId.of(what))
                    .providerId(providerId)
                    .status(TrainingStatus.TRAINING)
                    .createdAt(since)
                    .eta(eta)
                    .progressPercent(progressPercent)
                    .build();
        }
    }
}
