package dev.loraport.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loraport.TaskId;
import dev.loraport.watch.TaskRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The lease half of the PostgreSQL store, on a real PostgreSQL: who may claim, hold, renew and finish a job. */
class PostgresLeaseTest {

    private static final Duration LEASE = Duration.ofSeconds(30);

    private final PostgresTaskStore store = PostgresTaskStore.builder(EmbeddedPostgresOnce.dataSource())
            .schema(EmbeddedPostgresOnce.freshSchema())
            .build();

    private static TaskRef ref(String id) {
        return new TaskRef("novita", TaskId.of(id), null, Instant.parse("2026-12-01T00:00:00Z"));
    }

    @Test
    void workersClaimingAtOnceNeverGetTheSameJob() throws Exception {
        for (int i = 0; i < 400; i++) {
            store.save(ref("job-" + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<List<TaskRef>>> claims = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            String owner = "w" + w;
            Callable<List<TaskRef>> claimAll = () -> {
                List<TaskRef> mine = new ArrayList<>();
                for (int round = 0; round < 20; round++) {
                    mine.addAll(store.claim(owner, List.of("novita"), LEASE, 7));
                }
                return mine;
            };
            claims.add(pool.submit(claimAll));
        }
        Set<TaskRef> seen = new HashSet<>();
        int total = 0;
        for (Future<List<TaskRef>> f : claims) {
            for (TaskRef r : f.get()) {
                total++;
                seen.add(r);
            }
        }
        pool.shutdown();

        assertThat(total).as("claims").isEqualTo(400);
        assertThat(seen).as("distinct jobs claimed").hasSize(400);
        assertThat(store.claim("late", List.of("novita"), LEASE, 10)).isEmpty();
    }

    @Test
    void aLiveLeaseKeepsOthersOutAndOnlyItsHolderFinishesTheJob() {
        TaskRef job = ref("job-1");
        assertThat(store.hold("a", job, LEASE)).isTrue();

        assertThat(store.hold("b", job, LEASE)).isFalse();
        assertThat(store.claim("b", List.of("novita"), LEASE, 10)).isEmpty();
        assertThat(store.renew("b", List.of(job), LEASE)).isEmpty();
        assertThat(store.finish("b", job)).isFalse();
        assertThat(store.renew("a", List.of(job), LEASE)).containsExactly(job);

        store.release("b", List.of(job));
        assertThat(store.claim("b", List.of("novita"), LEASE, 10))
                .as("b's release frees nothing of a's")
                .isEmpty();
        store.release("a", List.of(job));
        assertThat(store.claim("b", List.of("novita"), LEASE, 10)).containsExactly(job);
        assertThat(store.finish("a", job)).isFalse();
        assertThat(store.finish("b", job)).isTrue();
        assertThat(store.finish("b", job)).as("once").isFalse();
        assertThat(store.load()).isEmpty();
        assertThat(store.renew("b", List.of(job), LEASE))
                .as("a finished job is not brought back")
                .isEmpty();
        assertThat(store.load()).isEmpty();
    }

    @Test
    void anExpiredLeasePassesToTheNextClaimer() throws Exception {
        TaskRef job = ref("job-1");
        assertThat(store.hold("dead", job, Duration.ofMillis(200))).isTrue();
        assertThat(store.claim("b", List.of("novita"), LEASE, 10)).isEmpty();

        Thread.sleep(400);

        assertThat(store.claim("b", List.of("novita"), LEASE, 10)).containsExactly(job);
        assertThat(store.renew("dead", List.of(job), LEASE))
                .as("the dead worker cannot take it back")
                .isEmpty();
        assertThat(store.finish("dead", job)).isFalse();
    }

    @Test
    void aMarkedRefDropsItsLeaseAndIsNotClaimedUntilResumed() {
        TaskRef job = ref("job-1");
        assertThat(store.hold("a", job, LEASE)).isTrue();

        store.save(job.withEndedBy("timed out"));

        assertThat(store.claim("b", List.of("novita"), LEASE, 10)).isEmpty();
        assertThat(store.renew("a", List.of(job), LEASE)).isEmpty();
        assertThat(store.hold("b", job, LEASE))
                .as("resume clears the mark and takes the lease")
                .isTrue();
        assertThat(store.load())
                .singleElement()
                .satisfies(r -> assertThat(r.endedBy()).isNull());
    }

    @Test
    void claimsTakeOnlyTheGivenProvidersJobsOldestFirst() {
        store.save(ref("n-1"));
        store.save(new TaskRef("stablediffusionapi", TaskId.of("m-1"), null, Instant.EPOCH));
        store.save(ref("n-2"));

        assertThat(store.claim("a", List.of("novita"), LEASE, 10))
                .extracting(r -> r.taskId().value())
                .containsExactly("n-1", "n-2");
        assertThat(store.claim("a", List.of("replicate"), LEASE, 10)).isEmpty();
    }
}
