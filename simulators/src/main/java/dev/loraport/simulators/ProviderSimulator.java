package dev.loraport.simulators;

import dev.loraport.ProviderConfig;

/**
 * What {@code TrainingProviderContract} asks of a simulated service, and nothing more: its configuration and
 * clock, faults, request counts and a few ways to steer a task. {@link SimulatorServer} implements it for the
 * HTTP simulators and adds their lifecycle and scripting; a third party testing its own adapter implements just
 * these methods. Implementations are thread-safe.
 *
 * <pre>{@code
 * NovitaSimulator novita = NovitaSimulator.create();
 * novita.start();
 *
 * TrainingProvider provider = TrainingProviders.create("novita", novita.config());
 * TaskId id = provider.create(request).id();
 * novita.clock().advance(Duration.ofMinutes(20));
 * novita.failNext(Endpoint.STATUS, Fault.rateLimited(Duration.ofSeconds(7)));
 * }</pre>
 *
 * @since 0.1
 */
public interface ProviderSimulator {

    /**
     * The id of the provider this simulates.
     *
     * @return {@code novita} or {@code stablediffusionapi}
     */
    String providerId();

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
     * The clock tasks move on.
     *
     * @return the clock
     */
    VirtualClock clock();

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
     * How many calls an endpoint received, faulted ones included.
     *
     * @param endpoint the endpoint, or {@link Endpoint#ANY} for all
     * @return the count
     */
    int requestCount(Endpoint endpoint);

    /**
     * How many tasks exist (created, not deleted).
     *
     * @return the count
     */
    int tasksCreated();

    /**
     * Makes the next created task fail when its training ends.
     *
     * @param reason the failure reason the service reports
     */
    void failNextTraining(String reason);

    /**
     * Makes a task report a raw status string of the test's choosing from now on.
     *
     * @param taskId the task
     * @param rawStatus the string, such as {@code "brand_new_state"}
     */
    void forceRawStatus(String taskId, String rawStatus);

    /**
     * Sets how long tasks created from now on take.
     *
     * @param durations the profile
     */
    void durations(TaskDurations durations);
}
