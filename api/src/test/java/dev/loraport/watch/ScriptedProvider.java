package dev.loraport.watch;

import dev.loraport.Page;
import dev.loraport.PageRequest;
import dev.loraport.ProviderCapabilities;
import dev.loraport.ProviderInfo;
import dev.loraport.TaskId;
import dev.loraport.TaskNotFoundException;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** A provider whose jobs follow scripts over the virtual time of a {@link ManualScheduler}. */
final class ScriptedProvider implements TrainingProvider {

    /** What a job reports at one moment. */
    record Snapshot(
            TrainingStatus status,
            @Nullable Integer progress,
            @Nullable Duration eta) {}

    private record Job(Instant start, Function<Duration, Snapshot> script) {}

    private final String id;
    private final ManualScheduler clock;
    private final boolean listIncludesStatus;
    private final Map<TaskId, Job> jobs = new LinkedHashMap<>();
    private final Set<TaskId> hiddenFromList = new HashSet<>();
    private final Deque<RuntimeException> statusFaults = new ArrayDeque<>();
    private final Deque<RuntimeException> listFaults = new ArrayDeque<>();
    private final Map<TaskId, List<Instant>> statusCallTimes = new HashMap<>();
    private @Nullable List<TaskId> visible;
    private java.util.function.Consumer<TaskId> beforeStatus = t -> {};
    int statusCalls;
    int listCalls;
    /** When each read of the first list page came, that is when each refresh by list began. */
    final List<Instant> firstPageReads = new ArrayList<>();

    ScriptedProvider(String id, ManualScheduler clock, boolean listIncludesStatus) {
        this.id = id;
        this.clock = clock;
        this.listIncludesStatus = listIncludesStatus;
    }

    /** A job that starts now and follows the script (elapsed time → snapshot). */
    synchronized TaskId job(String taskId, Function<Duration, Snapshot> script) {
        TaskId tid = TaskId.of(taskId);
        jobs.put(tid, new Job(clock.now(), script));
        visible = null;
        return tid;
    }

    /** Queued for the first tenth, then training with linear progress (and ETA if asked), then READY. */
    TaskId linearJob(String taskId, Duration total, boolean withEta) {
        return job(taskId, elapsed -> {
            if (elapsed.compareTo(total) >= 0) {
                return new Snapshot(TrainingStatus.READY, 100, null);
            }
            Duration left = total.minus(elapsed);
            if (elapsed.compareTo(total.dividedBy(10)) < 0) {
                return new Snapshot(TrainingStatus.QUEUED, null, withEta ? left : null);
            }
            int progress = (int) (elapsed.toMillis() * 100 / total.toMillis());
            return new Snapshot(TrainingStatus.TRAINING, progress, withEta ? left : null);
        });
    }

    /** Steps: each snapshot holds from its offset until the next one. */
    static Function<Duration, Snapshot> steps(Object... offsetsAndSnapshots) {
        return elapsed -> {
            Snapshot current = (Snapshot) offsetsAndSnapshots[1];
            for (int i = 0; i < offsetsAndSnapshots.length; i += 2) {
                if (elapsed.compareTo((Duration) offsetsAndSnapshots[i]) >= 0) {
                    current = (Snapshot) offsetsAndSnapshots[i + 1];
                }
            }
            return current;
        };
    }

    static Snapshot snap(TrainingStatus status, @Nullable Integer progress) {
        return new Snapshot(status, progress, null);
    }

    synchronized void hideFromList(TaskId taskId) {
        hiddenFromList.add(taskId);
        visible = null;
    }

    synchronized void failNextStatus(RuntimeException e) {
        statusFaults.add(e);
    }

    synchronized void failNextList(RuntimeException e) {
        listFaults.add(e);
    }

    /** Runs at the start of every status call, such as a clock advance that makes the call slow. */
    synchronized void beforeStatus(java.util.function.Consumer<TaskId> hook) {
        beforeStatus = hook;
    }

    synchronized List<Instant> statusCallTimes(TaskId taskId) {
        return List.copyOf(statusCallTimes.getOrDefault(taskId, List.of()));
    }

    @Override
    public ProviderInfo info() {
        return new ProviderInfo(
                id,
                id,
                ProviderCapabilities.builder()
                        .supportsList(true)
                        .listIncludesStatus(listIncludesStatus)
                        .build());
    }

    @Override
    public TrainingTask create(TrainingRequest request) {
        throw new UnsupportedOperationException("test double");
    }

    @Override
    public synchronized TrainingTask status(TaskId taskId) {
        statusCalls++;
        beforeStatus.accept(taskId);
        statusCallTimes.computeIfAbsent(taskId, k -> new ArrayList<>()).add(clock.now());
        RuntimeException fault = statusFaults.poll();
        if (fault != null) {
            throw fault;
        }
        Job job = jobs.get(taskId);
        if (job == null) {
            throw new TaskNotFoundException(id, "status", "no such task " + taskId, 404, null, null);
        }
        return snapshot(taskId, job);
    }

    @Override
    public synchronized Page<TrainingTask> list(PageRequest page) {
        listCalls++;
        if (page.cursor() == null) {
            firstPageReads.add(clock.now());
        }
        RuntimeException fault = listFaults.poll();
        if (fault != null) {
            throw fault;
        }
        if (visible == null) {
            visible = new ArrayList<>();
            for (TaskId t : jobs.keySet()) {
                if (!hiddenFromList.contains(t)) {
                    visible.add(t);
                }
            }
        }
        int from = page.cursor() == null ? 0 : Integer.parseInt(page.cursor());
        int to = Math.min(visible.size(), from + page.limit());
        List<TrainingTask> items = new ArrayList<>();
        for (TaskId t : visible.subList(from, to)) {
            items.add(snapshot(t, jobs.get(t)));
        }
        return new Page<>(items, to < visible.size() ? Integer.toString(to) : null);
    }

    private TrainingTask snapshot(TaskId taskId, Job job) {
        Snapshot s = job.script().apply(Duration.between(job.start(), clock.now()));
        return TrainingTask.builder()
                .id(taskId)
                .providerId(id)
                .status(s.status())
                .progressPercent(s.progress())
                .eta(s.eta())
                .createdAt(job.start())
                .build();
    }
}
