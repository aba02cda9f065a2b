package dev.loraport.watch;

import dev.loraport.TrainingTask;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/** The handle of a watch a leased watcher did not start, because another live worker of the fleet holds the job. */
final class HeldElsewhere implements WatchHandle {

    private final TaskRef ref;
    private final CompletableFuture<TrainingTask> future = new CompletableFuture<>();

    HeldElsewhere(TaskRef ref) {
        this.ref = ref;
        future.completeExceptionally(new CancellationException(ref.providerId() + " task " + ref.taskId()
                + " is watched by another worker of the fleet, which reports its end"));
    }

    @Override
    public TaskRef ref() {
        return ref;
    }

    @Override
    public CompletableFuture<TrainingTask> result() {
        return future;
    }

    @Override
    public Optional<TrainingTask> latest() {
        return Optional.empty();
    }

    @Override
    public void cancel() {
        // Nothing runs here; the other worker's watch goes on.
    }

    @Override
    public String toString() {
        return "WatchHandle{" + ref + ", held elsewhere}";
    }
}
