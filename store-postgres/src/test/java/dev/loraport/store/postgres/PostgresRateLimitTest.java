package dev.loraport.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loraport.Page;
import dev.loraport.PageRequest;
import dev.loraport.ProviderCapabilities;
import dev.loraport.ProviderConfig;
import dev.loraport.ProviderInfo;
import dev.loraport.RateLimitedException;
import dev.loraport.TaskId;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import dev.loraport.decorators.ProviderStack;
import dev.loraport.decorators.SharedRateLimit;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresRateLimitTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private DataSource db;
    private String schema;
    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @BeforeEach
    void setUp() {
        db = EmbeddedPostgresOnce.dataSource();
        schema = EmbeddedPostgresOnce.freshSchema();
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
    }

    /** A service that answers every status at once and notes when each call reached it. */
    private static final class RecordingProvider implements TrainingProvider {
        private final List<Long> calls;

        RecordingProvider(List<Long> calls) {
            this.calls = calls;
        }

        @Override
        public ProviderInfo info() {
            return new ProviderInfo(
                    "recording",
                    "Recording",
                    ProviderCapabilities.builder()
                            .trainingKinds(TrainingKind.SUBJECT)
                            .build());
        }

        @Override
        public TrainingTask create(TrainingRequest request) {
            throw new UnsupportedOperationException("only status is called");
        }

        @Override
        public TrainingTask status(TaskId id) {
            calls.add(System.nanoTime());
            return TrainingTask.builder()
                    .id(id)
                    .providerId("recording")
                    .status(TrainingStatus.QUEUED)
                    .build();
        }

        @Override
        public Page<TrainingTask> list(PageRequest page) {
            throw new UnsupportedOperationException("only status is called");
        }
    }

    /** One worker's stack: its own adapter and decorators, drawing on the shared limit. */
    private static TrainingProvider stack(
            SharedRateLimit limit, List<Long> calls, String permitsPerSecond, String maxWait) {
        ProviderConfig cfg = ProviderConfig.builder()
                .providerId("recording")
                .apiKey("key-1")
                .option("ratelimit.permits-per-second", permitsPerSecond)
                .option("ratelimit.max-wait", maxWait)
                .option("retry.enabled", "false")
                .option("circuitbreaker.enabled", "false")
                .globalOption("metrics.enabled", "false")
                .build();
        return ProviderStack.builder()
                .config(cfg)
                .adapter(new RecordingProvider(calls))
                .rateLimit(limit)
                .build();
    }

    /** The most calls in any window of one second that starts at a call. */
    static int mostInOneSecond(List<Long> nanos) {
        List<Long> t = new ArrayList<>(nanos);
        Collections.sort(t);
        int most = 0;
        int end = 0;
        for (int start = 0; start < t.size(); start++) {
            while (end < t.size() && t.get(end) - t.get(start) < SECOND) {
                end++;
            }
            most = Math.max(most, end - start);
        }
        return most;
    }

    @Test
    void fourStacksSharingALimitOfTwentyPerSecondNeverExceedItBeyondTheBucketsCapacity() throws Exception {
        int n = 20;
        int capacity = 20; // max(1, floor(20))
        SharedRateLimit limit = PostgresRateLimit.builder(db).schema(schema).build();
        List<Long> calls = Collections.synchronizedList(new ArrayList<>());
        List<TrainingProvider> stacks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            stacks.add(stack(limit, calls, Integer.toString(n), "10s"));
        }
        CountDownLatch start = new CountDownLatch(1);
        long[] deadline = new long[1];
        List<Future<Integer>> workers = new ArrayList<>();
        for (TrainingProvider stack : stacks) {
            workers.add(pool.submit(() -> {
                start.await();
                int made = 0;
                while (System.nanoTime() < deadline[0]) {
                    stack.status(TaskId.of("job"));
                    made++;
                }
                return made;
            }));
        }
        long began = System.nanoTime();
        deadline[0] = began + 3 * SECOND;
        start.countDown();
        int made = 0;
        for (Future<Integer> w : workers) {
            made += w.get(60, TimeUnit.SECONDS);
        }

        int most = mostInOneSecond(calls);
        System.out.printf(
                "shared rate limit: %d calls by 4 stacks, at most %d in any 1 s window (N=%d, capacity %d)%n",
                made, most, n, capacity);
        assertThat(calls).hasSize(made);
        // Calls are timed when they reach the adapter, a moment after their permit was taken: under load a call
        // can slip into the next window, so two calls of slack; four unshared limits would allow 4 x (N + capacity).
        assertThat(most).isLessThanOrEqualTo(n + capacity + 2);
        // Over the whole run the budget holds too: the full bucket plus N a second, give or take the same slack.
        // The run lasts until the last call, not the deadline: a call already waiting for its permit when the
        // deadline passes gets one from the refill after it.
        double seconds = (Collections.max(calls) - began) / (double) SECOND;
        assertThat(made).isLessThanOrEqualTo(capacity + (int) Math.ceil(n * seconds) + 2);
        // Every stack took part: the budget is shared, not handed to whichever thread came first.
        for (Future<Integer> w : workers) {
            assertThat(w.get()).isPositive();
        }
    }

    @Test
    void aCallThatCannotHaveAPermitWithinMaxWaitIsRateLimitedWithoutReachingTheService() {
        SharedRateLimit limit = PostgresRateLimit.builder(db).schema(schema).build();
        List<Long> calls = Collections.synchronizedList(new ArrayList<>());
        // One permit a second, a bucket of one: the first call empties it, the next would wait about a second.
        TrainingProvider first = stack(limit, calls, "1", "100ms");
        TrainingProvider other = stack(limit, calls, "1", "100ms");
        TrainingProvider impatient = stack(limit, calls, "1", "0s");

        first.status(TaskId.of("job"));

        assertThatThrownBy(() -> other.status(TaskId.of("job")))
                .isInstanceOf(RateLimitedException.class)
                .hasMessageContaining("shared rate limit: no permit within PT0.1S");
        assertThatThrownBy(() -> impatient.status(TaskId.of("job"))).isInstanceOf(RateLimitedException.class);
        assertThat(calls).hasSize(1);
    }

    @Test
    void budgetsOfOtherAccountsAreApart() {
        SharedRateLimit limit = PostgresRateLimit.builder(db).schema(schema).build();
        SharedRateLimit.Budget a = limit.budget("recording", "aaaa", 1);
        SharedRateLimit.Budget b = limit.budget("recording", "bbbb", 1);

        assertThat(a.reserve(Duration.ZERO)).contains(Duration.ZERO);
        assertThat(a.reserve(Duration.ZERO)).isEmpty();
        assertThat(b.reserve(Duration.ZERO)).contains(Duration.ZERO);
        // A permit within the wait is reserved now and used after it.
        assertThat(a.reserve(Duration.ofSeconds(5)))
                .hasValueSatisfying(d -> assertThat(d).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1)));
    }

    @Test
    void noBucket4jTypeIsInAPublicSignature() {
        List<String> types = new ArrayList<>();
        for (Class<?> c : List.of(PostgresRateLimit.class, PostgresRateLimit.Builder.class)) {
            types.add(c.getSuperclass().getName());
            for (Class<?> i : c.getInterfaces()) {
                types.add(i.getName());
            }
            for (Method m : c.getMethods()) {
                types.add(m.getGenericReturnType().getTypeName());
                for (Type t : m.getGenericParameterTypes()) {
                    types.add(t.getTypeName());
                }
            }
            for (Field f : c.getFields()) {
                types.add(f.getGenericType().getTypeName());
            }
        }
        assertThat(types).noneMatch(t -> t.contains("bucket4j"));
    }

    @Test
    void theDdlIsTheDocumentedTable() {
        assertThat(PostgresRateLimit.ddl("loraport"))
                .containsExactly(
                        "CREATE SCHEMA IF NOT EXISTS loraport",
                        "CREATE TABLE IF NOT EXISTS loraport.loraport_rate_bucket (id text PRIMARY KEY, state bytea)");
        assertThatThrownBy(() -> PostgresRateLimit.builder(db).schema("Bad-Name"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
