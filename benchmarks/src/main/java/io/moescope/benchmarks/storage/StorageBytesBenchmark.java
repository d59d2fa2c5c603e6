package io.moescope.benchmarks.storage;

import io.moescope.benchmarks.ingest.SyntheticRun;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import io.moescope.ingest.copy.TokenRoutingCopyWriter;
import io.moescope.storage.runs.RunLifecycleWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Bytes stored per routing decision, raw ({@code token_routing} and its request keys, {@code routing_request}) and
 * rollups ({@code layer_load},
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
     * @param uuidRunIds          the traces' run ids as the probe makes them, 36-character UUIDs, instead of short
     *                            names: the ids' width mattered while token_routing's rows carried them (V52)
     * @param idsOnly             every weight and entropy unknown (NaN), as the tap and the vLLM and SGLang importers
     *                            record tokens: those engines return expert ids only
     */
    public record Options(int layers, int experts, int topK, long busyDecisions, int slowTokensPerMinute,
                          int slowMinutes, boolean uuidRunIds, boolean idsOnly) {

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
        out.printf("%s (%s, %s storage): %d layers, top-%d of %d experts%s%n", label,
                string(db, "SELECT current_setting('server_version')"), timescale ? "timescaledb" : "partitioned",
                options.layers(), options.topK(), options.experts(), options.idsOnly() ? ", ids only" : "");
        Instant hourAgo = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(2));
        SyntheticRun busy = SyntheticRun.ofDecisions(runId("bytes-busy"), options.busyDecisions(), options.layers(),
                options.experts(), options.topK(), hourAgo, Duration.ofHours(1));
        print("busy", busy, measure(db, busy, BUSY_BATCH_TOKENS, timescale));
        long slowTokens = (long) options.slowTokensPerMinute() * options.slowMinutes();
        // One request, so that the trace has exactly the tokens asked for (ofDecisions rounds up to whole requests).
        SyntheticRun slow = new SyntheticRun(runId("bytes-slow"), 1, Math.toIntExact(slowTokens), options.layers(),
                options.experts(), options.topK(), hourAgo, Duration.ofMinutes(options.slowMinutes()));
        print("slow", slow, measure(db, slow, SLOW_BATCH_TOKENS, timescale));
    }

    /** The run id of the trace {@code name}: the name, or a UUID made from it. */
    private String runId(String name) {
        return options.uuidRunIds() ? UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString() : name;
    }

    private void print(String name, SyntheticRun run, Footprint f) {
        double minutes = run.span().toSeconds() / 60.0;
        out.printf("  %s trace, run %s: %,d decisions (%,d tokens, %,.0f tokens a minute)%n", name, run.runId(),
                run.decisions(), run.tokens(), run.tokens() / minutes);
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
            s.execute("TRUNCATE run, token_routing, routing_request, layer_load, load_grid_minute, load_grid_current,"
                    + " load_grid_hour, run_volume");
            new RunLifecycleWriter().write(c, run.started());
        }
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            for (long from = 0; from < run.tokens(); from += batchTokens) {
                List<TokenRouting> tokens = run.tokens(from, Math.min(run.tokens(), from + batchTokens));
                writer.write(c, options.idsOnly() ? tokens.stream().map(StorageBytesBenchmark::idsOnly).toList()
                        : tokens);
                c.commit();
            }
        }
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            checkStored(s, run);
            vacuum(s);
            printRawParts(s, run.decisions());
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

    /** The token with every weight and entropy unknown. */
    private static TokenRouting idsOnly(TokenRouting token) {
        var decisions = new ArrayList<RouterDecision>(token.decisions().size());
        for (RouterDecision d : token.decisions()) {
            float[] unknown = new float[d.topK()];
            Arrays.fill(unknown, Float.NaN);
            decisions.add(RouterDecision.withoutEntropy(d.layer(), d.expertIds(), unknown));
        }
        return new TokenRouting(token.runId(), token.requestId(), token.tokenIndex(), token.tokenId(), token.phase(),
                token.timestampMicros(), decisions);
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
        for (String table : new String[] {"token_routing", "routing_request", "layer_load", "load_grid_minute",
                "load_grid_current", "load_grid_hour", "run_volume"}) {
            s.execute("VACUUM ANALYZE " + table);
        }
    }

    /** token_routing's bytes (partitions or chunks, indexes, TOAST) and its request keys' table (V53). */
    private static long rawBytes(Statement s, boolean timescale) throws SQLException {
        return single(s, "SELECT pg_total_relation_size('routing_request')") + single(s, timescale
                ? "SELECT hypertable_size('token_routing')"
                : "SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree('token_routing')");
    }

    /**
     * Where the raw bytes go, uncompressed: the tables' rows (heap, with free space), their indexes and TOAST, and
     * the average stored width of each column of a row.
     */
    private void printRawParts(Statement s, long decisions) throws SQLException {
        // partitions or chunks: both are children of token_routing in pg_inherits
        String tables = "SELECT inhrelid AS relid FROM pg_inherits WHERE inhparent = 'token_routing'::regclass";
        try (ResultSet rs = s.executeQuery("SELECT sum(pg_relation_size(relid)), sum(pg_indexes_size(relid)),"
                + " sum(pg_total_relation_size(relid) - pg_relation_size(relid) - pg_indexes_size(relid)),"
                + " (SELECT count(*) FROM token_routing) FROM (" + tables + ") t")) {
            rs.next();
            long rows = rs.getLong(4);
            out.printf("    raw parts: heap %.2f, indexes %.2f, TOAST and maps %.2f B/decision (%,d rows, %.1f B"
                    + " heap and %.1f B index a row)%n", (double) rs.getLong(1) / decisions,
                    (double) rs.getLong(2) / decisions, (double) rs.getLong(3) / decisions, rows,
                    (double) rs.getLong(1) / rows, (double) rs.getLong(2) / rows);
        }
        out.printf("    request keys (routing_request, with its indexes): %.2f B/decision (%,d requests)%n",
                (double) single(s, "SELECT pg_total_relation_size('routing_request')") / decisions,
                single(s, "SELECT count(*) FROM routing_request"));
        var columns = new StringBuilder();
        try (ResultSet rs = s.executeQuery("SELECT string_agg(format('avg(pg_column_size(%I))', attname), ', '"
                + " ORDER BY attnum), string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute"
                + " WHERE attrelid = 'token_routing'::regclass AND attnum > 0 AND NOT attisdropped")) {
            rs.next();
            String[] names = rs.getString(2).split(",");
            try (Statement w = s.getConnection().createStatement();
                 ResultSet widths = w.executeQuery("SELECT avg(pg_column_size(t.*)), " + rs.getString(1)
                         + " FROM token_routing t")) {
                widths.next();
                columns.append(String.format("row %.1f B:", widths.getDouble(1)));
                for (int i = 0; i < names.length; i++) {
                    columns.append(String.format(" %s %.1f", names[i], widths.getDouble(i + 2)));
                }
            }
        }
        out.printf("    raw row widths (B, average; the row as a composite datum, with its 24 B header): %s%n",
                columns);
    }

    private static long rollupBytes(Statement s, boolean timescale) throws SQLException {
        return minuteBytes(s, timescale) + single(s, "SELECT pg_total_relation_size('layer_load')"
                + " + pg_total_relation_size('load_grid_current') + pg_total_relation_size('load_grid_hour')"
                + " + pg_total_relation_size('run_volume')");
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
