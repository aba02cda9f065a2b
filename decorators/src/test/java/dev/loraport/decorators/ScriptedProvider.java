package dev.loraport.decorators;

import dev.loraport.Page;
import dev.loraport.PageRequest;
import dev.loraport.ProviderCapabilities;
import dev.loraport.ProviderInfo;
import dev.loraport.ProviderUnavailableException;
import dev.loraport.TaskId;
import dev.loraport.TaskNotFoundException;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** An in-memory provider whose next calls can be scripted to fail, including "created but response lost". */
final class ScriptedProvider implements TrainingProvider {

    enum Op {
        CREATE,
        STATUS,
        LIST,
        CANCEL
    }

    private final ProviderInfo info;
    private final Map<String, TrainingTask> jobs = new LinkedHashMap<>();
    private final Map<Op, Deque<Supplier<RuntimeException>>> failures = new EnumMap<>(Op.class);
    private final Map<Op, Integer> calls = new EnumMap<>(Op.class);
    private int lostCreates;
    private int seq;
    private volatile Runnable beforeCreate = () -> {};

    ScriptedProvider(boolean listIncludesNames) {
        this.info = new ProviderInfo(
                "scripted",
                "Scripted",
                ProviderCapabilities.builder()
                        .trainingKinds(dev.loraport.TrainingKind.SUBJECT)
                        .supportsList(true)
                        .supportsCancel(true)
                        .listIncludesNames(listIncludesNames)
                        .build());
    }

    synchronized ScriptedProvider failNext(Op op, Supplier<RuntimeException> error) {
        failures.computeIfAbsent(op, k -> new ArrayDeque<>()).add(error);
        return this;
    }

    /** The next create is accepted (the job exists) but the caller sees a connection failure. */
    synchronized ScriptedProvider loseNextCreateResponse() {
        lostCreates++;
        return this;
    }

    /** Runs at the start of every create, before the job exists: to look at the journal, or to hold the call. */
    ScriptedProvider beforeCreate(Runnable hook) {
        this.beforeCreate = hook;
        return this;
    }

    synchronized int calls(Op op) {
        return calls.getOrDefault(op, 0);
    }

    synchronized List<TrainingTask> jobs() {
        return new ArrayList<>(jobs.values());
    }

    private void enter(Op op) {
        calls.merge(op, 1, Integer::sum);
        Deque<Supplier<RuntimeException>> q = failures.get(op);
        if (q != null && !q.isEmpty()) {
            throw q.poll().get();
        }
    }

    @Override
    public ProviderInfo info() {
        return info;
    }

    @Override
    public TrainingTask create(TrainingRequest request) {
        beforeCreate.run();
        return createNow(request);
    }

    private synchronized TrainingTask createNow(TrainingRequest request) {
        enter(Op.CREATE);
        TrainingTask t = TrainingTask.builder()
                .id(TaskId.of("job-" + (++seq)))
                .providerId("scripted")
                .name(request.name())
                .status(TrainingStatus.QUEUED)
                .build();
        jobs.put(t.id().value(), t);
        if (lostCreates > 0) {
            lostCreates--;
            throw new ProviderUnavailableException("scripted", "create", "connection reset", null, null, null);
        }
        return t;
    }

    @Override
    public synchronized TrainingTask status(TaskId id) {
        enter(Op.STATUS);
        TrainingTask t = jobs.get(id.value());
        if (t == null) {
            throw new TaskNotFoundException("scripted", "status", "not found", 404, null, null);
        }
        return t;
    }

    @Override
    public synchronized Page<TrainingTask> list(PageRequest page) {
        enter(Op.LIST);
        List<TrainingTask> all = new ArrayList<>(jobs.values());
        int from = page.cursor() == null ? 0 : Integer.parseInt(page.cursor());
        int to = Math.min(all.size(), from + page.limit());
        return new Page<>(all.subList(from, to), to < all.size() ? Integer.toString(to) : null);
    }

    @Override
    public synchronized void cancel(TaskId id) {
        enter(Op.CANCEL);
    }
}
