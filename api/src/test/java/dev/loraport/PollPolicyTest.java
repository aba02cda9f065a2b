package dev.loraport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The rules of the one poll policy, each on its own; jitter is switched off so every delay is exact. */
class PollPolicyTest {

    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
    private static final PollPolicy POLICY = PollPolicy.builder().jitter(0).build();

    private static TrainingTask task(TrainingStatus status, @Nullable Duration eta) {
        return TrainingTask.builder()
                .id(TaskId.of("t"))
                .providerId("p")
                .status(status)
                .eta(eta)
                .createdAt(START)
                .build();
    }

    private static Instant at(long seconds) {
        return START.plusMillis(seconds * 1000);
    }

    private static PollPolicy.Next next(
            TrainingTask task, Instant now, PollPolicy.Memory memory, PollPolicy.Shared shared) {
        return POLICY.next(task, now, START, memory, shared, 0.5);
    }

    @Test
    void listedTasksWithoutEstimatesAreReadAtATenthOfTheFloorsCostButNeverBelowTheListFloor() {
        TrainingTask running = task(TrainingStatus.TRAINING, null);

        Duration hundred = next(running, at(60), PollPolicy.Memory.none(), new PollPolicy.Shared(100, 1, null))
                .delay();
        Duration twenty = next(running, at(60), PollPolicy.Memory.none(), new PollPolicy.Shared(20, 1, null))
                .delay();
        Duration thousand = next(running, at(60), PollPolicy.Memory.none(), new PollPolicy.Shared(1_000, 10, null))
                .delay();
        Duration two = next(running, at(60), PollPolicy.Memory.none(), new PollPolicy.Shared(2, 1, null))
                .delay();

        // 5 s x 10 / 100 tasks per read = 0.5 s, held at the 1.5 s list floor.
        assertThat(hundred).isEqualTo(PollPolicy.DEFAULT_MIN_LIST_INTERVAL);
        // 5 s x 10 / 20 tasks per read: each read costs a task 1/20 call, a tenth of a 5 s poller's.
        assertThat(twenty).isEqualTo(Duration.ofMillis(2_500));
        // Ten pages for a thousand tasks: still a hundred tasks per call.
        assertThat(thousand).isEqualTo(PollPolicy.DEFAULT_MIN_LIST_INTERVAL);
        // Two tasks on one page: a read is dear for them, so the pace is above the floor.
        assertThat(two).isEqualTo(Duration.ofSeconds(25));
    }

    @Test
    void aListedTaskNearItsEndGetsAnAimedReadBelowTheFloor() {
        PollPolicy.Next next = next(
                task(TrainingStatus.TRAINING, Duration.ofMillis(3_217)),
                at(600),
                PollPolicy.Memory.none(),
                new PollPolicy.Shared(100, 1, null));

        assertThat(next.delay()).isEqualTo(Duration.ofMillis(3_217 + PollPolicy.AIM_MARGIN_MILLIS));
    }

    @Test
    void etasInWholeMinutesAreIntersectedIntoTheSpanWhereTheEndLies() {
        // The end is at 29:40. At 0:00 the service says 29 minutes, at 5:10 it says 24: each is rounded down.
        PollPolicy.Memory m = next(
                        task(TrainingStatus.TRAINING, Duration.ofMinutes(29)),
                        at(0),
                        PollPolicy.Memory.none(),
                        PollPolicy.Shared.alone())
                .memory();
        assertThat(m.estimatedEnd()).contains(at(30 * 60).minusMillis(1));

        m = next(task(TrainingStatus.TRAINING, Duration.ofMinutes(24)), at(310), m, PollPolicy.Shared.alone())
                .memory();

        // [29:00, 30:00) from the first, [29:10, 30:10) from the second.
        assertThat(m.estimatedEnd()).contains(at(30 * 60).minusMillis(1));
        PollPolicy.Next probe =
                next(task(TrainingStatus.TRAINING, Duration.ofMinutes(19)), at(610), m, PollPolicy.Shared.alone());
        // Now [29:10, 29:59.999]: the next poll (about 9.5 minutes away by the ETA factor, held at the 5 min
        // ceiling) is moved to a moment a whole number of minutes before the span's middle, 29:35, where the
        // reported minutes change exactly when the end passes that middle.
        long probeAt = at(610).plus(probe.delay()).toEpochMilli();
        long middle = at(29 * 60 + 10).toEpochMilli()
                + (at(30 * 60).toEpochMilli() - 1 - at(29 * 60 + 10).toEpochMilli()) / 2;
        assertThat((middle - probeAt) % 60_000).isZero();
        assertThat(probe.delay())
                .isBetween(
                        Duration.ofMinutes(4).plusSeconds(30),
                        Duration.ofMinutes(5).plusSeconds(30));
    }

    @Test
    void anEtaGivenInWholeMinutesAgainAndAgainIsPinnedToUnderASecondByTheUsualPolls() {
        // A 30-minute job ending at 29:43.210, reported in whole minutes, rounded down.
        long end = at(29 * 60 + 43).toEpochMilli() + 210;
        PollPolicy.Memory m = PollPolicy.Memory.none();
        long now = START.toEpochMilli();
        int polls = 0;
        while (now < end) {
            long eta = (end - now) / 60_000 * 60_000;
            PollPolicy.Next n = next(
                    task(TrainingStatus.TRAINING, Duration.ofMillis(eta)),
                    Instant.ofEpochMilli(now),
                    m,
                    PollPolicy.Shared.alone());
            m = n.memory();
            now += n.delay().toMillis();
            polls++;
        }

        assertThat(now - end).isBetween(0L, 1_000L);
        assertThat(polls).isLessThan(20);
    }

    @Test
    void whenTheEtaRunsOutAndTheTaskGoesOnWithoutOneItIsSearchedFromASixteenthOfTheJob() {
        // Novita: the ETA counts down to the end of training at 9:00; the deployment after it has none.
        PollPolicy.Memory m = next(
                        task(TrainingStatus.TRAINING, Duration.ofSeconds(4)),
                        at(536),
                        PollPolicy.Memory.none(),
                        PollPolicy.Shared.alone())
                .memory();
        assertThat(m.etaRanOut()).isFalse();

        PollPolicy.Next after = next(task(TrainingStatus.DEPLOYING, null), at(541), m, PollPolicy.Shared.alone());

        assertThat(after.memory().etaRanOut()).isTrue();
        // The ETA covered 9 minutes from the task's creation (to 9:00.999, as it is in whole seconds), / 16.
        Duration covered = Duration.between(START, m.estimatedEnd().orElseThrow());
        assertThat(covered).isEqualTo(Duration.ofMillis(540_999));
        assertThat(after.delay()).isEqualTo(Duration.ofMillis(covered.toMillis() / PollPolicy.UNKNOWN_TAIL_SHARE));
    }

    @Test
    void withALearnedTailATaskWhoseEtaRanOutIsAimedAtThatEndPlusTheTail() {
        PollPolicy.Memory m = next(
                        task(TrainingStatus.TRAINING, Duration.ofSeconds(4)),
                        at(536),
                        PollPolicy.Memory.none(),
                        PollPolicy.Shared.alone())
                .memory();
        PollPolicy.Shared learned = new PollPolicy.Shared(0, 0, Duration.ofSeconds(60));
        Instant now = at(541);
        PollPolicy.Next n = next(task(TrainingStatus.DEPLOYING, null), now, m, learned);
        int polls = 1;
        while (now.plus(n.delay()).isBefore(at(600))) {
            now = now.plus(n.delay());
            n = next(task(TrainingStatus.DEPLOYING, null), now, n.memory(), learned);
            polls++;
        }

        Instant landed = now.plus(n.delay());
        // The end of training was 9:00 (less than a second, as the ETA is in whole seconds); plus 60 s.
        assertThat(Duration.between(at(600), landed))
                .isBetween(Duration.ZERO, Duration.ofMillis(1_000 + PollPolicy.AIM_MARGIN_MILLIS));
        assertThat(polls).isLessThanOrEqualTo(5);
    }

    @Test
    void theTailIsLearnedOnlyFromTasksWhoseEtaRanOutAndMovesOnlyWhenATaskContradictsIt() {
        PollPolicy.Memory running = next(
                        task(TrainingStatus.TRAINING, Duration.ofSeconds(4)),
                        at(536),
                        PollPolicy.Memory.none(),
                        PollPolicy.Shared.alone())
                .memory();
        PollPolicy.Memory ranOut = next(
                        task(TrainingStatus.DEPLOYING, null), at(541), running, PollPolicy.Shared.alone())
                .memory();
        Instant namedEnd = ranOut.estimatedEnd().orElseThrow();

        // An ETA that held to the end teaches nothing.
        assertThat(POLICY.learnTail(null, running, at(530), at(541))).isNull();
        // The first: the end of the bracket it ended in, so the next task is not aimed too early.
        assertThat(POLICY.learnTail(null, ranOut, namedEnd.plusSeconds(34), namedEnd.plusSeconds(68)))
                .isEqualTo(Duration.ofSeconds(68));
        // Inside the bracket: kept.
        assertThat(POLICY.learnTail(Duration.ofSeconds(60), ranOut, namedEnd.plusSeconds(1), namedEnd.plusSeconds(61)))
                .isEqualTo(Duration.ofSeconds(60));
        // Done sooner than the tail said: down to the bracket's end.
        assertThat(POLICY.learnTail(Duration.ofSeconds(68), ranOut, namedEnd.plusSeconds(59), namedEnd.plusSeconds(61)))
                .isEqualTo(Duration.ofSeconds(61));
        // Still running past the tail: up to the bracket's middle, not its possibly far end.
        assertThat(POLICY.learnTail(Duration.ofSeconds(30), ranOut, namedEnd.plusSeconds(40), namedEnd.plusSeconds(80)))
                .isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void sharedRejectsCountsThatCannotBe() {
        assertThatThrownBy(() -> new PollPolicy.Shared(-1, 0, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PollPolicy.Shared(5, 0, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PollPolicy.Shared(0, 0, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(PollPolicy.Shared.alone()).isEqualTo(new PollPolicy.Shared(0, 0, null));
    }

    @Test
    void theListFloorIsASettingOfThePolicy() {
        PollPolicy p =
                PollPolicy.builder().minListInterval(Duration.ofSeconds(1)).build();

        assertThat(p.minListInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.toBuilder().build()).isEqualTo(p).isNotEqualTo(PollPolicy.defaults());
        assertThat(PollPolicy.defaults().minListInterval()).isEqualTo(PollPolicy.DEFAULT_MIN_LIST_INTERVAL);
    }
}
