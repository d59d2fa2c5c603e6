package io.moescope.ingest.copy;

import io.moescope.ingest.support.Databases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import io.moescope.events.TokenRouting;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * The setup of the tests of what {@link TokenRoutingCopyWriter} stores: a migrated database of the class's own,
 * every table the writer fills emptied before each test (the request keys counted from 1 again), batches written and
 * committed, and the rows read back as text.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WrittenTablesTest {

    protected final TokenRoutingCopyWriter writer = new TokenRoutingCopyWriter();

    private final String database;

    protected DataSource db;

    /** {@code database}: the prefix of the database's name, one per test class. */
    protected WrittenTablesTest(String database) {
        this.database = database;
    }

    /** Where this class's database lives; the TimescaleDB subclasses give the server's. */
    protected Databases databases() {
        return Databases.EMBEDDED_POSTGRES;
    }

    @BeforeAll
    void migrate() {
        db = databases().migrated(database);
    }

    @BeforeEach
    void emptyTables() throws SQLException {
        execute("TRUNCATE token_routing, routing_request, layer_load, load_grid_minute, load_grid_current,"
                + " load_grid_hour, run_volume RESTART IDENTITY");
    }

    /** Writes the batch in a transaction of its own and commits it. */
    protected WriteResult write(List<TokenRouting> tokens) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            WriteResult result = writer.write(c, tokens);
            c.commit();
            return result;
        }
    }

    protected void execute(String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** The rows' single column, joined with " | ". */
    protected String rows(String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            return rows(s, sql);
        }
    }

    /** As {@link #rows(String)}, through a statement of another database. */
    protected static String rows(Statement s, String sql) throws SQLException {
        var out = new StringBuilder();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.append(out.isEmpty() ? "" : " | ").append(rs.getString(1));
            }
        }
        return out.toString();
    }
}
