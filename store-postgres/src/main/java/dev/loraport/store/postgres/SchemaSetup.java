package dev.loraport.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/**
 * Creates a component's tables once, on first use, unless the user creates them by hand. Shared by the store and
 * the rate limit, which keep their tables in the same user-chosen schema. Thread-safe.
 */
final class SchemaSetup {

    private final DataSource dataSource;
    private final String schema;
    private final List<String> ddl;
    private final boolean enabled;
    private volatile boolean ready;

    SchemaSetup(DataSource dataSource, String schema, List<String> ddl, boolean enabled) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.ddl = List.copyOf(ddl);
        this.enabled = enabled;
    }

    /** Runs the DDL unless it ran already (or is turned off). */
    void ensure() throws SQLException {
        if (ready || !enabled) {
            return;
        }
        synchronized (this) {
            if (ready) {
                return;
            }
            try (Connection c = dataSource.getConnection();
                    Statement st = c.createStatement()) {
                // Two workers starting at once would race on CREATE ... IF NOT EXISTS; a transaction-scoped lock
                // on a fixed key orders them.
                c.setAutoCommit(false);
                st.execute("SELECT pg_advisory_xact_lock(" + PostgresTaskStore.lockKey("schema", schema) + ")");
                for (String sql : ddl) {
                    st.execute(sql);
                }
                c.commit();
            }
            ready = true;
        }
    }
}
