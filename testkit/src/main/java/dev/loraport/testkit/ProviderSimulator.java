package dev.loraport.testkit;

import dev.loraport.ProviderConfig;
import java.time.Duration;
import java.util.List;

/**
 * A stateful simulator of one training service on a loopback port: the service's real paths, field names,
 * quirks and error bodies, jobs that move through the service's states on a {@link VirtualClock}, and
 * scriptable faults. Implementations are thread-safe and usable as JUnit 5 extensions (started before each
 * test, stopped after).
 *
 * <pre>{@code
 * @RegisterExtension final NovitaSimulator novita = NovitaSimulator.create();
 *
 * TrainingProvider provider = TrainingProviders.create("novita", novita.config());
 * TaskId id = provider.create(request).id();
 * novita.clock().advance(Duration.ofMinutes(20));
 * novita.failNext(Endpoint.STATUS, Fault.rateLimited(Duration.ofSeconds(7)));
 * }</pre>
 *
 * @since 0.1
 */
public interface ProviderSimulator extends AutoCloseable {

    /**
     * The id of the provider this simulates.
     *
     * @return {@code novita} or {@code stablediffusionapi}
     */
    String providerId();

    /**
     * Where the simulator listens.
     *
     * @return {@code http://127.0.0.1:<port>}, no trailing slash
     * @throws IllegalStateException when not started
     */
    String baseUrl();

    /**
     * The only API key the simulator accepts.
     *
     * @return the key
     */
    String apiKey();

    /**
     * A configuration pointing an adapter at this simulator: provider id, key, base URL and short timeouts.
     *
     * @return the configuration
     */
    ProviderConfig config();

    /**
     * The clock jobs move on.
     *
     * @return the clock
     */
    VirtualClock clock();

    /** Starts listening; does nothing when already started. */
    void start();

    /** Stops listening. */
    void stop();

    /** Stops listening. */
    @Override
    default void close() {
        stop();
    }

    /**
     * Fails the next call to an endpoint.
     *
     * @param endpoint which calls; {@link Endpoint#ANY} for the next call of any kind
     * @param fault the failure
     */
    void failNext(Endpoint endpoint, Fault fault);

    /**
     * Fails the next call, whatever it is.
     *
     * @param fault the failure
     */
    default void failNext(Fault fault) {
        failNext(Endpoint.ANY, fault);
    }

    /**
     * Fails every n-th call to an endpoint from now on.
     *
     * @param n 1 or more
     * @param endpoint which calls
     * @param fault the failure
     */
    void failEvery(int n, Endpoint endpoint, Fault fault);

    /**
     * Fails calls to an endpoint at random, repeatably.
     *
     * @param probability 0 to 1
     * @param seed the random seed
     * @param endpoint which calls
     * @param fault the failure
     */
    void failRandomly(double probability, long seed, Endpoint endpoint, Fault fault);

    /** Removes every scripted fault. */
    void clearFaults();

    /**
     * How many calls an endpoint received, faulted ones included.
     *
     * @param endpoint the endpoint, or {@link Endpoint#ANY} for all
     * @return the count
     */
    int requestCount(Endpoint endpoint);

    /**
     * How many jobs exist (created, not deleted).
     *
     * @return the count
     */
    int jobsCreated();

    /**
     * The ids of the jobs that exist, oldest first.
     *
     * @return the ids
     */
    List<String> taskIds();

    /**
     * Makes the next created job fail when its training ends.
     *
     * @param reason the failure reason the service reports
     */
    void failNextTraining(String reason);

    /**
     * Makes a job report a raw status string of the test's choosing from now on.
     *
     * @param taskId the job
     * @param rawStatus the string, such as {@code "brand_new_state"}
     */
    void forceRawStatus(String taskId, String rawStatus);

    /**
     * Adds a job as if it had been submitted {@code age} ago, for tests that start from an account with history.
     *
     * @param name the job's name
     * @param age how long ago it was submitted (a job older than its durations is finished)
     * @return the new job's id
     */
    String seedJob(String name, Duration age);

    /**
     * Sets how long jobs created from now on take.
     *
     * @param durations the profile
     */
    void durations(JobDurations durations);
}
