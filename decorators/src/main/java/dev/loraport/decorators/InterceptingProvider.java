package dev.loraport.decorators;

import dev.loraport.GenerationRequest;
import dev.loraport.GenerationResult;
import dev.loraport.Operation;
import dev.loraport.Page;
import dev.loraport.PageRequest;
import dev.loraport.TaskId;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingTask;
import dev.loraport.spi.ForwardingTrainingProvider;
import java.util.function.Supplier;

/**
 * The one base of every decorator: routes each remote operation through one {@link #intercept}, so a decorator
 * states its policy once and a new operation cannot slip past it.
 */
abstract class InterceptingProvider extends ForwardingTrainingProvider {

    InterceptingProvider(TrainingProvider delegate) {
        super(delegate);
    }

    abstract <T> T intercept(Operation operation, Supplier<T> call);

    @Override
    public TrainingTask create(TrainingRequest request) {
        return intercept(Operation.CREATE, () -> delegate().create(request));
    }

    @Override
    public TrainingTask status(TaskId id) {
        return intercept(Operation.STATUS, () -> delegate().status(id));
    }

    @Override
    public Page<TrainingTask> list(PageRequest page) {
        return intercept(Operation.LIST, () -> delegate().list(page));
    }

    @Override
    public void cancel(TaskId id) {
        intercept(Operation.CANCEL, () -> {
            delegate().cancel(id);
            return null;
        });
    }

    @Override
    public void delete(TaskId id) {
        intercept(Operation.DELETE, () -> {
            delegate().delete(id);
            return null;
        });
    }

    @Override
    public GenerationResult generate(GenerationRequest request) {
        return intercept(Operation.GENERATE, () -> delegate().generate(request));
    }
}
