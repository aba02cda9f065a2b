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
import org.jspecify.annotations.Nullable;

/**
 * The one base of every decorator: routes each remote operation through one {@link #intercept}, so a decorator
 * states its policy once and a new operation cannot slip past it.
 */
abstract class InterceptingProvider extends ForwardingTrainingProvider {

    InterceptingProvider(TrainingProvider delegate) {
        super(delegate);
    }

    abstract <T> T intercept(Operation operation, Supplier<T> call);

    /**
     * What a call is about, for the decorators that label it (observation, MDC): the task id when the caller
     * named one, the client reference of a create when the request carries one.
     */
    record Call(
            Operation operation,
            @Nullable TaskId taskId,
            @Nullable String clientReference) {}

    /** Like {@link #intercept(Operation, Supplier)}, with what the call is about; by default forgets it. */
    <T> T intercept(Call call, Supplier<T> body) {
        return intercept(call.operation(), body);
    }

    @Override
    public TrainingTask create(TrainingRequest request) {
        return intercept(
                new Call(Operation.CREATE, null, request.clientReference().orElse(null)),
                () -> delegate().create(request));
    }

    @Override
    public TrainingTask status(TaskId id) {
        return intercept(new Call(Operation.STATUS, id, null), () -> delegate().status(id));
    }

    @Override
    public Page<TrainingTask> list(PageRequest page) {
        return intercept(new Call(Operation.LIST, null, null), () -> delegate().list(page));
    }

    @Override
    public void cancel(TaskId id) {
        intercept(new Call(Operation.CANCEL, id, null), () -> {
            delegate().cancel(id);
            return null;
        });
    }

    @Override
    public void delete(TaskId id) {
        intercept(new Call(Operation.DELETE, id, null), () -> {
            delegate().delete(id);
            return null;
        });
    }

    @Override
    public GenerationResult generate(GenerationRequest request) {
        return intercept(
                new Call(Operation.GENERATE, null, null), () -> delegate().generate(request));
    }
}
