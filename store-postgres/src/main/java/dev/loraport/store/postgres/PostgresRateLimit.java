package dev.loraport.store.postgres;

import dev.loraport.decorators.SharedRateLimit;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.BucketExceptions;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A {@link SharedRateLimit} in PostgreSQL: one token bucket per (provider id, account fingerprint), a row that
 * every worker on the database draws its permits from, whichever JVM or machine it runs on (Bucket4j's
 * {@code SELECT ... FOR UPDATE} proxy, a short transaction per permit).
 *
 * <pre>{@code
 * SharedRateLimit limit = PostgresRateLimit.builder(dataSource).schema("loraport").build();
 * TrainingProvider provider = ProviderStack.builder().config(config).store(store).rateLimit(limit).build();
 * }</pre>
 *
 * <p>The bucket of a rate of {@code r} permits per second ({@code ratelimit.permits-per-second}) holds
 * {@code max(1, floor(r))} permits and refills at {@code r} per second, smoothly: in any one second the account's
 * workers together make at most {@code r} calls plus what the bucket held at its start, so at most
 * {@code r + max(1, floor(r))}. A bucket starts full. Its rate is stored in its row when it is first made; a
 * worker configured with another rate draws on the stored one until the row is deleted. Time is each worker's
 * wall clock: keep the machines' clocks in sync (NTP).
 *
 * <p>Plain JDBC on the caller's {@link DataSource} (a pool is best; a permit borrows a connection for one
 * transaction and returns it). The table is made on first use in the schema given to the builder ({@code public}
 * by default) unless {@link Builder#createSchema} is false; {@link #ddl(String)} gives its DDL. Errors are
 * {@link UncheckedIOException}s with the database's error as the cause; the call that asked for the permit is
 * then not made.
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class PostgresRateLimit implements SharedRateLimit {

    private static final String TABLE = "loraport_rate_bucket";

    private final DataSource dataSource;
    private final String schema;
    private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;
    private final SchemaSetup schemaSetup;

    private PostgresRateLimit(Builder b) {
        this.dataSource = b.dataSource;
        this.schema = b.schema;
        this.schemaSetup = new SchemaSetup(b.dataSource, b.schema, ddl(b.schema), b.createSchema);
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table(schema + "." + TABLE)
                .idColumn("id")
                .stateColumn("state")
                .build();
    }

    /**
     * Starts a builder.
     *
     * @param dataSource where to connect; the caller keeps and closes it
     * @return a builder
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /**
     * The DDL of the bucket table in a schema, as {@link Builder#createSchema} runs it.
     *
     * @param schema a lower-case SQL identifier
     * @return the statements, each without a trailing semicolon
     * @throws IllegalArgumentException when the schema is not a plain lower-case identifier
     */
    public static List<String> ddl(String schema) {
        PostgresTaskStore.checkIdentifier(schema);
        return List.of(
                "CREATE SCHEMA IF NOT EXISTS " + schema,
                "CREATE TABLE IF NOT EXISTS " + schema + "." + TABLE + " (id text PRIMARY KEY, state bytea)");
    }

    /**
     * The bucket of one provider account, its row keyed {@code <providerId>/<account>}. Connects only when a
     * permit is first asked for.
     *
     * @param providerId the provider id
     * @param account the account fingerprint
     * @param permitsPerSecond the rate of a bucket made now; positive and finite
     * @return the account's budget
     * @throws IllegalArgumentException when the rate is not positive and finite
     */
    @Override
    public Budget budget(String providerId, String account, double permitsPerSecond) {
        Objects.requireNonNull(providerId, "providerId == null");
        Objects.requireNonNull(account, "account == null");
        if (!(permitsPerSecond > 0) || Double.isInfinite(permitsPerSecond)) {
            throw new IllegalArgumentException(
                    "permitsPerSecond: " + permitsPerSecond + " must be positive and finite");
        }
        BucketConfiguration configuration = configuration(permitsPerSecond);
        BucketProxy bucket = buckets.builder().build(providerId + "/" + account, () -> configuration);
        return maxWait -> reserve(bucket, maxWait);
    }

    /** Capacity {@code max(1, floor(r))}, refilled greedily (a permit at a time) at {@code r} per second. */
    static BucketConfiguration configuration(double permitsPerSecond) {
        long capacity = Math.max(1, (long) Math.floor(permitsPerSecond));
        Duration period = Duration.ofNanos(Math.max(1, Math.round(capacity * 1e9 / permitsPerSecond)));
        return BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, period))
                .build();
    }

    private Optional<Duration> reserve(BucketProxy bucket, Duration maxWait) {
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait: " + maxWait + " is negative");
        }
        ensureSchema();
        try {
            if (maxWait.isZero()) {
                return bucket.tryConsume(1) ? Optional.of(Duration.ZERO) : Optional.empty();
            }
            // Bucket4j reserves the permit and hands the wait to a strategy; this one passes it to the caller,
            // who waits through the stack's Sleeper.
            long[] wait = {0};
            boolean taken =
                    bucket.asBlocking().tryConsumeUninterruptibly(1, saturatedNanos(maxWait), nanos -> wait[0] = nanos);
            return taken ? Optional.of(Duration.ofNanos(wait[0])) : Optional.empty();
        } catch (BucketExceptions.BucketExecutionException e) {
            throw failed("take a permit", e.getCause() != null ? e.getCause() : e);
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE - 1;
        }
    }

    private void ensureSchema() {
        try {
            schemaSetup.ensure();
        } catch (SQLException e) {
            throw failed("create its table in schema " + schema, e);
        }
    }

    private UncheckedIOException failed(String what, Throwable e) {
        String state = e instanceof SQLException s ? ": SQL state " + s.getSQLState() : "";
        return new UncheckedIOException(
                new IOException("PostgreSQL rate limit (schema " + schema + ") could not " + what + state, e));
    }

    @Override
    public String toString() {
        return "PostgresRateLimit{schema=" + schema + "}";
    }

    /**
     * Builds a {@link PostgresRateLimit}, to give to {@link
     * dev.loraport.decorators.ProviderStack.Builder#rateLimit(SharedRateLimit)}.
     * Not thread-safe.
     */
    public static final class Builder {
        private final DataSource dataSource;
        private String schema = "public";
        private boolean createSchema = true;

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource == null");
        }

        /**
         * Sets the schema of the bucket table (default {@code public}).
         *
         * @param schema a lower-case SQL identifier
         * @return this builder
         * @throws IllegalArgumentException when it is not one
         */
        public Builder schema(String schema) {
            this.schema = PostgresTaskStore.checkIdentifier(schema);
            return this;
        }

        /**
         * Whether the limit creates its schema and table on first use (default true); turn off where the
         * application's role may not, and run {@link PostgresRateLimit#ddl(String)} by hand.
         *
         * @param create whether to create them
         * @return this builder
         */
        public Builder createSchema(boolean create) {
            this.createSchema = create;
            return this;
        }

        /**
         * Builds the limit; connects only on first use.
         *
         * @return the limit
         */
        public PostgresRateLimit build() {
            return new PostgresRateLimit(this);
        }
    }
}
