package dev.loraport.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loraport.TaskId;
import dev.loraport.watch.CreateIntent;
import dev.loraport.watch.TaskRef;
import dev.loraport.watch.TaskStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresTaskStoreTest {

    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00.123456789Z");

    private DataSource db;
    private String schema;

    @BeforeEach
    void setUp() {
        db = EmbeddedPostgresOnce.dataSource();
        schema = EmbeddedPostgresOnce.freshSchema();
    }

    /** Another worker: its own store object on the same database, as another JVM would have. */
    private TaskStore worker() {
        return PostgresTaskStore.builder(db).schema(schema).build();
    }

    private static CreateIntent.Key key(String ref) {
        return new CreateIntent.Key("stablediffusionapi", CreateIntent.fingerprint("key-1"), ref);
    }

    @Test
    void refsAreSavedReplacedRemovedAndLoadedInOrder() {
        TaskStore store = worker();
        TaskRef a = new TaskRef("novita", TaskId.of("a"), "ref-a", T0);
        TaskRef b = TaskRef.of("novita", TaskId.of("b"), T0);
        store.save(a);
        store.save(b);
        TaskRef a2 = new TaskRef("novita", TaskId.of("a"), "ref-a2", T0);
        store.save(a2);

        assertThat(worker().load()).containsExactly(a2, b);
        store.remove(b);
        assertThat(worker().load()).containsExactly(a2);
    }

    @Test
    void onlyOneWorkerOfManyBeginningOneKeyMaySend() throws Exception {
        int workers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            TaskStore store = worker();
            String digest = "d" + i;
            results.add(pool.submit(() -> {
                start.await();
                return store.begin(CreateIntent.sending(key("shared"), digest, T0))
                        .isEmpty();
            }));
        }
        start.countDown();
        int winners = 0;
        for (Future<Boolean> f : results) {
            winners += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
        }
        pool.shutdownNow();

        assertThat(winners).isEqualTo(1);
        assertThat(worker().intents()).hasSize(1);
    }

    @Test
    void anIntentReadsBackAsWrittenThroughEveryState() {
        TaskStore a = worker();
        CreateIntent sent = CreateIntent.sending(key("job-1"), "digest", T0);
        assertThat(a.begin(sent)).isEmpty();
        assertThat(worker().begin(CreateIntent.sending(key("job-1"), "other", T0)))
                .contains(sent);

        CreateIntent unknown = sent.unresolved("read timed out", T0.plusSeconds(3));
        worker().update(unknown);
        assertThat(a.intent(key("job-1"))).contains(unknown);

        CreateIntent accepted = unknown.accepted(TaskId.of("42"), T0.plusSeconds(5));
        a.update(accepted);
        assertThat(worker().intents()).containsExactly(accepted);
        assertThatThrownBy(() -> a.update(CreateIntent.sending(key("none"), "d", T0)))
                .isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void abandonRemovesOnlyTheIntentAsItWasSeen() {
        TaskStore a = worker();
        TaskStore b = worker();
        CreateIntent sent = CreateIntent.sending(key("job-1"), "d", T0).unresolved("lost", T0.plusSeconds(1));
        a.begin(CreateIntent.sending(key("job-1"), "d", T0));
        a.update(sent);
        CreateIntent seenByA = a.intent(key("job-1")).orElseThrow();
        CreateIntent seenByB = b.intent(key("job-1")).orElseThrow();

        assertThat(a.abandon(seenByA)).isTrue();
        // B saw the same intent, but A took it over first.
        a.begin(CreateIntent.sending(key("job-1"), "d", T0.plusSeconds(2)));
        assertThat(b.abandon(seenByB)).isFalse();
        assertThat(b.intent(key("job-1"))).isPresent();
    }

    @Test
    void theAccountLockExcludesEveryOtherWorkerAndIsReentrant() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            TaskStore store = worker();
            done.add(pool.submit(() -> store.locked(
                    "stablediffusionapi",
                    "acct",
                    () -> store.locked("stablediffusionapi", "acct", () -> {
                        most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        store.intents(); // other statements work while the lock is held
                        sleep(50);
                        inside.decrementAndGet();
                        return null;
                    }))));
        }
        for (Future<?> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdownNow();

        assertThat(most.get()).isEqualTo(1);
        assertThat(advisoryLocksHeld()).isZero();
    }

    @Test
    void aLockOfAnotherAccountDoesNotWait() throws Exception {
        TaskStore a = worker();
        TaskStore b = worker();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<?> holder = pool.submit(() -> a.locked("p", "account-1", () -> {
            holding.countDown();
            await(release);
            return null;
        }));
        assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();

        assertThat(b.locked("p", "account-2", () -> "ran")).isEqualTo("ran");
        release.countDown();
        holder.get(30, TimeUnit.SECONDS);
        pool.shutdownNow();
    }

    @Test
    void theDdlCreatesWhatTheStoreUsesAndABadSchemaIsRefusedNamingIt() throws Exception {
        try (Connection c = db.getConnection();
                Statement st = c.createStatement()) {
            for (String sql : PostgresTaskStore.ddl(schema)) {
                st.execute(sql);
            }
        }
        TaskStore store =
                PostgresTaskStore.builder(db).schema(schema).createSchema(false).build();
        store.begin(CreateIntent.sending(key("job-1"), "d", T0));
        assertThat(store.intents()).hasSize(1);

        assertThatThrownBy(() -> PostgresTaskStore.builder(db).schema("x; DROP TABLE y"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schema");
    }

    private int advisoryLocksHeld() throws Exception {
        try (Connection c = db.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aCorrelationValueIsJournaledAndATableOfTheEarlierShapeGetsItsColumnInPlace() throws Exception {
        // A 0.1 table, without the column, holding one intent.
        try (java.sql.Connection c = db.getConnection();
                java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
            st.execute("CREATE TABLE " + schema + ".loraport_create_intent (provider_id text NOT NULL, account text"
                    + " NOT NULL, client_reference text NOT NULL, request_digest text NOT NULL, state text NOT NULL"
                    + " CHECK (state IN ('SENDING', 'ACCEPTED')), task_id text, reason text, created_at timestamptz"
                    + " NOT NULL, updated_at timestamptz NOT NULL, seq bigserial, PRIMARY KEY (provider_id, account,"
                    + " client_reference), CHECK ((state = 'ACCEPTED') = (task_id IS NOT NULL)))");
            st.execute("INSERT INTO " + schema + ".loraport_create_intent (provider_id, account, client_reference,"
                    + " request_digest, state, created_at, updated_at) VALUES ('replicate', 'acct', 'old-1', 'd',"
                    + " 'SENDING', now(), now())");
        }
        TaskStore store = worker();
        CreateIntent.Key key = new CreateIntent.Key("replicate", "acct", "new-1");
        CreateIntent mine = CreateIntent.sending(key, "d2", T0).withCorrelation("https://files/abc.zip", T0);

        assertThat(store.begin(mine)).isEmpty();

        assertThat(worker().intent(key).orElseThrow().correlation()).isEqualTo("https://files/abc.zip");
        assertThat(worker().intent(new CreateIntent.Key("replicate", "acct", "old-1"))
                        .orElseThrow()
                        .correlation())
                .isNull();
        CreateIntent accepted = mine.accepted(TaskId.of("t1"), T0.plusSeconds(1));
        store.update(accepted);
        assertThat(worker().intent(key)).contains(accepted);
        assertThat(accepted.correlation()).isEqualTo("https://files/abc.zip");
    }
}
