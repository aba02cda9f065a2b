package dev.loraport.spi;

import dev.loraport.GenerationRequest;
import dev.loraport.GenerationResult;
import dev.loraport.Page;
import dev.loraport.PageRequest;
import dev.loraport.ProviderInfo;
import dev.loraport.TaskId;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingTask;
import java.util.Objects;

/**
 * A {@link TrainingProvider} that forwards every call, default methods included, to a delegate. Decorators
 * extend it and override what they change. Thread-safe when the delegate is.
 *
 * @since 0.1
 */
public abstract class ForwardingTrainingProvider implements TrainingProvider {

    private final TrainingProvider delegate;

    /**
     * Wraps a delegate.
     *
     * @param delegate the provider every call goes to
     */
    protected ForwardingTrainingProvider(TrainingProvider delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate == null");
    }

    /**
     * The wrapped provider.
     *
     * @return the delegate
     */
    protected TrainingProvider delegate() {
        return delegate;
    }

    /**
     * The wrapped provider, for {@code TrainingProviders.unwrap}.
     *
     * @return the delegate
     */
    public final TrainingProvider unwrapOnce() {
        return delegate;
    }

    @Override
    public ProviderInfo info() {
        return delegate.info();
    }

    @Override
    public TrainingTask create(TrainingRequest request) {
        return delegate.create(request);
    }

    @Override
    public void validate(TrainingRequest request) {
        delegate.validate(request);
    }

    @Override
    public java.util.Optional<String> prepareCreate(TrainingRequest request) {
        return delegate.prepareCreate(request);
    }

    @Override
    public TrainingTask status(TaskId id) {
        return delegate.status(id);
    }

    @Override
    public Page<TrainingTask> list(PageRequest page) {
        return delegate.list(page);
    }

    @Override
    public void cancel(TaskId id) {
        delegate.cancel(id);
    }

    @Override
    public void delete(TaskId id) {
        delegate.delete(id);
    }

    @Override
    public GenerationResult generate(GenerationRequest request) {
        return delegate.generate(request);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + delegate + ")";
    }
}
