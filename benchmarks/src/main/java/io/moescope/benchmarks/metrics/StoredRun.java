package io.moescope.benchmarks.metrics;

import io.moescope.benchmarks.ingest.SyntheticRun;
import io.moescope.events.TokenRouting;
import io.moescope.ingest.copy.TokenRoutingCopyWriter;
import io.moescope.storage.runs.RunLifecycleWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.LongConsumer;
import javax.sql.DataSource;

/**
 * Stores a synthetic run as ingest would have: its start, every token through ingest's writer (raw rows and every
 * rollup it keeps), its end, then statistics for the planner. An ended run, so that its default suite is stored
 * like any ended run's. What {@code bench-metrics} and the run page's browser benchmark open.
 */
public final class StoredRun {

    /** Tokens per write and commit: ingest's batches are of this order. */
    private static final int BATCH_TOKENS = 10_000;

    private StoredRun() {
    }

    /**
     * @param tokensWritten told the tokens written so far: 0 before the first batch, then after each (progress)
     * @return the decisions written
     */
    public static long write(DataSource database, SyntheticRun run, LongConsumer tokensWritten)
            throws SQLException {
        var writer = new TokenRoutingCopyWriter();
        var lifecycle = new RunLifecycleWriter();
        long decisions = 0;
        try (Connection c = database.getConnection()) {
            c.setAutoCommit(false);
            lifecycle.write(c, run.started());
            tokensWritten.accept(0);
            for (long from = 0; from < run.tokens(); from += BATCH_TOKENS) {
                long to = Math.min(run.tokens(), from + BATCH_TOKENS);
                List<TokenRouting> batch = run.tokens(from, to);
                decisions += writer.write(c, batch).insertedDecisions();
                c.commit();
                tokensWritten.accept(to);
            }
            lifecycle.write(c, run.finished());
            c.commit();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("VACUUM ANALYZE");
            }
        }
        return decisions;
    }
}
