package io.moescope.benchmarks.storage;

import io.moescope.benchmarks.ingest.SyntheticRun;
import io.moescope.ingest.copy.TokenRoutingCopyWriter;
import io.moescope.storage.runs.RunLifecycleWriter;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Bytes stored per routing decision, raw ({@code token_routing}) and rollups ({@code layer_load},
 * {@code load_grid_minute}, {@code load_grid_current}, {@code run_volume}), for two traces of the bench-ingest model shape written by ingest's
 * writer: a busy one (bench-ingest's heatmap trace, spread over one hour) and a slow one ({@code slowTokensPerMinute}
 * tokens a minute, written a few tokens per batch as a live probe at that rate is). On TimescaleDB it measures again
 * after compressing every chunk of both hypertables. Sizes are taken after {@code VACUUM}; each trace is measured
 * alone (the tables are truncated before each).
 *
 * <p>Destroys moescope data in the database it is given: give it a scratch one. Its SQL (sizes, VACUUM, TRUNCATE,
 * compress_chunk) is measurement scratch, not the product.
 */
public final class StorageBytesBenchmark {

    /**
     * What to write.
     *
     * @param busyDecisions       decisions of the busy trace (spread over one hour)
     * @param slowTokensPerMinute tokens a minute of the slow trace
     * @param slowMinutes         minutes of the slow trace
     */
    public record Options(int layers, int experts, int topK, long busyDecisions, int slowTokensPerMinute,
                          int slowMinutes) {

        public Options {
            if (layers < 1 || experts < topK || topK < 1 || busyDecisions < layers || slowTokensPerMinute < 1
                    || slowMinutes < 1) {
                throw new IllegalArgumentException("bench-storage options out of range: " + this);
            }
        }
    }

    /**
     * Bytes of one trace: raw and rollups (of which the minute rollup), and after compressing (TimescaleDB only,
     * else -1).
     */
    public record Footprint(long decisions, long raw, long rollups, long minutes, long rawCompressed,
                            long rollupsCompressed, long minutesCompressed) {

        double perDecision(long bytes) {
            return bytes < 0 ? Double.NaN : (double) bytes / decisions;
        }
    }

    private static final int BUSY_BATCH_TOKENS = 10_000;
    private static final int SLOW_BATCH_TOKENS = 8;

    private final Options options;
    private final PrintStream out;
    private final TokenRoutingCopyWriter writer = new TokenRoutingCopyWriter();

    public StorageBytesBenchmark(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Migrates {@code db} and prints both traces' footprints. */
    public void run(DataSource db, String label) throws SQLException {
        Flyway.configure().dataSource(db).load().migrate();
        boolean timescale = "timescaledb".equals(string(db, "SELECT moescope_storage_path()"));
        out.printf("%s (%s, %s storage): %d layers, top-%d of %d experts%n", label,
                string(db, "SELECT current_setting('server_version')"), timescale ? "timescaledb" : "partitioned",
                options.layers(), options.topK(), options.experts());
        Instant hourAgo = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(2));
        SyntheticRun busy = SyntheticRun.ofDecisions("bytes-busy", options.busyDecisions(), options.layers(),
                options.experts(), options.topK(), hourAgo, Duration.ofHours(1));
        print("busy", busy, measure(db, busy, BUSY_BATCH_TOKENS, timescale));
        long slowTokens = (long) options.slowTokensPerMinute() * options.slowMinutes();
        // One request, so that the trace has exactly the tokens asked for (ofDecisions rounds up to whole requests).
        SyntheticRun slow = new SyntheticRun("bytes-slow", 1, Math.toIntExact(slowTokens), options.layers(),
                options.experts(), options.topK(), hourAgo, Duration.ofMinutes(options.slowMinutes()));
        print("slow", slow, measure(db, slow, SLOW_BATCH_TOKENS, timescale));
    }

    private void print(String name, SyntheticRun run, Footprint f) {
        double minutes = run.span().toSeconds() / 60.0;
        out.printf("  %s trace: %,d decisions (%,d tokens, %,.0f tokens a minute)%n", name, run.decisions(),
                run.tokens(), run.tokens() / minutes);
        out.printf("    raw token_routing   %7.2f B/decision  (%,d B)%n", f.perDecision(f.raw()), f.raw());
        out.printf("    rollups             %7.3f B/decision  (%,d B; finished minutes %.3f B/decision, %,d B)%n",
                f.perDecision(f.rollups()), f.rollups(), f.perDecision(f.minutes()), f.minutes());
        if (f.rawCompressed() >= 0) {
            out.printf("    raw, compressed     %7.2f B/decision  (%,d B, %.2fx)%n",
                    f.perDecision(f.rawCompressed()), f.rawCompressed(), (double) f.raw() / f.rawCompressed());
            out.printf("    rollups, compressed %7.3f B/decision  (%,d B; finished minutes %.3f B/decision, %,d B)%n",
                    f.perDecision(f.rollupsCompressed()), f.rollupsCompressed(), f.perDecision(f.minutesCompressed()),
                    f.minutesCompressed());
        }
    }

    /** Writes {@code run} alone into the emptied tables and measures it. */
    Footprint measure(DataSource db, SyntheticRun run, int batchTokens, boolean timescale) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE run, token_routing, layer_load, load_grid_minute, load_grid_current, run_volume");
            new RunLifecycleWriter().write(c, run.started());
        }
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            for (long from = 0; from < run.tokens(); from += batchTokens) {
                writer.write(c, run.tokens(from, Math.min(run.tokens(), from + batchTokens)));
                c.commit();
            }
        }
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            checkStored(s, run);
            vacuum(s);
            long raw = rawBytes(s, timescale);
            long rollups = rollupBytes(s, timescale);
            long minutes = minuteBytes(s, timescale);
            if (!timescale) {
                return new Footprint(run.decisions(), raw, rollups, minutes, -1, -1, -1);
            }
            s.execute("SELECT compress_chunk(c, if_not_compressed => true) FROM show_chunks('token_routing') c");
            s.execute("SELECT compress_chunk(c, if_not_compressed => true) FROM show_chunks('load_grid_minute') c");
            vacuum(s);
            return new Footprint(run.decisions(), raw, rollups, minutes, rawBytes(s, true), rollupBytes(s, true),
                    minuteBytes(s, true));
        }
    }

    /** The sizes mean nothing unless every decision was stored and counted once. */
    private static void checkStored(Statement s, SyntheticRun run) throws SQLException {
        long decisions = single(s, "SELECT coalesce(sum(decisions), 0) FROM run_volume");
        long counted = single(s, "SELECT coalesce(sum(tokens), 0) FROM expert_load_minute");
        if (decisions != run.decisions() || counted != run.decisions() * run.topK()) {
            throw new IllegalStateException("stored " + decisions + " decisions and counted " + counted
                    + " choices, expected " + run.decisions() + " and " + run.decisions() * run.topK());
        }
    }

    private static void vacuum(Statement s) throws SQLException {
        for (String table : new String[] {"token_routing", "layer_load", "load_grid_minute", "load_grid_current",
                "run_volume"}) {
            s.execute("VACUUM ANALYZE " + table);
        }
    }

    private static long rawBytes(Statement s, boolean timescale) throws SQLException {
        return single(s, timescale ? "SELECT hypertable_size('token_routing')"
                : "SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree('token_routing')");
    }

    private static long rollupBytes(Statement s, boolean timescale) throws SQLException {
        return minuteBytes(s, timescale) + single(s, "SELECT pg_total_relation_size('layer_load')"
                + " + pg_total_relation_size('load_grid_current') + pg_total_relation_size('run_volume')");
    }

    private static long minuteBytes(Statement s, boolean timescale) throws SQLException {
        return single(s, timescale ? "SELECT hypertable_size('load_grid_minute')"
                : "SELECT pg_total_relation_size('load_grid_minute')");
    }

    private static long single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String string(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
