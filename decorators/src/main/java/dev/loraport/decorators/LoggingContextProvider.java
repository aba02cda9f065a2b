package dev.loraport.decorators;

import dev.loraport.Operation;
import dev.loraport.TaskId;
import dev.loraport.TrainingProvider;
import dev.loraport.spi.LoraportMdc;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Puts the provider id, and the task id and client reference when the call names them, in SLF4J's MDC
 * ({@link LoraportMdc}) while a call runs through the decorators below, and puts back what was there before when it
 * returns. Outermost and always on, so every line the decorators log carries them. Thread-safe: the MDC is per
 * thread.
 */
final class LoggingContextProvider extends InterceptingProvider {

    private final String providerId;

    LoggingContextProvider(TrainingProvider delegate, String providerId) {
        super(delegate);
        this.providerId = providerId;
    }

    @Override
    <T> T intercept(Operation operation, Supplier<T> call) {
        return intercept(new Call(operation, null, null), call);
    }

    @Override
    <T> T intercept(Call call, Supplier<T> body) {
        TaskId task = call.taskId();
        String provider = swap(LoraportMdc.PROVIDER, providerId);
        String taskId = swap(LoraportMdc.TASK_ID, task == null ? null : task.value());
        String reference = swap(LoraportMdc.CLIENT_REFERENCE, call.clientReference());
        try {
            return body.get();
        } finally {
            swap(LoraportMdc.PROVIDER, provider);
            swap(LoraportMdc.TASK_ID, taskId);
            swap(LoraportMdc.CLIENT_REFERENCE, reference);
        }
    }

    /** Sets or removes a key, returning its previous value. */
    private static @Nullable String swap(String key, @Nullable String value) {
        String previous = MDC.get(key);
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
        return previous;
    }
}
