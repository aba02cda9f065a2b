package dev.loraport.decorators;

import dev.loraport.GenerationRequest;
import dev.loraport.GenerationResult;
import dev.loraport.Page;
import dev.loraport.PageRequest;
import dev.loraport.TaskId;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingTask;
import dev.loraport.spi.ForwardingTrainingProvider;
import java.util.function.Supplier;

/** Routes every remote operation through one {@link #intercept} so a decorator states its policy once. */
abstract class InterceptingProvider extends ForwardingTrainingProvider {

    InterceptingProvider(TrainingProvider delegate) {
        super(delegate);
    }

    abstract <T> T intercept(String operation, Supplier<T> call);

    @Override
    public TrainingTask create(TrainingRequest request) {
        return intercept("create", () -> delegate().create(request));
    }

    @Override
    public TrainingTask status(TaskId id) {
        return intercept("status", () -> delegate().status(id));
    }

    @Override
    public Page<TrainingTask> list(PageRequest page) {
        return intercept("list", () -> delegate().list(page));
    }

    @Override
    public void cancel(TaskId id) {
        intercept("cancel", () -> {
            delegate().cancel(id);
            return null;
        });
    }

    @Override
    public void delete(TaskId id) {
        intercept("delete", () -> {
            delegate().delete(id);
            return null;
        });
    }

    @Override
    public GenerationResult generate(GenerationRequest request) {
        return intercept("generate", () -> delegate().generate(request));
    }
}
