package dev.loraport;

import java.time.Duration;

/**
 * A hosted LoRA / DreamBooth training service behind one neutral interface. Adapters implement it,
 * decorators wrap it, users call it.
 *
 * <p>Implementations are thread-safe, never return null, and throw only {@link TrainingProviderException}
 * subtypes for failed calls. A job that fails is not an exception: {@link #status(TaskId)} returns it with
 * {@link TrainingStatus#FAILED}.
 *
 * <pre>{@code
 * try (TrainingProvider provider = TrainingProviders.create(ProviderConfig.fromEnvironment(System.getenv()))) {
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
     * Does the part of a create that may be repeated safely (such as uploading the images) and returns a value
     * the service will echo on the listed job, so that a reconciler can record it before the create is sent and
     * find the job by it after an ambiguous create, where the listing carries no name. A later {@link
     * #create} of an equal request reuses the prepared work. Providers whose listing shows the job's name need
     * nothing of this.
     *
     * @param request the request
     * @return the value {@link TrainingTask#correlation()} will carry, or empty (the default) when the provider
     *     has none
     * @throws TrainingProviderException when the preparation fails; no job exists then
     * @since 0.2
     */
    default java.util.Optional<String> prepareCreate(TrainingRequest request) {
        return java.util.Optional.empty();
    }

    /**
     * Checks a training request as {@link #create} would, without any network call and without spending
     * anything: every field against {@link ProviderCapabilities}, local images, provider options and whatever
     * else the adapter can see locally. Decorators call it before the work they do ahead of a create (such as
     * listing the account), so bad input fails first. Thread-safe.
     *
     * @param request the job
     * @throws InvalidRequestException naming every field that is wrong and what is allowed
     */
    default void validate(TrainingRequest request) {
        info().capabilities().validate(info().id(), request);
    }

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

    /**
     * Blocks the calling thread until a task reaches a terminal status, polling {@link #status(TaskId)} as
     * {@link PollPolicy#defaults()} decides: rarely while its ETA is far, often near its end, with one poll aimed
     * just past it, never more often than every 5 seconds otherwise. Uses no thread or shared state of its own;
     * for listeners, stores or many tasks, use a {@code dev.loraport.watch.TaskWatcher}. Polls go through this
     * provider, so a decorated provider's retry and rate limiting apply.
     *
     * @param id the task id
     * @param timeout how long to wait at most
     * @return the terminal task: {@link TrainingStatus#READY}, {@link TrainingStatus#FAILED} or
     *     {@link TrainingStatus#CANCELED}
     * @throws TaskTimeoutException when the task is not terminal in time; it names the task
     * @throws TrainingProviderException when a poll fails with an error that cannot be retried, such as
     *     {@link TaskNotFoundException}
     * @throws java.util.concurrent.CancellationException when the calling thread is interrupted; its interrupt
     *     flag is set again
     * @since 0.1
     */
    default TrainingTask await(TaskId id, Duration timeout) {
        return Await.await(this, id, timeout, PollPolicy.defaults());
    }

    /** Releases connections and threads. Calls after close may fail. */
    @Override
    default void close() {}
}
