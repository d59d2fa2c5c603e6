package db.migration;

import io.moescope.storage.rollups.CountGrid;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.TreeMap;
import org.flywaydb.core.api.logging.Log;
import org.flywaydb.core.api.logging.LogFactory;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The minute rollup becomes one row per run, minute and phase holding the counts of all layers as one packed
 * {@link CountGrid}, instead of a row per run, minute, layer and phase with a {@code bigint} per expert
 * ({@code layer_load_minute}, V44): finished minutes in {@code load_grid_minute}, each run and phase's current
 * minute in {@code load_grid_current} (why two tables: {@code MinuteGridWriter}). The old row cost about 600 B
 * whatever the traffic, 45 B per decision for a slow run of 46 tokens a minute; a grid costs a few bits per layer and
 * expert while most counts of the minute are small. Grids stay in the table's pages up to 8 kB
 * ({@code toast_tuple_target}): out of line, every update of a minute would leave a copy in the TOAST table until
 * vacuum. The views {@code expert_load_minute} and {@code expert_load_hourly} keep their columns, read through
 * {@code moescope_grid_cells} over both tables (adding up a minute that late data counted in both).
 *
 * <p>A Java migration because the rows stored so far are converted with the one codec, {@link CountGrid}: packing
 * in SQL takes tens of milliseconds a grid, hours for a year of minutes. On TimescaleDB the new table is a
 * hypertable with compression like the old one, and the old table's compression policy (if the operator kept it)
 * moves to it; the policy compresses the converted minutes again on its next run.
 */
public class V48__minute_load_grids extends BaseJavaMigration {

    /** The current definition is in R__layer_load_counts.sql; this migration needs the function first. */
    private static final String GRID_CELLS = """
            CREATE OR REPLACE FUNCTION moescope_grid_cells(p_grid bytea)
            RETURNS TABLE (layer integer, expert integer, tokens bigint)
            LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
                WITH header AS (
                    SELECT get_byte(p_grid, 0) AS bits, get_byte(p_grid, 1) << 8 | get_byte(p_grid, 2) AS experts,
                           get_byte(p_grid, 3) << 8 | get_byte(p_grid, 4) AS layers, get_byte(p_grid, 5) AS escape_width,
                           6 + 2 * (get_byte(p_grid, 3) << 8 | get_byte(p_grid, 4)) AS cells
                ), cell AS (
                    -- a packed cell spans at most two bytes: read both (the second only if there is one) and shift it out
                    SELECT c, CASE WHEN h.bits <= 8 THEN
                               (get_byte(p_grid, h.cells + c * h.bits / 8) << 8
                                | CASE WHEN h.cells + c * h.bits / 8 + 1 < length(p_grid)
                                       THEN get_byte(p_grid, h.cells + c * h.bits / 8 + 1) ELSE 0 END)
                               >> (16 - h.bits - c * h.bits % 8) & (1 << h.bits) - 1
                           END AS packed
                    FROM header AS h, generate_series(0, h.layers * h.experts - 1) AS c
                ), located AS (
                    SELECT c, packed,
                           CASE WHEN h.bits <= 8
                                THEN h.cells + (h.layers * h.experts * h.bits + 7) / 8
                                     + h.escape_width
                                       * (count(*) FILTER (WHERE packed = (1 << h.bits) - 1) OVER (ORDER BY c) - 1)::integer
                                ELSE h.cells + c * (h.bits / 8) END AS at,
                           CASE WHEN h.bits <= 8 THEN h.escape_width ELSE h.bits / 8 END AS width
                    FROM header AS h, cell
                )
                SELECT get_byte(p_grid, 6 + 2 * (c / h.experts)) << 8 | get_byte(p_grid, 7 + 2 * (c / h.experts)),
                       c % h.experts,
                       CASE WHEN packed < (1 << h.bits) - 1 THEN packed
                            ELSE ('x' || lpad(encode(substring(p_grid FROM at + 1 FOR width), 'hex'), 16, '0'))::bit(64)::bigint
                       END
                FROM header AS h, located
                ORDER BY c
            $$""";

    /** The finished minutes, written once (late data aside): full pages. */
    private static final String FINISHED_MINUTES = """
            CREATE TABLE load_grid_minute (
                run_id text        NOT NULL,
                bucket timestamptz NOT NULL,
                phase  smallint    NOT NULL,
                counts bytea       NOT NULL,
                PRIMARY KEY (run_id, bucket, phase)
            ) WITH (toast_tuple_target = 8160)""";

    /** The minute each run and phase is counting now, rewritten by every batch: room on the page for that. */
    private static final String CURRENT_MINUTES = """
            CREATE TABLE load_grid_current (
                run_id text        NOT NULL,
                phase  smallint    NOT NULL,
                bucket timestamptz NOT NULL,
                counts bytea       NOT NULL,
                PRIMARY KEY (run_id, phase)
            ) WITH (fillfactor = 50, toast_tuple_target = 8160)""";

    private static final String OLD_POLICY = """
            SELECT (config ->> 'compress_after')::text FROM timescaledb_information.jobs
            WHERE proc_name = 'policy_compression' AND hypertable_name = 'layer_load_minute'""";

    private static final String OLD_ROWS = """
            SELECT run_id, bucket, phase, layer, tokens FROM layer_load_minute
            ORDER BY run_id, bucket, phase, layer""";

    private static final String INSERT = "INSERT INTO load_grid_minute (run_id, bucket, phase, counts) VALUES (?, ?, ?, ?)";

    private static final String VIEWS = """
            DROP VIEW expert_load_hourly;
            DROP VIEW expert_load_minute;
            DROP TABLE layer_load_minute;
            CREATE VIEW expert_load_minute AS
            SELECT m.run_id, m.bucket, g.layer, g.expert, m.phase, sum(g.tokens)::bigint AS tokens
            FROM (SELECT run_id, bucket, phase, counts FROM load_grid_minute
                  UNION ALL
                  SELECT run_id, bucket, phase, counts FROM load_grid_current) AS m
            CROSS JOIN LATERAL moescope_grid_cells(m.counts) AS g
            WHERE g.tokens <> 0
            GROUP BY m.run_id, m.bucket, g.layer, g.expert, m.phase;
            CREATE VIEW expert_load_hourly AS
            SELECT run_id, date_bin('1 hour', bucket, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS bucket, layer, expert,
                   phase, sum(tokens)::bigint AS tokens
            FROM expert_load_minute
            GROUP BY 1, 2, 3, 4, 5""";

    private static final int BATCH = 1000;

    /** Rows between two progress lines: a large database takes minutes, which the log shows going on. */
    private static final int PROGRESS_ROWS = 200_000;

    private static final Log LOG = LogFactory.getLog(V48__minute_load_grids.class);

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        try (Statement s = connection.createStatement()) {
            s.execute(GRID_CELLS);
            s.execute(FINISHED_MINUTES);
            s.execute(CURRENT_MINUTES);
            String policy = null;
            boolean timescale = timescale(s);
            if (timescale) {
                policy = oldPolicy(s);
                s.execute("SELECT create_hypertable('load_grid_minute', by_range('bucket', INTERVAL '7 days'))");
                s.execute("ALTER TABLE load_grid_minute SET (timescaledb.compress,"
                        + " timescaledb.compress_segmentby = 'run_id', timescaledb.compress_orderby = 'phase, bucket')");
            }
            convert(connection);
            s.execute(VIEWS);
            if (policy != null) {
                s.execute("SELECT add_compression_policy('load_grid_minute', compress_after => INTERVAL '"
                        + policy.replace("'", "''") + "')");
            }
        }
    }

    private static boolean timescale(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT moescope_storage_path()")) {
            rs.next();
            return "timescaledb".equals(rs.getString(1));
        }
    }

    private static String oldPolicy(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery(OLD_POLICY)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** Packs each (run, minute, phase)'s layer vectors into one grid, streaming the old rows in key order. */
    private static void convert(Connection connection) throws SQLException {
        try (Statement read = connection.createStatement();
             PreparedStatement insert = connection.prepareStatement(INSERT)) {
            long total = count(read);
            if (total > PROGRESS_ROWS) {
                LOG.info("V48: packing " + total + " rows of the minute rollup into grids");
            }
            read.setFetchSize(BATCH);
            var pending = new Minute(insert);
            long rows = 0;
            try (ResultSet rs = read.executeQuery(OLD_ROWS)) {
                while (rs.next()) {
                    pending.add(rs.getString(1), rs.getTimestamp(2), rs.getShort(3), rs.getInt(4), rs.getArray(5));
                    if (++rows % PROGRESS_ROWS == 0) {
                        LOG.info("V48: " + rows + " of " + total + " rows packed");
                    }
                }
            }
            pending.flush();
            insert.executeBatch();
        }
    }

    private static long count(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM layer_load_minute")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The minute being packed, and the insert its grid goes to. */
    private static final class Minute {
        private final PreparedStatement insert;
        private String runId;
        private Timestamp bucket;
        private short phase;
        private TreeMap<Integer, long[]> layers = new TreeMap<>();
        private int batched;

        Minute(PreparedStatement insert) {
            this.insert = insert;
        }

        void add(String run, Timestamp minute, short rowPhase, int layer, Array tokens) throws SQLException {
            if (!run.equals(runId) || !minute.equals(bucket) || rowPhase != phase) {
                flush();
                runId = run;
                bucket = minute;
                phase = rowPhase;
            }
            Long[] counts = (Long[]) tokens.getArray();
            long[] vector = new long[counts.length];
            for (int e = 0; e < counts.length; e++) {
                vector[e] = counts[e];
            }
            layers.put(layer, vector);
        }

        void flush() throws SQLException {
            if (layers.isEmpty()) {
                return;
            }
            insert.setString(1, runId);
            insert.setTimestamp(2, bucket);
            insert.setShort(3, phase);
            insert.setBytes(4, CountGrid.of(layers).encoded());
            insert.addBatch();
            layers = new TreeMap<>();
            if (++batched % BATCH == 0) {
                insert.executeBatch();
            }
        }
    }
}
