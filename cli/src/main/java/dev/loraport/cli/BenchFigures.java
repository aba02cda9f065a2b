package dev.loraport.cli;

import dev.loraport.Operation;
import dev.loraport.TrainingStatus;
import dev.loraport.cli.CallRecorder.Attempt;
import dev.loraport.cli.TrainingWorkload.Lane;
import dev.loraport.cli.TrainingWorkload.Seen;
import dev.loraport.cli.TrainingWorkload.TaskRun;
import dev.loraport.decorators.LoraportMetrics;
import dev.loraport.simulators.Endpoint;
import dev.loraport.simulators.TaskTimeline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The figures of one provider's part of a {@code bench} run, as the JSON that {@code bench.json} holds and
 * {@link BenchReport} draws: the summary, the headline counts, and one timeline per job. Every time in a timeline is
 * in seconds since the lane's first submission, on the service's clock (the simulator's, or the wall clock for a
 * real service), so one axis serves every provider.
 */
final class BenchFigures {

    private static final List<Endpoint> ENDPOINTS =
            List.of(Endpoint.UPLOAD, Endpoint.UPLOAD_PUT, Endpoint.CREATE, Endpoint.STATUS, Endpoint.LIST);

    private BenchFigures() {}

    static Map<String, Object> of(CliContext ctx, Lane lane) {
        List<TaskRun> accepted = lane.runs.stream().filter(j -> j.task != null).toList();
        List<TaskRun> ready = lane.runs.stream().filter(TaskRun::ready).toList();
        Instant t0 = lane.runs.stream()
                .map(j -> j.submittedAt)
                .filter(Objects::nonNull)
                .min(Instant::compareTo)
                .orElseGet(lane::now);
        long[] acceptS = accepted.stream()
                .filter(j -> j.submittedAt != null && j.acceptedAt != null)
                .mapToLong(j -> Duration.between(j.submittedAt, j.acceptedAt).toSeconds())
                .sorted()
                .toArray();
        long[] readyS = ready.stream()
                .filter(j -> j.toEnd != null)
                .mapToLong(j -> j.toEnd.toSeconds())
                .sorted()
                .toArray();
        List<Attempt> attempts = lane.calls == null ? List.of() : lane.calls.attempts();
        long calls = TrainingWorkload.apiCalls(ctx, lane);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("provider", lane.id);
        m.put("clock", lane.sim == null ? "wall" : "simulated");
        m.put("start", t0.toString());
        m.put("jobs", lane.runs.size());
        m.put("accepted", accepted.size());
        m.put("ready", ready.size());
        m.put("failed", lane.runs.size() - ready.size());
        m.put("acceptSecondsP50", BenchCommand.percentile(acceptS, 50));
        m.put("acceptSecondsMax", acceptS.length == 0 ? null : acceptS[acceptS.length - 1]);
        m.put("acceptMillisP50", BenchCommand.percentile(wallAccept(accepted), 50));
        m.put("readySecondsP50", BenchCommand.percentile(readyS, 50));
        m.put("readySecondsMax", readyS.length == 0 ? null : readyS[readyS.length - 1]);
        m.put("apiCalls", calls);
        m.put("apiCallsPerJob", round((double) calls / lane.runs.size()));
        m.put("retries", TrainingWorkload.retries(ctx, lane));
        m.put("headline", headline(ctx, lane, accepted.size(), attempts));
        if (lane.sim != null) {
            Map<String, Object> byEndpoint = new LinkedHashMap<>();
            for (Endpoint e : ENDPOINTS) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("requests", lane.sim.simulator.requestCount(e));
                row.put("faults", lane.sim.simulator.faultsInjected(e));
                byEndpoint.put(e.name().toLowerCase(Locale.ROOT), row);
            }
            m.put("callsByEndpoint", byEndpoint);
        }
        List<Map<String, Object>> jobRows = new ArrayList<>();
        for (TaskRun j : lane.runs) {
            jobRows.add(job(lane, j, t0, attempts));
        }
        m.put("jobDetails", jobRows);
        List<Map<String, Object>> listings = new ArrayList<>();
        for (Attempt a : attempts) {
            if (a.job() == null) {
                listings.add(call(a, t0, attempts));
            }
        }
        m.put("listCalls", listings);
        return m;
    }

    private static long[] wallAccept(List<TaskRun> accepted) {
        return accepted.stream().mapToLong(j -> j.acceptMillis).sorted().toArray();
    }

    /**
     * The counts a reader looks for first, every one present even when 0; a count that cannot be known (duplicates
     * on a real service) is null and says so on the page.
     */
    private static Map<String, Object> headline(CliContext ctx, Lane lane, int accepted, List<Attempt> attempts) {
        long failedCalls = attempts.stream().filter(Attempt::failed).count();
        long reachedCaller = 0;
        for (Attempt a : attempts) {
            // The watcher polls again after a failed poll, so only a create that failed reaches this run's code.
            CallRecorder.Logical l = lane.calls == null ? null : lane.calls.logical(a.logicalCall());
            if (a.failed() && l != null && l.failure() != null && l.operation() == Operation.CREATE) {
                reachedCaller++;
            }
        }
        long injected = lane.sim == null ? 0 : lane.sim.simulator.faultsInjected(Endpoint.ANY);
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("faultsInjected", injected);
        h.put("failedCalls", failedCalls);
        // Of the failed calls, not of the injected faults: one reset connection fails every call in flight on it, and
        // an adapter may retry an upload inside one call, so the two counts differ.
        h.put("faultsAbsorbed", failedCalls - reachedCaller);
        h.put("faultsReachedCaller", reachedCaller);
        h.put("retries", TrainingWorkload.retries(ctx, lane));
        h.put("lostCreatesReconciled", (long) ctx.counter(LoraportMetrics.DUPLICATES_AVOIDED, lane.id));
        // Trainings the service holds beyond those the caller was told about: each one is billed twice.
        h.put("duplicateTrainings", lane.sim == null ? null : lane.sim.simulator.tasksCreated() - accepted);
        h.put("failedJobs", lane.runs.stream().filter(j -> !j.ready()).count());
        return h;
    }

    private static Map<String, Object> job(Lane lane, TaskRun j, Instant t0, List<Attempt> attempts) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("job", j.index);
        row.put("task", j.task == null ? null : j.task.id().value());
        row.put("status", j.task == null ? "NOT SUBMITTED" : j.task.status().name());
        row.put("rawStatus", j.task == null ? null : j.task.rawStatus().orElse(null));
        row.put("acceptMillis", j.task == null ? null : j.acceptMillis);
        row.put(
                "acceptSeconds",
                j.acceptedAt == null || j.submittedAt == null
                        ? null
                        : seconds(Duration.between(j.submittedAt, j.acceptedAt)));
        row.put("endSeconds", j.toEnd == null ? null : j.toEnd.toSeconds());
        row.put("error", j.error);
        List<Seen> seen;
        synchronized (j) {
            seen = List.copyOf(j.seen);
        }
        List<Attempt> mine = attempts.stream()
                .filter(a -> a.job() != null && a.job() == j.index)
                .toList();
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("submitted", at(j.submittedAt, t0));
        t.put("accepted", at(j.acceptedAt, t0));
        Optional<TaskTimeline> truth = j.task == null || lane.sim == null
                ? Optional.empty()
                : lane.sim.simulator.taskTimeline(j.task.id().value());
        t.put("phasesFrom", truth.isPresent() ? "service" : "client");
        t.put("phases", truth.map(tl -> phases(tl, t0)).orElseGet(() -> phases(seen, j.endSeenAt, t0)));
        List<Map<String, Object>> seenRows = new ArrayList<>();
        for (Seen s : seen) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("at", at(s.at(), t0));
            r.put("status", s.status().name());
            r.put("progress", s.progressPercent());
            seenRows.add(r);
        }
        t.put("seen", seenRows);
        List<Map<String, Object>> callRows = new ArrayList<>();
        for (Attempt a : mine) {
            callRows.add(call(a, t0, attempts));
        }
        t.put("calls", callRows);
        t.put("reconciledCreate", reconciled(lane, mine));
        Instant ended = truth.map(TaskTimeline::ended).orElse(null);
        t.put("ended", at(ended, t0));
        t.put("endSeen", at(j.endSeenAt, t0));
        if (j.endSeenAt != null && ended != null) {
            t.put("endToSeenSeconds", seconds(Duration.between(ended, j.endSeenAt)));
            t.put("endToSeenExact", true);
        } else if (j.endSeenAt != null) {
            // No truth from a real service: the job ended between the poll before the one that saw it and that poll.
            List<Instant> polls = attempts.stream()
                    .filter(a -> (a.job() == null
                                    ? a.operation() == Operation.LIST
                                    : a.job() == j.index && a.operation() == Operation.STATUS)
                            && !a.failed()
                            && !a.at().isAfter(j.endSeenAt))
                    .map(Attempt::at)
                    .toList();
            t.put(
                    "endToSeenSeconds",
                    polls.size() < 2 ? null : seconds(Duration.between(polls.get(polls.size() - 2), j.endSeenAt)));
            t.put("endToSeenExact", false);
        } else {
            t.put("endToSeenSeconds", null);
            t.put("endToSeenExact", null);
        }
        row.put("timeline", t);
        return row;
    }

    /**
     * Whether this job's create was lost and its job found again in the listing: a create attempt failed, no create
     * attempt succeeded, and the create returned a task.
     */
    private static boolean reconciled(Lane lane, List<Attempt> mine) {
        if (lane.calls == null) {
            return false;
        }
        boolean failedCreate = false;
        for (Attempt a : mine) {
            if (a.operation() == Operation.CREATE) {
                if (!a.failed()) {
                    return false;
                }
                failedCreate = true;
            }
        }
        if (!failedCreate) {
            return false;
        }
        Attempt first = mine.stream()
                .filter(a -> a.operation() == Operation.CREATE)
                .findFirst()
                .orElseThrow();
        CallRecorder.Logical l = lane.calls.logical(first.logicalCall());
        return l != null && l.failure() == null;
    }

    private static Map<String, Object> call(Attempt a, Instant t0, List<Attempt> all) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("at", at(a.at(), t0));
        r.put("operation", a.operation().name().toLowerCase(Locale.ROOT));
        r.put("partOf", a.logicalOperation().name().toLowerCase(Locale.ROOT));
        r.put("retry", a.retry(all));
        r.put("failure", a.failure());
        return r;
    }

    private static List<Map<String, Object>> phases(TaskTimeline tl, Instant t0) {
        List<Map<String, Object>> out = new ArrayList<>();
        phase(out, TrainingStatus.QUEUED, tl.submitted(), tl.trainingStarted(), t0);
        phase(out, TrainingStatus.TRAINING, tl.trainingStarted(), tl.trainingEnded(), t0);
        if (tl.succeeds()) {
            phase(out, TrainingStatus.DEPLOYING, tl.trainingEnded(), tl.ended(), t0);
        }
        return out;
    }

    /** Phases as the client saw them: each status from the moment it was first seen to the next one. */
    private static List<Map<String, Object>> phases(List<Seen> seen, @Nullable Instant endSeen, Instant t0) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < seen.size(); i++) {
            Seen s = seen.get(i);
            if (s.status().isTerminal()) {
                break;
            }
            Instant to = i + 1 < seen.size() ? seen.get(i + 1).at() : endSeen;
            if (to != null
                    && (out.isEmpty()
                            || !out.get(out.size() - 1)
                                    .get("status")
                                    .equals(s.status().name()))) {
                phase(out, s.status(), s.at(), to, t0);
            } else if (to != null) {
                out.get(out.size() - 1).put("to", at(to, t0));
            }
        }
        return out;
    }

    private static void phase(
            List<Map<String, Object>> out, TrainingStatus status, Instant from, Instant to, Instant t0) {
        if (!to.isAfter(from)) {
            return;
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("status", status.name());
        p.put("from", at(from, t0));
        p.put("to", at(to, t0));
        out.add(p);
    }

    private static @Nullable Double at(@Nullable Instant i, Instant t0) {
        return i == null ? null : seconds(Duration.between(t0, i));
    }

    private static double seconds(Duration d) {
        return Math.round(d.toMillis() / 100.0) / 10.0;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
