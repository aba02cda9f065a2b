package dev.loraport;

/**
 * A hosted LoRA / DreamBooth training service behind one neutral interface. Adapters implement it,
 * decorators wrap it, users call it.
 *
 * <p>Implementations are thread-safe, never return null, and throw only {@link TrainingProviderException}
 * subtypes for failed calls. A job that fails is not an exception: {@link #status(TaskId)} returns it with
 * {@link TrainingStatus#FAILED}.
 *
 * <pre>{@code
 * try (TrainingProvider provider = TrainingProviders.fromEnvironment()) {
 *   TrainingTask task = provider.create(request);
 *   TrainingTask now = provider.status(task.id());
 * }
 * }</pre>
 *
 * @since 0.1
 */
public interface TrainingProvider extends AutoCloseable {

    /**
     * What this provider is and supports. Cheap: no network call.
     *
     * @return the provider's id, name and capabilities
     */
    ProviderInfo info();

    /**
     * Submits one training job, uploading local images first where the service needs it. Not idempotent:
     * every successful call may start, and bill, a new training.
     *
     * @param request the job; validated against {@link ProviderInfo#capabilities()} before any network call
     * @return the accepted job, usually {@link TrainingStatus#QUEUED}
     * @throws InvalidRequestException when the request breaks the provider's rules
     */
    TrainingTask create(TrainingRequest request);

    /**
     * The current state of one job.
     *
     * @param id the job id
     * @return the job
     * @throws TaskNotFoundException when the service does not know the id
     */
    TrainingTask status(TaskId id);

    /**
     * One page of the account's jobs.
     *
     * @param page which page
     * @return the page
     * @throws UnsupportedCapabilityException when the service cannot list jobs
     */
    Page<TrainingTask> list(PageRequest page);

    /**
     * Stops a running job.
     *
     * @param id the job id
     * @throws UnsupportedCapabilityException when the service offers no cancel (the default)
     */
    default void cancel(TaskId id) {
        throw UnsupportedCapabilityException.of(info().id(), "cancel");
    }

    /**
     * Deletes a job and its model.
     *
     * @param id the job id
     * @throws UnsupportedCapabilityException when the service offers no delete (the default)
     */
    default void delete(TaskId id) {
        throw UnsupportedCapabilityException.of(info().id(), "delete");
    }

    /**
     * Generates images with trained LoRAs and waits for them.
     *
     * @param request what to generate
     * @return the images
     * @throws UnsupportedCapabilityException when the service offers no generation (the default)
     */
    default GenerationResult generate(GenerationRequest request) {
        throw UnsupportedCapabilityException.of(info().id(), "generate");
    }

    /** Releases connections and threads. Calls after close may fail. */
    @Override
    default void close() {}
}
