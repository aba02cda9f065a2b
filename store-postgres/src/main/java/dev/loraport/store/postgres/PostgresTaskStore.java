package dev.loraport.store.postgres;

import dev.loraport.TaskId;
import dev.loraport.watch.CreateIntent;
import dev.loraport.watch.TaskRef;
import dev.loraport.watch.TaskStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TaskStore} in PostgreSQL, for several workers (JVMs, machines) on one provider account: the create
 * journal, with a primary key on (provider, account, client reference) so that only the worker whose insert wins
 * sends a create; the refs of watched jobs, with the lease of the worker that polls each
 * ({@link dev.loraport.watch.TaskWatcher.Builder#leases}); and an advisory lock per provider account
 * ({@code pg_advisory_lock}), held on its own connection for as long as {@link #locked} runs.
 *
 * <pre>{@code
 * TaskStore store = PostgresTaskStore.builder(dataSource).build();   // creates its tables on first use
 * TrainingProvider provider = ProviderStack.builder().config(config).store(store).build();
 * }</pre>
 *
 * <p>Plain JDBC on the caller's {@link DataSource} (a pool is best): a connection is borrowed per operation and
 * returned at once, in auto-commit mode. The tables live in the schema given to the builder ({@code public} by
 * default); the module README gives their DDL for those who create them by hand ({@link Builder#createSchema}
 * false). Errors are {@link java.io.UncheckedIOException}s, as for every store, with the {@link SQLException} as
 * the cause; no connection detail is in the message.
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class PostgresTaskStore implements TaskStore {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final DataSource dataSource;
    private final String schema;
    private final String refs;
    private final String intents;
    private final String listed;
    private final SchemaSetup schemaSetup;
    // Advisory locks are per session: a thread that re-enters keeps the connection it first locked on.
    private final ThreadLocal<Map<Long, Held>> held = ThreadLocal.withInitial(HashMap::new);

    private static final class Held {
        final Connection connection;
        int count = 1;

        Held(Connection connection) {
            this.connection = connection;
        }
    }

    private PostgresTaskStore(Builder b) {
        this.dataSource = b.dataSource;
        this.schema = b.schema;
        this.refs = b.schema + ".loraport_task_ref";
        this.intents = b.schema + ".loraport_create_intent";
        this.listed = b.schema + ".loraport_listed_task";
        this.schemaSetup = new SchemaSetup(b.dataSource, b.schema, ddl(b.schema), b.createSchema);
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
     * The DDL of this store's tables in a schema, as {@link Builder#createSchema} runs it.
     *
     * @param schema a lower-case SQL identifier
     * @return the statements, each without a trailing semicolon
     * @throws IllegalArgumentException when the schema is not a plain lower-case identifier
     */
    public static List<String> ddl(String schema) {
        checkIdentifier(schema);
        return List.of(
                "CREATE SCHEMA IF NOT EXISTS " + schema,
                "CREATE TABLE IF NOT EXISTS " + schema + ".loraport_create_intent ("
                        + " provider_id text NOT NULL,"
                        + " account text NOT NULL,"
                        + " client_reference text NOT NULL,"
                        + " request_digest text NOT NULL,"
                        + " state text NOT NULL CHECK (state IN ('SENDING', 'ACCEPTED')),"
                        + " task_id text,"
                        + " reason text,"
                        + " created_at timestamptz NOT NULL,"
                        + " updated_at timestamptz NOT NULL,"
                        + " seq bigserial,"
                        + " PRIMARY KEY (provider_id, account, client_reference),"
                        + " CHECK ((state = 'ACCEPTED') = (task_id IS NOT NULL)))",
                // 0.2: the provider's correlation value; added in place so a 0.1 table keeps its rows.
                "ALTER TABLE " + schema + ".loraport_create_intent ADD COLUMN IF NOT EXISTS correlation text",
                "CREATE TABLE IF NOT EXISTS " + schema + ".loraport_task_ref ("
                        + " provider_id text NOT NULL,"
                        + " task_id text NOT NULL,"
                        + " ref text NOT NULL,"
                        + " marked boolean NOT NULL DEFAULT false,"
                        + " lease_owner text,"
                        + " lease_until timestamptz,"
                        + " seq bigserial,"
                        + " PRIMARY KEY (provider_id, task_id))",
                "CREATE TABLE IF NOT EXISTS " + schema + ".loraport_listed_task ("
                        + " provider_id text NOT NULL,"
                        + " account text NOT NULL,"
                        + " task_id text NOT NULL,"
                        + " PRIMARY KEY (provider_id, account, task_id))",
                "CREATE INDEX IF NOT EXISTS loraport_task_ref_claim ON " + schema
                        + ".loraport_task_ref (seq) WHERE NOT marked");
    }

    static String checkIdentifier(String schema) {
        Objects.requireNonNull(schema, "schema == null");
        if (!IDENTIFIER.matcher(schema).matches()) {
            throw new IllegalArgumentException("schema: '" + schema
                    + "' must be a lower-case SQL identifier (letters, digits, '_', at most 63, not starting with"
                    + " a digit)");
        }
        return schema;
    }

    // ---- refs ----

    @Override
    public void save(TaskRef ref) {
        Objects.requireNonNull(ref, "ref == null");
        // A marked watch ended for a reason a person should see: its lease goes, and no worker claims it.
        update(
                "INSERT INTO " + refs + " (provider_id, task_id, ref, marked) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (provider_id, task_id) DO UPDATE SET ref = EXCLUDED.ref,"
                        + " marked = EXCLUDED.marked,"
                        + " lease_owner = CASE WHEN EXCLUDED.marked THEN NULL ELSE " + refs + ".lease_owner END,"
                        + " lease_until = CASE WHEN EXCLUDED.marked THEN NULL ELSE " + refs + ".lease_until END",
                ref.providerId(),
                ref.taskId().value(),
                ref.toString(),
                ref.endedBy() != null);
    }

    @Override
    public void remove(TaskRef ref) {
        update(
                "DELETE FROM " + refs + " WHERE provider_id = ? AND task_id = ?",
                ref.providerId(),
                ref.taskId().value());
    }

    @Override
    public List<TaskRef> load() {
        return query("SELECT ref FROM " + refs + " ORDER BY seq", rs -> TaskRef.parse(rs.getString(1)));
    }

    // ---- listed tasks ----

    @Override
    public Optional<Set<String>> listedTasks(String providerId, String account) {
        return Optional.of(Set.copyOf(query(
                "SELECT task_id FROM " + listed + " WHERE provider_id = ? AND account = ?",
                rs -> rs.getString(1),
                providerId,
                account)));
    }

    @Override
    public void addListedTasks(String providerId, String account, Collection<String> taskIds) {
        if (taskIds.isEmpty()) {
            return;
        }
        update(
                "INSERT INTO " + listed + " (provider_id, account, task_id)"
                        + " SELECT ?, ?, t FROM unnest(?::text[]) AS t ON CONFLICT DO NOTHING",
                providerId,
                account,
                List.copyOf(taskIds));
    }

    // ---- leases ----

    /**
     * {@inheritDoc}
     *
     * <p>Here: {@code SELECT ... FOR UPDATE SKIP LOCKED}, so workers claiming at once take different jobs without
     * waiting on each other; the lease runs on the database's clock, so the workers' clocks need not agree.
     */
    @Override
    public boolean supportsLeases() {
        return true;
    }

    @Override
    public List<TaskRef> claim(String owner, Collection<String> providerIds, Duration lease, int max) {
        checkLease(owner, lease);
        if (max < 1) {
            throw new IllegalArgumentException("max: " + max + " must be at least 1");
        }
        if (providerIds.isEmpty()) {
            return List.of();
        }
        return query(
                "WITH claimed AS (UPDATE " + refs
                        + " SET lease_owner = ?, lease_until = clock_timestamp() + ? * interval '1 millisecond'"
                        + " WHERE (provider_id, task_id) IN (SELECT provider_id, task_id FROM " + refs
                        + " WHERE NOT marked AND provider_id = ANY (?)"
                        + " AND (lease_owner IS NULL OR lease_until <= clock_timestamp())"
                        + " ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED)"
                        + " RETURNING ref, seq) SELECT ref FROM claimed ORDER BY seq",
                rs -> TaskRef.parse(rs.getString(1)),
                owner,
                lease.toMillis(),
                List.copyOf(providerIds),
                max);
    }

    @Override
    public boolean hold(String owner, TaskRef ref, Duration lease) {
        checkLease(owner, lease);
        return update(
                        "INSERT INTO " + refs + " AS r (provider_id, task_id, ref, marked, lease_owner, lease_until)"
                                + " VALUES (?, ?, ?, false, ?, clock_timestamp() + ? * interval '1 millisecond')"
                                + " ON CONFLICT (provider_id, task_id) DO UPDATE SET ref = EXCLUDED.ref,"
                                + " marked = false, lease_owner = EXCLUDED.lease_owner,"
                                + " lease_until = EXCLUDED.lease_until"
                                + " WHERE r.lease_owner IS NULL OR r.lease_owner = EXCLUDED.lease_owner"
                                + " OR r.lease_until <= clock_timestamp()",
                        ref.providerId(),
                        ref.taskId().value(),
                        ref.withEndedBy(null).toString(),
                        owner,
                        lease.toMillis())
                == 1;
    }

    @Override
    public Set<TaskRef> renew(String owner, Collection<TaskRef> held, Duration lease) {
        checkLease(owner, lease);
        if (held.isEmpty()) {
            return Set.of();
        }
        Map<String, TaskRef> byKey = new HashMap<>();
        for (TaskRef r : held) {
            byKey.put(r.providerId() + "\n" + r.taskId().value(), r);
        }
        RefKeys keys = RefKeys.of(held);
        List<String> kept = query(
                "UPDATE " + refs
                        + " SET lease_owner = ?, lease_until = clock_timestamp() + ? * interval '1 millisecond'"
                        + " WHERE (provider_id, task_id) IN (SELECT * FROM unnest(?::text[], ?::text[]))"
                        + " AND NOT marked"
                        + " AND (lease_owner = ? OR lease_owner IS NULL OR lease_until <= clock_timestamp())"
                        + " RETURNING provider_id, task_id",
                rs -> rs.getString(1) + "\n" + rs.getString(2),
                owner,
                lease.toMillis(),
                keys.providers(),
                keys.tasks(),
                owner);
        Set<TaskRef> out = new HashSet<>();
        for (String k : kept) {
            TaskRef r = byKey.get(k);
            if (r != null) {
                out.add(r);
            }
        }
        return Set.copyOf(out);
    }

    @Override
    public void release(String owner, Collection<TaskRef> held) {
        Objects.requireNonNull(owner, "owner == null");
        if (held.isEmpty()) {
            return;
        }
        RefKeys keys = RefKeys.of(held);
        update(
                "UPDATE " + refs + " SET lease_owner = NULL, lease_until = NULL"
                        + " WHERE (provider_id, task_id) IN (SELECT * FROM unnest(?::text[], ?::text[]))"
                        + " AND lease_owner = ?",
                keys.providers(),
                keys.tasks(),
                owner);
    }

    /** The (provider id, task id) pairs of refs as two parallel lists, for {@code unnest(?::text[], ?::text[])}. */
    private record RefKeys(List<String> providers, List<String> tasks) {
        static RefKeys of(Collection<TaskRef> refs) {
            List<String> providers = new ArrayList<>(refs.size());
            List<String> tasks = new ArrayList<>(refs.size());
            for (TaskRef r : refs) {
                providers.add(r.providerId());
                tasks.add(r.taskId().value());
            }
            return new RefKeys(providers, tasks);
        }
    }

    @Override
    public boolean finish(String owner, TaskRef ref) {
        Objects.requireNonNull(owner, "owner == null");
        return update(
                        "DELETE FROM " + refs + " WHERE provider_id = ? AND task_id = ? AND lease_owner = ?",
                        ref.providerId(),
                        ref.taskId().value(),
                        owner)
                == 1;
    }

    private static void checkLease(String owner, Duration lease) {
        Objects.requireNonNull(owner, "owner == null");
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("lease: " + lease + " must be positive");
        }
    }

    // ---- journal ----

    @Override
    public Optional<CreateIntent> begin(CreateIntent intent) {
        Objects.requireNonNull(intent, "intent == null");
        if (intent.state() != CreateIntent.State.SENDING) {
            throw new IllegalArgumentException("a create is journaled as SENDING, not " + intent.state());
        }
        for (int attempt = 0; ; attempt++) {
            int inserted = update(
                    "INSERT INTO " + intents + " (provider_id, account, client_reference, request_digest, state,"
                            + " task_id, reason, created_at, updated_at, correlation)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                            + " ON CONFLICT (provider_id, account, client_reference) DO NOTHING",
                    intent.providerId(),
                    intent.account(),
                    intent.clientReference(),
                    intent.requestDigest(),
                    intent.state().name(),
                    null,
                    intent.reason(),
                    intent.createdAt(),
                    intent.updatedAt(),
                    intent.correlation());
            if (inserted == 1) {
                return Optional.empty();
            }
            Optional<CreateIntent> existing = intent(intent.key());
            // Removed between the two statements (a refused create): insert again.
            if (existing.isPresent() || attempt >= 3) {
                return existing;
            }
        }
    }

    @Override
    public void update(CreateIntent intent) {
        Objects.requireNonNull(intent, "intent == null");
        int changed = update(
                "UPDATE " + intents + " SET request_digest = ?, state = ?, task_id = ?, reason = ?, updated_at = ?,"
                        + " correlation = ?"
                        + " WHERE provider_id = ? AND account = ? AND client_reference = ?",
                intent.requestDigest(),
                intent.state().name(),
                intent.taskId() == null ? null : intent.taskId().value(),
                intent.reason(),
                intent.updatedAt(),
                intent.correlation(),
                intent.providerId(),
                intent.account(),
                intent.clientReference());
        if (changed == 0) {
            throw new NoSuchElementException("no journaled create for " + intent.key());
        }
    }

    @Override
    public boolean abandon(CreateIntent expected) {
        return update(
                        "DELETE FROM " + intents + " WHERE provider_id = ? AND account = ? AND client_reference = ?"
                                + " AND request_digest = ? AND state = ? AND task_id IS NOT DISTINCT FROM ?"
                                + " AND reason IS NOT DISTINCT FROM ? AND updated_at = ?",
                        expected.providerId(),
                        expected.account(),
                        expected.clientReference(),
                        expected.requestDigest(),
                        expected.state().name(),
                        expected.taskId() == null ? null : expected.taskId().value(),
                        expected.reason(),
                        expected.updatedAt())
                == 1;
    }

    @Override
    public Optional<CreateIntent> intent(CreateIntent.Key key) {
        List<CreateIntent> found = query(
                "SELECT " + INTENT_COLUMNS + " FROM " + intents
                        + " WHERE provider_id = ? AND account = ? AND client_reference = ?",
                PostgresTaskStore::intentOf,
                key.providerId(),
                key.account(),
                key.clientReference());
        return found.stream().findFirst();
    }

    @Override
    public List<CreateIntent> intents() {
        return query("SELECT " + INTENT_COLUMNS + " FROM " + intents + " ORDER BY seq", PostgresTaskStore::intentOf);
    }

    private static final String INTENT_COLUMNS = "provider_id, account, client_reference, request_digest, state,"
            + " task_id, reason, created_at, updated_at, correlation";

    private static CreateIntent intentOf(ResultSet rs) throws SQLException {
        String task = rs.getString(6);
        return new CreateIntent(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                CreateIntent.State.valueOf(rs.getString(5)),
                task == null ? null : TaskId.of(task),
                rs.getString(7),
                rs.getObject(8, OffsetDateTime.class).toInstant(),
                rs.getObject(9, OffsetDateTime.class).toInstant(),
                rs.getString(10));
    }

    // ---- lock ----

    /**
     * Runs an action holding PostgreSQL's session advisory lock for one provider account: every worker on this
     * database waits for it, whichever machine it runs on. The lock lives on a connection of its own, kept for
     * the action and returned after; a worker that dies loses it with its session.
     *
     * @param providerId the provider id
     * @param account the account fingerprint
     * @param action what to run
     * @param <T> its result type
     * @return the action's result
     * @throws java.io.UncheckedIOException when the lock cannot be taken
     */
    @Override
    public <T> T locked(String providerId, String account, Supplier<T> action) {
        long key = lockKey(providerId, account);
        Map<Long, Held> mine = held.get();
        Held h = mine.get(key);
        if (h != null) {
            h.count++;
            try {
                return action.get();
            } finally {
                h.count--;
            }
        }
        ensureSchema();
        Connection c;
        try {
            c = dataSource.getConnection();
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_lock(?)")) {
                ps.setLong(1, key);
                ps.execute();
            }
        } catch (SQLException e) {
            throw failed("take the account lock", e);
        }
        mine.put(key, new Held(c));
        try {
            return action.get();
        } finally {
            mine.remove(key);
            try {
                try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                    ps.setLong(1, key);
                    ps.execute();
                }
                c.close();
            } catch (SQLException e) {
                // A pool would hand the session on with the lock still held: end the session instead.
                try {
                    c.abort(Runnable::run);
                } catch (SQLException ignored) {
                    // The session is gone either way.
                }
            }
        }
    }

    /** A 64-bit key from SHA-256 of the account's name, so unrelated applications on the database seldom collide. */
    static long lockKey(String providerId, String account) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest(("loraport\n" + providerId + "\n" + account).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(h).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    // ---- JDBC ----

    @FunctionalInterface
    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private void ensureSchema() {
        try {
            schemaSetup.ensure();
        } catch (SQLException e) {
            throw failed("create its tables in schema " + schema, e);
        }
    }

    private int update(String sql, @Nullable Object... args) {
        ensureSchema();
        try (Connection c = connection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failed("write", e);
        }
    }

    private <T> List<T> query(String sql, Row<T> row, @Nullable Object... args) {
        ensureSchema();
        try (Connection c = connection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row.read(rs));
                }
            }
            return List.copyOf(out);
        } catch (SQLException e) {
            throw failed("read", e);
        }
    }

    private Connection connection() throws SQLException {
        Connection c = dataSource.getConnection();
        c.setAutoCommit(true);
        return c;
    }

    private static void bind(PreparedStatement ps, @Nullable Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Instant t) {
                ps.setObject(i + 1, t.atOffset(ZoneOffset.UTC));
            } else if (a instanceof Boolean flag) {
                ps.setBoolean(i + 1, flag);
            } else if (a instanceof Long n) {
                ps.setLong(i + 1, n);
            } else if (a instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else if (a instanceof List<?> list) {
                ps.setArray(i + 1, ps.getConnection().createArrayOf("text", list.toArray()));
            } else if (a == null) {
                ps.setNull(i + 1, java.sql.Types.VARCHAR);
            } else {
                ps.setString(i + 1, a.toString());
            }
        }
    }

    private java.io.UncheckedIOException failed(String what, SQLException e) {
        return new java.io.UncheckedIOException(new java.io.IOException(
                "PostgreSQL task store (schema " + schema + ") could not " + what + ": SQL state " + e.getSQLState(),
                e));
    }

    @Override
    public String toString() {
        return "PostgresTaskStore{schema=" + schema + "}";
    }

    /** Builds a {@link PostgresTaskStore}. Not thread-safe. */
    public static final class Builder {
        private final DataSource dataSource;
        private String schema = "public";
        private boolean createSchema = true;

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource == null");
        }

        /**
         * Sets the schema of the tables (default {@code public}).
         *
         * @param schema a lower-case SQL identifier
         * @return this builder
         * @throws IllegalArgumentException when it is not one
         */
        public Builder schema(String schema) {
            this.schema = checkIdentifier(schema);
            return this;
        }

        /**
         * Whether the store creates its schema and tables on first use (default true); turn off where the
         * application's role may not, and run {@link PostgresTaskStore#ddl(String)} by hand.
         *
         * @param create whether to create them
         * @return this builder
         */
        public Builder createSchema(boolean create) {
            this.createSchema = create;
            return this;
        }

        /**
         * Builds the store; connects only on first use.
         *
         * @return the store
         */
        public PostgresTaskStore build() {
            return new PostgresTaskStore(this);
        }
    }
}
