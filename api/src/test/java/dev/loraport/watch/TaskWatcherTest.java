package dev.loraport.watch;

import static dev.loraport.watch.ScriptedProvider.snap;
import static dev.loraport.watch.ScriptedProvider.steps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loraport.PollPolicy;
import dev.loraport.ProviderUnavailableException;
import dev.loraport.RateLimitedException;
import dev.loraport.TaskId;
import dev.loraport.TaskNotFoundException;
import dev.loraport.TaskTimeoutException;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TaskWatcherTest {

    private final ManualScheduler clock = new ManualScheduler();
    private final TaskStore store = TaskStore.inMemory();
    private final TaskWatcher watcher = TaskWatcher.builder()
            .scheduler(clock)
            .random(new Random(42))
            .store(store)
            .build();

    @AfterEach
    void tearDown() {
        watcher.close();
    }

    /** Records listener calls as readable lines. */
    static final class Recorder implements TaskListener {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onProgress(TrainingTask task) {
            events.add("progress " + task.progressPercent().getAsInt());
        }

        @Override
        public void onStatus(TrainingTask task, @Nullable TrainingStatus previous) {
            events.add("status " + previous + "->" + task.status());
        }

        @Override
        public void onTerminal(TrainingTask task) {
            events.add("terminal " + task.status());
        }

        @Override
        public void onStalled(TrainingTask task, Instant since) {
            events.add("stalled since " + since);
        }

        @Override
        public void onError(TaskRef ref, RuntimeException error) {
            events.add("error " + error.getClass().getSimpleName());
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = TrainingStatus.class,
            names = {"READY", "FAILED", "CANCELED"})
    void completesNormallyOnEveryTerminalStatus(TrainingStatus terminal) {
        ScriptedProvider provider = new ScriptedProvider("fake", clock, false);
        TaskId id = provider.job(
                "job-1",
                steps(Duration.ZERO, snap(TrainingStatus.TRAINING, 10), Duration.ofMinutes(3), snap(terminal, null)));

        WatchHandle handle = watcher.watch(provider, id);
        clock.advance(Duration.ofMinutes(20));

        assertThat(handle.result()).isCompleted();
        assertThat(handle.result().join().status()).isEqualTo(terminal);
        assertThat(handle.latest()).map(TrainingTask::status).contains(terminal);
        assertThat(store.load()).isEmpty();
        assertThat(watcher.stats().watched()).isZero();
        assertThat(watcher.stats().completed()).isEqualTo(1);
        assertThat(clock.pending()).as("no timer left").isZero();
    }

    @Test
    void deadlineCompletesExceptionallyWithTheRef() {
        ScriptedProvider provider = new ScriptedProvider("fake", clock, false);
        TaskId id = provider.job("slow", steps(Duration.ZERO, snap(TrainingStatus.TRAINING, 5)));

        WatchHandle handle = watcher.watch(
                provider,
                id,
                WatchOptions.builder()
                        .timeout(Duration.ofMinutes(10))
                        .clientReference("lp-1")
                        .build());
        clock.advance(Duration.ofMinutes(9));
        assertThat(handle.result()).isNotDone();
        clock.advance(Duration.ofMinutes(1));

        assertThatThrownBy(() -> handle.result().join())
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOfSatisfying(TaskTimeoutException.class, e -> {
                    assertThat(e.taskId()).isEqualTo(id);
                    assertThat(e.clientReference()).contains("lp-1");
                    assertThat(e.lastSeen()).map(TrainingTask::status).contains(TrainingStatus.TRAINING);
                });
        assertThat(watcher.stats().failed()).isEqualTo(1);
        assertThat(store.load())
                .singleElement()
                .satisfies(r -> assertThat(r.endedBy()).isEqualTo("timed out at 2026-11-24T10:10:00Z"));
    }

    @Test
    void aJobThatEndsAtItsDeadlineGetsALastPollAndCompletesNormally() {
        ScriptedProvider provider = new ScriptedProvider("fake", clock, false);
        TaskId id = provider.job(
                "edge",
                steps(
                        Duration.ZERO,
                        snap(TrainingStatus.TRAINING, 5),
                        Duration.ofMinutes(10),
                        snap(TrainingStatus.READY, 100)));

        WatchHandle handle = watcher.watch(
                provider,
                id,
                WatchOptions.builder().timeout(Duration.ofMinutes(10)).build());
        clock.advance(Duration.ofMinutes(10));

        assertThat(handle.result().join().status()).isEqualTo(TrainingStatus.READY);
    }

    @Test
    @Tag("issue-14")
    void aPollErrorEndsTheHandleButNeverForgetsTheTask() {
        ScriptedProvider provider = new ScriptedProvider("fake", clock, false);
        TaskId id = provider.linearJob("job", Duration.ofMinutes(10), true);
        provider.failNextStatus(
                new dev.loraport.AuthenticationException("fake", "status", "HTTP 401", 401, null, null));

        WatchHandle handle = watcher.watch(provider, id);
        clock.runDue();

        assertThatThrownBy(() -> handle.result().join())
                .cause()
                .isInstanceOf(dev.loraport.AuthenticationException.class);
        // The task runs on at the service (and bills): a restart must find it again, and see why its watch ended.
        assertThat(store.load()).singleElement().satisfies(r -> {
            assertThat(r.sameTask(handle.ref())).isTrue();
            assertThat(r.createdAt()).isEqualTo(handle.ref().createdAt());
            assertThat(r.endedBy()).isEqualTo("poll failed: AuthenticationException: fake status: HTTP 401: HTTP 401");
        });
    }

    @Test
    @Tag("issue-14")
    void aJobMarkedInAFileStoreIsResumedAndTheMarkIsGone(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        java.nio.file.Path file = dir.resolve("jobs.txt");
        ScriptedProvider provider = new ScriptedProvider("fake", clock, false);
        TaskId id = provider.linearJob("job", Duration.ofMinutes(10), true);
        provider.failNextStatus(
                new dev.loraport.AuthenticationException("fake", "status", "HTTP 401", 401, null, null));
        TaskWatcher first = TaskWatcher.builder()
                .scheduler(clock)
                .store(TaskStore.file(file))
                .build();
        WatchHandle failed = first.watch(provider, id);
        clock.runDue();
        assertThat(failed.result()).isCompletedExceptionally();
        first.close();

        List<TaskRef> stored = TaskStore.file(file).load();
        assertThat(stored)
                .singleElement()
                .satisfies(r -> assertThat(r.endedBy())
                        .isEqualTo("poll failed: AuthenticationException: fake status: HTTP 401: HTTP 401"));

        TaskStore reopened = TaskStore.file(file);
        TaskWatcher second =
                TaskWatcher.builder().scheduler(clock).store(reopened).build();
        WatchHandle resumed =
                second.resume(reopened.load(), Map.of("fake", provider)::get).get(0);

        assertThat(resumed.ref().endedBy()).isNull();
        assertThat(TaskStore.file(file).load()).containsExactly(resumed.ref());
        clock.advance(Duration.ofMinutes(30));
        assertThat(resumed.result().join().status()).isEqualTo(TrainingStatus.READY);
        assertThat(TaskStore.file(file).load()).isEmpty();
        second.close();
    }

    @Test
    void aCredentialInAPollErrorIsNotWrittenToTheStore() {
        String reason = WatchedTask.pollFailedReason(new IllegalStateException(
                "GET /v3/task?key=sk-live-123 failed; Authorization: Bearer abc.def token=xyz"));

        assertThat(reason)
                .startsWith("poll failed: IllegalStateException: ")
                .doesNotContain("sk-live-123")
                .doesNotContain("abc.def")
                .doesNotContain("xyz");
        TaskRef marked = TaskRef.of("fake", TaskId.of("t"), clock.now()).withEndedBy(reason + "x".repeat(500));
        assertThat(marked.endedBy()).hasSize(TaskRef.MAX_ENDED_BY);
    }

    @Test
    @Tag("issue-14")
    void anAbsurdRetryAfterIsCappedAndTimeoutsStillFire() {
        ScriptedProvider provider = new ScriptedProvider("fake", clock, false);
        TaskId id = provider.linearJob("job", Duration.ofMinutes(10), true);
        provider.failNextStatus(new RateLimitedException(
                "fake", "status", "slow down", 429, null, Duration.ofSeconds(1_000_000_000L), null));

        WatchHandle handle = watcher.watch(provider, id);
        clock.advance(Duration.ofMinutes(30));

        // Capped at the 5-minute ceiling, not decades: the task is seen READY.
        assertThat(handle.result()).isCompleted();
        assertThat(handle.result().join().status()).isEqualTo(TrainingStatus.READY);
        List<Instant> calls = provider.statusCallTimes(id);
        assertThat(Duration.between(calls.get(0), calls.get(1))).isLessThanOrEqualTo(Duration.ofMinutes(6));
    }

    /** Where on the scheduler's clock, from now, the handle completes. */
    private java.util.concurrent.atomic.AtomicReference<@Nullable Duration> doneAfter(WatchHandle handle) {
        Instant start = clock.now();
        java.util.concurrent.atomic.AtomicReference<@Nullable Duration> at =
                new java.util.concurrent.atomic.AtomicReference<>();
        handle.result().whenComplete((t, e) -> at.set(Duration.between(start, clock.now())));
        return at;
    }

    private static void assertTimedOut(WatchHandle handle) {
        assertThat(handle.result()).isCompletedExceptionally();
        assertThatThrownBy(() -> handle.result().join()).cause().isInstanceOf(TaskTimeoutException.class);
    }

    @Test
    @Tag("issue-14")
    void aRateLimitPauseDoesNotHoldADeadlineBack() {
        ScriptedProvider provider = new ScriptedProvider("fake", clock, false);
        TaskId id = provider.linearJob("job", Duration.ofHours(1), true);
        provider.failNextStatus(
                new RateLimitedException("fake", "status", "slow down", 429, null, Duration.ofMinutes(5), null));

        WatchHandle handle = watcher.watch(
                provider,
                id,
                WatchOptions.builder().timeout(Duration.ofSeconds(30)).build());
        var done = doneAfter(handle);
        clock.advance(Duration.ofSeconds(30));

        assertTimedOut(handle);
        assertThat(done.get()).isEqualTo(Duration.ofSeconds(30));
        // The pause holds: the deadline ends the watch without another call.
        assertThat(provider.statusCalls).isEqualTo(1);
        assertThat(clock.pending()).as("no timer left").isZero();
    }

    @Test
    @Tag("issue-14")
    void aSlowStatusCallOfAnotherJobDoesNotHoldADeadlineBack() {
        ScriptedProvider provider = new ScriptedProvider("fake", clock, false);
        TaskId slow = provider.linearJob("slow", Duration.ofHours(1), true);
        TaskId quick = provider.linearJob("quick", Duration.ofHours(1), true);
        // The first call for `slow` takes five minutes, as a hung connection would.
        boolean[] hung = {false};
        provider.beforeStatus(t -> {
            if (t.equals(slow) && !hung[0]) {
                hung[0] = true;
                clock.advance(Duration.ofMinutes(5));
            }
        });

        watcher.watch(provider, slow);
        WatchHandle handle = watcher.watch(
                provider,
                quick,
                WatchOptions.builder().timeout(Duration.ofSeconds(30)).build());
        var done = doneAfter(handle);
        clock.advance(Duration.ofMinutes(6));

        assertTimedOut(handle);
        assertThat(done.get()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    @Tag("issue-14")
    void aLongPollDelayDoesNotHoldADeadlineBack() {
        ScriptedProvider provider = new ScriptedProvider("fake", clock, false);
        // The service says the end is ten hours away, so the next poll would wait the full ceiling.
        TaskId id = provider.linearJob("far", Duration.ofHours(10), true);

        WatchHandle handle = watcher.watch(
                provider,
                id,
                WatchOptions.builder().timeout(Duration.ofSeconds(90)).build());
        var done = doneAfter(handle);
        clock.advance(Duration.ofMinutes(10));

        assertTimedOut(handle);
        assertThat(done.get()).isEqualTo(Duration.ofSeconds(90));
        assertThat(store.load()).hasSize(1);
    }

    @Test
    void nonRetryableErrorEndsTheWatchWithThatError() {
        ScriptedProvider provider = new ScriptedProvider("fake", clock, false);
        Recorder recorder = new Recorder();

        WatchHandle handle = watcher.watch(provider, TaskId.of("ghost"), recorder);
        clock.runDue();

        assertThatThrownBy(() -> handle.result().join()).cause().isInstanceOf(TaskNotFoundException.class);
        assertThat(provider.statusCalls).isEqualTo(1);
        assertThat(recorder.events).containsExactly("error TaskNotFoundException");
        clock.advance(Duration.ofHours(1));
        assertThat(provider.statusCalls).as("no poll after the end").isEqualTo(1);
    }

    @Test
    void retryableErrorsAreRetriedAndRateLimitWaitsForRetryAfter() {
        ScriptedProvider provider = new ScriptedProvider("fake", clock, false);
        TaskId id = provider.linearJob("job", Duration.ofMinutes(2), true);
        provider.failNextStatus(new ProviderUnavailableException("fake", "status", "HTTP 503", 503, null, null));
        provider.failNextStatus(
                new RateLimitedException("fake", "status", "slow down", 429, null, Duration.ofSeconds(90), null));

        WatchHandle handle = watcher.watch(provider, id);
        clock.advance(Duration.ofMinutes(10));

        assertThat(handle.result().join().status()).isEqualTo(TrainingStatus.READY);
        assertThat(watcher.stats().retries()).isEqualTo(2);
        List<Instant> calls = provider.statusCallTimes(id);
        Instant limited = calls.get(1);
        assertThat(calls.get(2)).isAfterOrEqualTo(limited.plusSeconds(90));
    }

    @Test
    void anUnavailableServiceThatIsNotRetriedAtOnceDoesNotEndTheWatch() {
        ScriptedProvider provider = new ScriptedProvider("fake", clock, false);
        TaskId id = provider.linearJob("job", Duration.ofMinutes(2), true);
        // Like an open circuit breaker: the call was not sent, and it must not be repeated at once.
        for (int i = 0; i < 3; i++) {
            provider.failNextStatus(
                    new ProviderUnavailableException("fake", "status", "breaker open", null, null, null) {
                        private static final long serialVersionUID = 1L;

                        @Override
                        public boolean isRetryable() {
                            return false;
                        }
                    });
        }

        WatchHandle handle = watcher.watch(provider, id);
        clock.advance(Duration.ofMinutes(10));

        assertThat(handle.result().join().status()).isEqualTo(TrainingStatus.READY);
        assertThat(watcher.stats().retries()).isEqualTo(3);
        assertThat(watcher.stats().failed()).isZero();
    }

    @Test
    void aRateLimitStormSlowsPollingAndNothingFails() {
        ScriptedProvider provider = new ScriptedProvider("fake", clock, false);
        TaskId id = provider.linearJob("job", Duration.ofMinutes(10), true);
        for (int i = 0; i < 20; i++) {
            provider.failNextStatus(new RateLimitedException("fake", "status", "slow down", 429, null, null, null));
        }

        WatchHandle handle = watcher.watch(provider, id);
        clock.advance(Duration.ofHours(2));

        assertThat(handle.result().join().status()).isEqualTo(TrainingStatus.READY);
        List<Instant> calls = provider.statusCallTimes(id);
        // Exponential back-off from the floor reaches the 5 min ceiling after a few errors.
        Duration storm = Duration.between(calls.get(0), calls.get(20));
        assertThat(storm).isGreaterThan(Duration.ofMinutes(60));
        assertThat(watcher.stats().retries()).isEqualTo(20);
    }

    @Test
    void listenerSeesEachChangeOnceInOrderAndNeverBackwards() {
        ScriptedProvider provider = new ScriptedProvider("fake", clock, false);
        TaskId id = provider.job(
                "job",
                steps(
                        Duration.ZERO,
                        snap(TrainingStatus.QUEUED, null),
                        Duration.ofSeconds(60),
                        snap(TrainingStatus.TRAINING, 40),
                        Duration.ofSeconds(120),
                        snap(TrainingStatus.QUEUED, 35),
                        Duration.ofSeconds(180),
                        snap(TrainingStatus.TRAINING, 35),
                        Duration.ofSeconds(240),
                        snap(TrainingStatus.TRAINING, 60),
                        Duration.ofSeconds(300),
                        snap(TrainingStatus.DEPLOYING, 100),
                        Duration.ofSeconds(360),
                        snap(TrainingStatus.READY, 100)));
        Recorder recorder = new Recorder();
        TaskWatcher dense = TaskWatcher.builder()
                .scheduler(clock)
                .maxPollInterval(Duration.ofSeconds(5))
                .build();

        WatchHandle handle = dense.watch(provider, id, recorder);
        clock.advance(Duration.ofMinutes(10));

        assertThat(handle.result()).isCompleted();
        assertThat(recorder.events)
                .containsExactly(
                        "status null->QUEUED",
                        "status QUEUED->TRAINING",
                        "progress 40",
                        "progress 60",
                        "status TRAINING->DEPLOYING",
                        "progress 100",
                        "status DEPLOYING->READY",
                        "terminal READY");
        dense.close();
    }

    @Test
    void aThrowingListenerDoesNotStopTheWatch() {
        ScriptedProvider provider = new ScriptedProvider("fake", clock, false);
        TaskId id = provider.linearJob("job", Duration.ofMinutes(5), true);

        WatchHandle handle = watcher.watch(provider, id, new TaskListener() {
            @Override
            public void onProgress(TrainingTask task) {
                throw new IllegalStateException("listener bug");
            }
        });
        clock.advance(Duration.ofMinutes(10));

        assertThat(handle.result().join().status()).isEqualTo(TrainingStatus.READY);
    }

    @Test
    void etaAwarePollingPollsFarLessThanAFixedPollerAndSeesTheEndSoon() {
        ScriptedProvider provider = new ScriptedProvider("fake", clock, false);
        Instant start = clock.now();
        TaskId id = provider.linearJob("job", Duration.ofMinutes(10), true);
        Instant[] seen = new Instant[1];

        WatchHandle handle = watcher.watch(provider, id);
        handle.result().thenRun(() -> seen[0] = clock.now());
        clock.advance(Duration.ofMinutes(30));

        int fixedPollerCalls = (int) (Duration.ofMinutes(10).toSeconds() / 5);
        assertThat(provider.statusCalls).isLessThan(fixedPollerCalls / 4);
        assertThat(Duration.between(start.plus(Duration.ofMinutes(10)), seen[0]))
                .isLessThanOrEqualTo(Duration.ofMillis(5500));
    }

    @Test
    void withoutEtaOrProgressPollingFollowsTheExpectedDuration() {
        ScriptedProvider provider = new ScriptedProvider("blind", clock, false);
        TaskId id = provider.job(
                "job",
                steps(
                        Duration.ZERO,
                        snap(TrainingStatus.TRAINING, null),
                        Duration.ofMinutes(8),
                        snap(TrainingStatus.READY, null)));
        TaskWatcher tuned = TaskWatcher.builder()
                .scheduler(clock)
                .random(new Random(1))
                .expectedDuration("blind", Duration.ofMinutes(8))
                .build();

        WatchHandle handle = tuned.watch(provider, id);
        clock.advance(Duration.ofMinutes(30));

        assertThat(handle.result()).isCompleted();
        assertThat(provider.statusCalls).isBetween(3, 20);
        tuned.close();
    }

    @Test
    void batchedRefreshUsesListPagesInsteadOfStatusCalls() {
        ScriptedProvider provider = new ScriptedProvider("lister", clock, true);
        ScriptedProvider plain = new ScriptedProvider("plain", clock, false);
        List<WatchHandle> handles = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            handles.add(watcher.watch(provider, provider.linearJob("job-" + i, Duration.ofMinutes(10), true)));
            handles.add(watcher.watch(plain, plain.linearJob("job-" + i, Duration.ofMinutes(10), true)));
        }

        clock.advance(Duration.ofMinutes(20));

        assertThat(handles).allSatisfy(h -> assertThat(h.result()).isCompleted());
        assertThat(provider.statusCalls).isZero();
        assertThat(provider.listCalls).isPositive().isLessThan(plain.statusCalls / 3);
        assertThat(watcher.stats().listCalls()).isEqualTo(provider.listCalls);
    }

    @Test
    void batchedRefreshReadsSeveralPagesWhenTheyPayOff() {
        ScriptedProvider provider = new ScriptedProvider("lister", clock, true);
        for (int i = 0; i < 6; i++) {
            provider.linearJob("job-" + i, Duration.ofMinutes(10), true);
        }
        TaskWatcher paged =
                TaskWatcher.builder().scheduler(clock).jitter(0).listPageSize(2).build();
        List<WatchHandle> handles = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            handles.add(paged.watch(provider, TaskId.of("job-" + i)));
        }

        clock.runDue();

        // Six new jobs fill three pages of two: three list calls replace six status calls.
        assertThat(provider.listCalls).isEqualTo(3);
        assertThat(provider.statusCalls).isZero();
        assertThat(handles).allSatisfy(h -> assertThat(h.latest()).isPresent());
        paged.close();
    }

    @Test
    void pagesAreReadOnlyWhileEachReplacesAStatusCall() {
        assertThat(ProviderPoller.pagesWorthReading(new int[] {0}, 100, 100)).isZero();
        assertThat(ProviderPoller.pagesWorthReading(new int[] {3}, 100, 100)).isEqualTo(-1);
        assertThat(ProviderPoller.pagesWorthReading(new int[] {0, 1, 5}, 100, 100))
                .isEqualTo(1);
        assertThat(ProviderPoller.pagesWorthReading(new int[] {2, 2, 2}, 100, 100))
                .isEqualTo(2);
        assertThat(ProviderPoller.pagesWorthReading(new int[] {2, 2, 2}, 2, 100))
                .isEqualTo(-1);
        assertThat(ProviderPoller.pagesWorthReading(new int[] {-1, -1, -1, 1}, 100, 2))
                .isEqualTo(1);
        assertThat(ProviderPoller.pagesWorthReading(new int[] {WatchedTask.NOT_LISTED, 0}, 100, 100))
                .isZero();
    }

    @Test
    void batchedRefreshFallsBackToStatusForJobsTheListingMisses() {
        ScriptedProvider provider = new ScriptedProvider("lister", clock, true);
        TaskId a = provider.linearJob("a", Duration.ofMinutes(10), true);
        TaskId b = provider.linearJob("b", Duration.ofMinutes(10), true);
        TaskId hidden = provider.linearJob("hidden", Duration.ofMinutes(10), true);
        provider.hideFromList(hidden);

        WatchHandle ha = watcher.watch(provider, a);
        WatchHandle hb = watcher.watch(provider, b);
        WatchHandle hh = watcher.watch(provider, hidden);
        clock.advance(Duration.ofMinutes(20));

        assertThat(List.of(ha, hb, hh)).allSatisfy(h -> assertThat(h.result()).isCompleted());
        assertThat(provider.statusCallTimes(a)).isEmpty();
        assertThat(provider.statusCallTimes(b)).isEmpty();
        assertThat(provider.statusCallTimes(hidden)).isNotEmpty();
        assertThat(provider.statusCalls)
                .isEqualTo(provider.statusCallTimes(hidden).size());
    }

    @Test
    void aSingleJobOnAListingProviderUsesStatusCalls() {
        ScriptedProvider provider = new ScriptedProvider("lister", clock, true);
        TaskId a = provider.linearJob("a", Duration.ofMinutes(10), true);

        watcher.watch(provider, a);
        clock.advance(Duration.ofMinutes(20));

        assertThat(provider.listCalls).isZero();
        assertThat(provider.statusCalls).isPositive();
    }

    @Test
    void aStalledJobIsReportedOnceAndKeptWatched() {
        ScriptedProvider provider = new ScriptedProvider("stuck", clock, false);
        TaskId id = provider.job("job", steps(Duration.ZERO, snap(TrainingStatus.TRAINING, 10)));
        Recorder recorder = new Recorder();
        TaskWatcher tuned = TaskWatcher.builder()
                .scheduler(clock)
                .expectedDuration("stuck", Duration.ofMinutes(10))
                .build();

        WatchHandle handle = tuned.watch(provider, id, recorder);
        clock.advance(Duration.ofMinutes(29));
        assertThat(recorder.events).noneMatch(e -> e.startsWith("stalled"));
        clock.advance(Duration.ofHours(3));

        assertThat(recorder.events.stream().filter(e -> e.startsWith("stalled")))
                .containsExactly("stalled since 2026-11-24T10:00:00Z");
        assertThat(handle.result()).isNotDone();
        assertThat(tuned.stats().stalls()).isEqualTo(1);
        tuned.close();
    }

    @Test
    void cancellingTheHandleStopsPollingButNotTheJob() {
        ScriptedProvider provider = new ScriptedProvider("fake", clock, false);
        TaskId id = provider.linearJob("job", Duration.ofMinutes(10), true);

        WatchHandle handle = watcher.watch(provider, id);
        clock.advance(Duration.ofMinutes(1));
        int calls = provider.statusCalls;
        handle.cancel();
        clock.advance(Duration.ofMinutes(30));

        assertThat(handle.result()).isCancelled();
        assertThat(provider.statusCalls).isEqualTo(calls);
        assertThat(store.load()).isEmpty();
        assertThat(watcher.stats().watched()).isZero();
    }

    @Test
    void theStoreHoldsRefsWhileJobsAreWatched() {
        ScriptedProvider provider = new ScriptedProvider("fake", clock, false);
        TaskId id = provider.linearJob("job:1", Duration.ofMinutes(10), true);

        WatchHandle handle = watcher.watch(
                provider, id, WatchOptions.builder().clientReference("mine").build());

        assertThat(store.load()).containsExactly(handle.ref());
        assertThat(handle.ref().clientReference()).isEqualTo("mine");
        assertThat(watcher.stats().watched()).isEqualTo(1);
    }

    @Test
    void resumeAfterARestartCompletesEveryStoredJob() {
        ScriptedProvider provider = new ScriptedProvider("fake", clock, false);
        for (int i = 0; i < 3; i++) {
            watcher.watch(provider, provider.linearJob("job-" + i, Duration.ofMinutes(10 + i), true));
        }
        clock.advance(Duration.ofMinutes(2));
        watcher.close();
        assertThat(store.load()).hasSize(3);

        TaskWatcher restarted =
                TaskWatcher.builder().scheduler(clock).store(store).build();
        List<WatchHandle> handles = restarted.resume(store.load(), Map.of("fake", provider)::get);
        clock.advance(Duration.ofMinutes(30));

        assertThat(handles)
                .hasSize(3)
                .allSatisfy(h -> assertThat(h.result().join().status()).isEqualTo(TrainingStatus.READY));
        assertThat(handles.get(0).ref().createdAt()).isEqualTo(Instant.parse("2026-11-24T10:00:00Z"));
        assertThat(store.load()).isEmpty();
        restarted.close();
    }

    @Test
    void resumeRejectsUnknownProvidersBeforeWatchingAnything() {
        List<TaskRef> refs = List.of(
                TaskRef.of("fake", TaskId.of("a"), clock.now()), TaskRef.of("gone", TaskId.of("b"), clock.now()));
        ScriptedProvider provider = new ScriptedProvider("fake", clock, false);

        assertThatThrownBy(() -> watcher.resume(refs, Map.of("fake", provider)::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[gone]");
        assertThat(watcher.stats().watched()).isZero();
    }

    @Test
    void closeCancelsPendingWatchesAndKeepsTheirRefs() {
        ScriptedProvider provider = new ScriptedProvider("fake", clock, false);
        WatchHandle handle = watcher.watch(provider, provider.linearJob("job", Duration.ofMinutes(10), true));

        watcher.close();

        assertThat(handle.result()).isCompletedExceptionally();
        assertThatThrownBy(() -> handle.result().join()).isInstanceOf(CancellationException.class);
        assertThat(store.load()).hasSize(1);
        assertThat(clock.pending()).isZero();
        assertThatThrownBy(() -> watcher.watch(provider, TaskId.of("x"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closeStopsTheDefaultSchedulerThreads() throws Exception {
        java.util.Set<Thread> before = watcherThreads();
        TaskWatcher real = TaskWatcher.builder().threads(2).build();
        ScriptedProvider provider = new ScriptedProvider("fake", clock, false);
        TaskId id = provider.job("job", steps(Duration.ZERO, snap(TrainingStatus.READY, 100)));
        assertThat(real.watch(provider, id)
                        .result()
                        .get(5, java.util.concurrent.TimeUnit.SECONDS)
                        .status())
                .isEqualTo(TrainingStatus.READY);
        java.util.Set<Thread> started = watcherThreads();
        started.removeAll(before);
        assertThat(started)
                .isNotEmpty()
                .allSatisfy(t -> assertThat(t.isDaemon()).isTrue());

        real.close();

        for (Thread t : started) {
            t.join(5000);
        }
        assertThat(started).noneMatch(Thread::isAlive);
    }

    private static java.util.Set<Thread> watcherThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("loraport-watcher-"))
                .collect(java.util.stream.Collectors.toCollection(java.util.HashSet::new));
    }

    @Test
    void tenThousandJobsOnTwoProvidersAllComplete() {
        ScriptedProvider plain = new ScriptedProvider("plain", clock, false);
        ScriptedProvider lister = new ScriptedProvider("lister", clock, true);
        int jobs = 10_000;
        List<CompletableFuture<TrainingTask>> results = new ArrayList<>(jobs);
        for (int i = 0; i < jobs; i++) {
            ScriptedProvider p = i % 2 == 0 ? plain : lister;
            TaskId id = p.linearJob("job-" + i, Duration.ofSeconds(600 + i % 600), true);
            results.add(watcher.watch(p, id).result());
        }
        assertThat(watcher.stats().watched()).isEqualTo(jobs);

        clock.advance(Duration.ofMinutes(40));
        System.out.printf(
                "10000 jobs: %s; plain provider %d status calls, listing provider %d list + %d status calls%n",
                watcher.stats(), plain.statusCalls, lister.listCalls, lister.statusCalls);

        assertThat(results).allSatisfy(r -> assertThat(r).isCompleted());
        assertThat(watcher.stats().watched()).isZero();
        assertThat(lister.statusCalls + lister.listCalls)
                .as("the listing provider is refreshed by pages")
                .isLessThan(plain.statusCalls / 4);
    }

    @Test
    void aThousandJobsPollFarLessThanAFixedPoller() {
        ScriptedProvider provider = new ScriptedProvider("bulk", clock, false);
        Random durations = new Random(3);
        Instant start = clock.now();
        int jobs = 1000;
        long[] ends = new long[jobs];
        long[] delays = new long[jobs];
        for (int i = 0; i < jobs; i++) {
            Duration total = Duration.ofSeconds(300 + durations.nextInt(1500));
            ends[i] = start.plus(total).toEpochMilli();
            TaskId id = provider.linearJob("job-" + i, total, true);
            int index = i;
            watcher.watch(provider, id)
                    .result()
                    .thenRun(() -> delays[index] = clock.now().toEpochMilli() - ends[index]);
        }

        clock.advance(Duration.ofHours(1));

        assertThat(watcher.stats().completed()).isEqualTo(jobs);
        long fixedPollerCalls = 0;
        for (long end : ends) {
            fixedPollerCalls += (end - start.toEpochMilli()) / 5000 + 1;
        }
        double perJob = (double) provider.statusCalls / jobs;
        long[] sorted = delays.clone();
        java.util.Arrays.sort(sorted);
        long p50 = sorted[jobs / 2];
        long p99 = sorted[jobs * 99 / 100];
        System.out.printf(
                "1000 jobs: %.1f calls per job (fixed 5 s poller: %.1f), completion seen after p50 %d ms, p99 %d ms,"
                        + " scheduler threads 0 (virtual time)%n",
                perJob, (double) fixedPollerCalls / jobs, p50, p99);
        assertThat(perJob).isLessThan(fixedPollerCalls / (double) jobs / 5);
        assertThat(p99).isLessThanOrEqualTo(5500);
    }

    /** Training with an ETA to {@code end} until {@code etaUntil}, then no estimate at all, then READY at end. */
    private static java.util.function.Function<Duration, ScriptedProvider.Snapshot> endsAt(
            Duration end, Duration etaUntil) {
        return elapsed -> {
            if (elapsed.compareTo(end) >= 0) {
                return snap(TrainingStatus.READY, 100);
            }
            if (elapsed.compareTo(etaUntil) < 0) {
                return new ScriptedProvider.Snapshot(TrainingStatus.TRAINING, null, end.minus(elapsed));
            }
            return snap(TrainingStatus.DEPLOYING, null);
        };
    }

    private Duration seenAfterEnd(ScriptedProvider provider, TaskId id, Duration end) {
        Instant start = clock.now();
        Instant[] seen = new Instant[1];
        watcher.watch(provider, id, new TaskListener() {
            @Override
            public void onTerminal(TrainingTask task) {
                seen[0] = clock.now();
            }
        });
        clock.advance(end.plusMinutes(20));
        assertThat(seen[0]).as("seen ending").isNotNull();
        return Duration.between(start.plus(end), seen[0]);
    }

    @Test
    void aJobThatEndsWhenItsEtaSaidIsSeenAQuarterSecondLaterThoughTheFloorIsFiveSeconds() {
        ScriptedProvider provider = new ScriptedProvider("fake", clock, false);
        Duration end = Duration.ofSeconds(601);
        TaskId id = provider.job("job", endsAt(end, end));

        Duration late = seenAfterEnd(provider, id, end);

        assertThat(late).isBetween(Duration.ZERO, Duration.ofMillis(PollPolicy.AIM_MARGIN_MILLIS));
        // Spacing by half the ETA takes about log2(600 s / 5 s) polls; the aim adds one, not a dense tail.
        assertThat(provider.statusCalls).isLessThanOrEqualTo(12);
    }

    @Test
    void whenTheServiceStopsGivingAnEtaItsLastOneStillTimesThePolls() {
        ScriptedProvider provider = new ScriptedProvider("fake", clock, false);
        Duration end = Duration.ofMinutes(10);
        // ETA until minute 8, then two minutes of deployment without one; the default expectation is 30 minutes,
        // which alone would put the next poll at the 5-minute ceiling.
        TaskId id = provider.job("job", endsAt(end, Duration.ofMinutes(8)));

        Duration late = seenAfterEnd(provider, id, end);

        assertThat(late).isLessThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aJobThatOverrunsItsEtaIsPolledLessOftenTheLaterItGets() {
        ScriptedProvider provider = new ScriptedProvider("fake", clock, false);
        // The last ETA promised minute 8; the job ends at minute 28.
        TaskId id = provider.job(
                "job",
                steps(
                        Duration.ZERO,
                        new ScriptedProvider.Snapshot(TrainingStatus.TRAINING, null, Duration.ofMinutes(8)),
                        Duration.ofSeconds(1),
                        snap(TrainingStatus.DEPLOYING, null),
                        Duration.ofMinutes(28),
                        snap(TrainingStatus.READY, 100)));

        watcher.watch(provider, id);
        clock.advance(Duration.ofMinutes(60));

        // A 5-second floor alone would be 240 polls in the 20 overdue minutes.
        assertThat(provider.statusCalls).isLessThan(40);
    }

    @Test
    void tenJobsWithoutEstimatesOnAListingProviderAreReadAtTheFloorNotAtTheExpectedDuration() {
        ScriptedProvider provider = new ScriptedProvider("lister", clock, true);
        Duration end = Duration.ofMinutes(10);
        Instant start = clock.now();
        List<Instant> seen = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < PollPolicy.LIST_READ_SHARE; i++) {
            // Like Novita's list: a status, but neither progress nor ETA.
            TaskId id = provider.job(
                    "job-" + i,
                    steps(Duration.ZERO, snap(TrainingStatus.TRAINING, null), end, snap(TrainingStatus.READY, null)));
            watcher.watch(provider, id, new TaskListener() {
                @Override
                public void onTerminal(TrainingTask task) {
                    seen.add(clock.now());
                }
            });
        }

        clock.advance(Duration.ofMinutes(20));

        assertThat(seen).hasSize(PollPolicy.LIST_READ_SHARE);
        // The default 30-minute expectation alone would leave the next read up to 5 minutes (the ceiling) away.
        assertThat(seen)
                .allSatisfy(t ->
                        assertThat(Duration.between(start.plus(end), t)).isLessThanOrEqualTo(Duration.ofMillis(7_500)));
        // About one page read per 5 s floor for all ten jobs: a tenth of what a 5 s poller spends on each.
        assertThat(provider.listCalls + provider.statusCalls).isLessThanOrEqualTo(130);
    }

    @Test
    void whenTheServicePushesItsEndBackTheWatcherAimsAgainAtTheNewEnd() {
        ScriptedProvider provider = new ScriptedProvider("fake", clock, false);
        Duration promised = Duration.ofMinutes(10);
        Duration end = Duration.ofMillis(622_300);
        // Until 10:00 the ETA names 10:00; from then on it names the real end, 10:22.3.
        TaskId id = provider.job("job", elapsed -> {
            if (elapsed.compareTo(end) >= 0) {
                return snap(TrainingStatus.READY, 100);
            }
            Duration to = elapsed.compareTo(promised) < 0 ? promised : end;
            return new ScriptedProvider.Snapshot(TrainingStatus.TRAINING, null, to.minus(elapsed));
        });

        Duration late = seenAfterEnd(provider, id, end);

        assertThat(late).isBetween(Duration.ZERO, Duration.ofMillis(PollPolicy.AIM_MARGIN_MILLIS));
    }

    @Test
    void aListingProvidersJobsThatNoPageShowsKeepTheirOwnPaceInsteadOfTheFloor() {
        ScriptedProvider provider = new ScriptedProvider("lister", clock, true);
        List<TaskId> hidden = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            TaskId id = provider.job(
                    "job-" + i,
                    steps(
                            Duration.ZERO,
                            snap(TrainingStatus.TRAINING, null),
                            Duration.ofMinutes(10),
                            snap(TrainingStatus.READY, null)));
            if (i < 2) {
                provider.hideFromList(id);
                hidden.add(id);
            }
            watcher.watch(provider, id);
        }

        clock.advance(Duration.ofMinutes(40));

        // Each hidden job costs a status call per poll; at the 5 s floor that would be about 120 in 10 minutes.
        for (TaskId id : hidden) {
            assertThat(provider.statusCallTimes(id)).hasSizeLessThan(20);
        }
    }

    @Test
    void aListingProviderIsReadAtMostOncePerListFloorYetEveryTaskIsSeenWithin2sOfItsEnd() {
        ScriptedProvider provider = new ScriptedProvider("lister", clock, true);
        int jobs = 200;
        Duration job = Duration.ofMinutes(10);
        Instant[] ends = new Instant[jobs];
        Duration[] late = new Duration[jobs];
        for (int i = 0; i < jobs; i++) {
            // Ends spread over 5 s: each job aims its own read at its end.
            ends[i] = clock.now().plus(job);
            TaskId id = provider.linearJob("job-" + i, job, true);
            int index = i;
            watcher.watch(provider, id)
                    .result()
                    .thenRun(() -> late[index] = Duration.between(ends[index], clock.now()));
            clock.advance(Duration.ofMillis(25));
        }

        clock.advance(Duration.ofMinutes(20));

        assertThat(late).allSatisfy(d -> assertThat(d).isNotNull().isLessThanOrEqualTo(Duration.ofSeconds(2)));
        for (int i = 1; i < provider.firstPageReads.size(); i++) {
            assertThat(Duration.between(provider.firstPageReads.get(i - 1), provider.firstPageReads.get(i)))
                    .isGreaterThanOrEqualTo(PollPolicy.DEFAULT_MIN_LIST_INTERVAL);
        }
        // Two pages per refresh; a 5 s poller would spend about 120 status calls on each job.
        assertThat((double) (provider.listCalls + provider.statusCalls) / jobs).isLessThan(2);
    }

    @Test
    void aTailLearnedFromTheFirstJobsOfAProviderAimsItsNextJobsAtTheirEnd() {
        ScriptedProvider provider = new ScriptedProvider("novita-like", clock, false);
        Duration end = Duration.ofMinutes(10);
        // Like Novita: the ETA counts down to the end of training at 9:00, then a minute of deployment without one.
        List<Duration> late = new ArrayList<>();
        List<Integer> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int before = provider.statusCalls;
            TaskId id = provider.job("job-" + i, elapsed -> {
                if (elapsed.compareTo(end) >= 0) {
                    return snap(TrainingStatus.READY, 100);
                }
                Duration trained = Duration.ofMinutes(9);
                if (elapsed.compareTo(trained) < 0) {
                    return new ScriptedProvider.Snapshot(TrainingStatus.TRAINING, null, trained.minus(elapsed));
                }
                return snap(TrainingStatus.DEPLOYING, null);
            });
            late.add(seenAfterEnd(provider, id, end));
            calls.add(provider.statusCalls - before);
        }

        // Nothing learned yet: the minute is searched from a sixteenth of the 9 minutes the ETA covered.
        assertThat(late.get(0)).isLessThanOrEqualTo(Duration.ofSeconds(40));
        // Then the tail is known: the last job is seen within two seconds, and none costs more than the first.
        assertThat(late.get(3)).isLessThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(calls).allSatisfy(c -> assertThat(c).isLessThanOrEqualTo(16));
    }

    @Test
    void watcherAwaitRunsOnVirtualTime() throws Exception {
        ManualScheduler clock = new ManualScheduler();
        ScriptedProvider provider = new ScriptedProvider("fake", clock, false);
        TaskId id = provider.linearJob("job", Duration.ofMinutes(10), true);
        try (TaskWatcher watcher = TaskWatcher.builder().scheduler(clock).build()) {
            TrainingTask[] result = new TrainingTask[1];
            Thread waiter = new Thread(() -> result[0] = watcher.await(provider, id, Duration.ofHours(1)));
            waiter.start();
            while (watcher.stats().watched() == 0 && waiter.isAlive()) {
                Thread.onSpinWait();
            }
            clock.advance(Duration.ofMinutes(11));
            waiter.join(5000);

            assertThat(result[0].status()).isEqualTo(TrainingStatus.READY);
        }
    }

    @Test
    void aPollNowHintBringsTheNextPollForwardAndAnUnknownOneDoesNothing() {
        ScriptedProvider provider = new ScriptedProvider("fake", clock, false);
        TaskId id = provider.job(
                "hinted",
                steps(
                        Duration.ZERO,
                        snap(TrainingStatus.TRAINING, 10),
                        Duration.ofMinutes(3),
                        snap(TrainingStatus.READY, null)));
        try (TaskWatcher slow = TaskWatcher.builder()
                .scheduler(clock)
                .minPollInterval(Duration.ofMinutes(10))
                .maxPollInterval(Duration.ofMinutes(10))
                .jitter(0)
                .build()) {
            WatchHandle handle = slow.watch(provider, id);
            clock.advance(Duration.ofMinutes(3).plusSeconds(1));
            assertThat(handle.result()).isNotDone();
            int before = provider.statusCalls;

            assertThat(slow.pollNow("other", id)).isFalse();
            assertThat(slow.pollNow("fake", TaskId.of("not-watched"))).isFalse();
            clock.advance(Duration.ofMillis(1));
            assertThat(provider.statusCalls).isEqualTo(before);
            assertThat(slow.pollNow("fake", id)).isTrue();
            clock.advance(Duration.ofMillis(1));

            assertThat(handle.result()).isCompleted();
            assertThat(handle.result().join().status()).isEqualTo(TrainingStatus.READY);
            assertThat(provider.statusCalls).isEqualTo(before + 1);
        }
    }
}
