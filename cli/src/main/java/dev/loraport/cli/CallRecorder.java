package dev.loraport.cli;

import dev.loraport.Operation;
import dev.loraport.Page;
import dev.loraport.PageRequest;
import dev.loraport.TaskId;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingTask;
import dev.loraport.spi.ForwardingTrainingProvider;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What {@code bench} saw of one provider's calls, for its timeline: every attempt that reached the adapter (below
 * the retry, reconcile and rate-limit decorators) with the logical call it belongs to, the job it was for, and how it
 * ended. Two wrappers take part: {@link #outer} around the whole stack marks where a logical call starts and ends,
 * {@link #inner} around the adapter records each attempt. Thread-safe; a logical call runs on one thread, which is
 * how attempts find their call.
 */
final class CallRecorder {

    /** One call that reached the adapter. {@code job} is null for a listing, which serves every job. */
    record Attempt(
            Instant at,
            Operation operation,
            int logicalCall,
            Operation logicalOperation,
            @Nullable Integer job,
            @Nullable String failure) {

        boolean failed() {
            return failure != null;
        }

        /** A repeat of its logical call's own operation: the read retry, or a create sent again after a confirmed miss. */
        boolean retry(List<Attempt> all) {
            if (operation != logicalOperation) {
                return false;
            }
            for (Attempt a : all) {
                if (a == this) {
                    return false;
                }
                if (a.logicalCall == logicalCall && a.operation == operation) {
                    return true;
                }
            }
            return false;
        }
    }

    /** How a logical call ended, as the caller saw it. */
    record Logical(
            int id,
            Operation operation,
            @Nullable Integer job,
            @Nullable String failure) {}

    private final Supplier<Instant> clock;
    private final List<Attempt> attempts = new ArrayList<>();
    private final Map<Integer, Logical> logical = new ConcurrentHashMap<>();
    private final Map<String, Integer> jobByTask = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final ThreadLocal<@Nullable Integer> jobOfThread = new ThreadLocal<>();
    private final ThreadLocal<int[]> current = new ThreadLocal<>();

    /** @param clock the service's time: the simulator's clock, or the wall clock for a real service */
    CallRecorder(Supplier<Instant> clock) {
        this.clock = clock;
    }

    /** Calls made on this thread from now on are for {@code job} (its submission thread). */
    void onJobThread(int job) {
        jobOfThread.set(job);
    }

    /** Status calls for {@code taskId} are for {@code job} from now on, on any thread (the watcher's). */
    void taskOfJob(TaskId taskId, int job) {
        jobByTask.put(taskId.value(), job);
    }

    /** A copy of the attempts so far, oldest first. */
    synchronized List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    /** How the logical call {@code id} ended, or null while it runs. */
    @Nullable
    Logical logical(int id) {
        return logical.get(id);
    }

    /** The job of the task with service id {@code taskId}, or null when it is none of this run's. */
    @Nullable
    Integer jobOf(String taskId) {
        return jobByTask.get(taskId);
    }

    private synchronized void add(Attempt a) {
        attempts.add(a);
    }

    private <T> T logical(Operation op, @Nullable TaskId task, Supplier<T> body) {
        int[] outerCall = current.get();
        if (outerCall != null) {
            // A call the stack makes on its own behalf inside another (none today): it is part of that one.
            return body.get();
        }
        int id = ids.incrementAndGet();
        Integer job = job(task);
        current.set(new int[] {id, op.ordinal()});
        try {
            T result = body.get();
            logical.put(id, new Logical(id, op, job, null));
            return result;
        } catch (RuntimeException e) {
            logical.put(id, new Logical(id, op, job, describe(e)));
            throw e;
        } finally {
            current.remove();
        }
    }

    private <T> T attempt(Operation op, @Nullable TaskId task, Supplier<T> body) {
        int[] call = current.get();
        int id = call == null ? ids.incrementAndGet() : call[0];
        Operation logicalOp = call == null ? op : Operation.values()[call[1]];
        Integer job = op == Operation.LIST && logicalOp == Operation.LIST ? null : job(task);
        Instant at = clock.get();
        try {
            T result = body.get();
            add(new Attempt(at, op, id, logicalOp, job, null));
            return result;
        } catch (RuntimeException e) {
            add(new Attempt(at, op, id, logicalOp, job, describe(e)));
            throw e;
        }
    }

    private @Nullable Integer job(@Nullable TaskId task) {
        if (task != null) {
            Integer j = jobByTask.get(task.value());
            if (j != null) {
                return j;
            }
        }
        return jobOfThread.get();
    }

    private static String describe(RuntimeException e) {
        // The type says what kind of failure it was; the library's messages never carry the key.
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /** The stack, with each logical call marked. */
    TrainingProvider outer(TrainingProvider stack) {
        return new Wrapper(stack, true);
    }

    /** The adapter, with each attempt recorded. */
    TrainingProvider inner(TrainingProvider adapter) {
        return new Wrapper(adapter, false);
    }

    private final class Wrapper extends ForwardingTrainingProvider {
        private final boolean outer;

        Wrapper(TrainingProvider delegate, boolean outer) {
            super(delegate);
            this.outer = outer;
        }

        private <T> T call(Operation op, @Nullable TaskId task, Supplier<T> body) {
            return outer ? logical(op, task, body) : attempt(op, task, body);
        }

        @Override
        public TrainingTask create(TrainingRequest request) {
            return call(Operation.CREATE, null, () -> delegate().create(request));
        }

        @Override
        public TrainingTask status(TaskId id) {
            return call(Operation.STATUS, id, () -> delegate().status(id));
        }

        @Override
        public Page<TrainingTask> list(PageRequest page) {
            return call(Operation.LIST, null, () -> delegate().list(page));
        }
    }
}
