package io.moescope.storage.suites;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The stored default metric suite of each ended run ({@code run_metric_suite}, V52) and what says whether it still
 * covers the run's data: the run's {@code run_volume} (tokens and decisions), which ingest adds to in the same
 * transaction as the raw rows. The suite itself is opaque bytes here (the platform's codec). Stateless.
 */
public final class StoredSuites {

    private static final String RUN = "SELECT r.status, coalesce(v.tokens, 0), coalesce(v.decisions, 0) FROM run r"
            + " LEFT JOIN run_volume v USING (run_id) WHERE r.run_id = ?";

    private static final String FIND = "SELECT tokens, decisions, computed_at, format, suite FROM run_metric_suite"
            + " WHERE run_id = ?";

    private static final String SAVE = """
            INSERT INTO run_metric_suite (run_id, tokens, decisions, computed_at, format, suite)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (run_id) DO UPDATE SET tokens = EXCLUDED.tokens, decisions = EXCLUDED.decisions,
                computed_at = EXCLUDED.computed_at, format = EXCLUDED.format, suite = EXCLUDED.suite
            """;

    /** Ended runs with data whose stored suite is missing, of another format or over other data; latest ended first. */
    private static final String DUE = """
            SELECT r.run_id, v.tokens, v.decisions FROM run r
            JOIN run_volume v USING (run_id)
            LEFT JOIN run_metric_suite s USING (run_id)
            WHERE r.status <> 'STARTED'
              AND (s.run_id IS NULL OR s.format <> ? OR s.tokens <> v.tokens OR s.decisions <> v.decisions)
            ORDER BY r.finished_at DESC NULLS LAST, r.run_id
            """;

    /**
     * The data of a run as it is stored: a suite that covers the same tokens and decisions covers all of it.
     *
     * @param tokens    tokens stored for the run (0 when none)
     * @param decisions decisions (token x MoE layer, or counted choices of an aggregate-only run) stored for it
     */
    public record DataVersion(long tokens, long decisions) {
    }

    /**
     * @param ended whether the run has ended (its status is not STARTED: FINISHED, FAILED or ABANDONED)
     * @param data  what is stored of it now
     */
    public record RunData(boolean ended, DataVersion data) {
    }

    /**
     * @param covers     the run's data when the computation began
     * @param computedAt when it began
     * @param format     the codec's format of {@code suite}
     * @param suite      the encoded suite
     */
    public record Stored(DataVersion covers, Instant computedAt, int format, byte[] suite) {
    }

    private final JdbcClient jdbc;

    public StoredSuites(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return empty when the run is unknown */
    public Optional<RunData> run(String runId) {
        return jdbc.sql(RUN).param(runId)
                .query((rs, row) -> new RunData(!"STARTED".equals(rs.getString(1)),
                        new DataVersion(rs.getLong(2), rs.getLong(3))))
                .optional();
    }

    /** @return empty when none is stored for the run */
    public Optional<Stored> find(String runId) {
        return jdbc.sql(FIND).param(runId)
                .query((rs, row) -> new Stored(new DataVersion(rs.getLong(1), rs.getLong(2)),
                        rs.getTimestamp(3).toInstant(), rs.getInt(4), rs.getBytes(5)))
                .optional();
    }

    /** Stores the run's suite, replacing the one stored before. */
    public void save(String runId, Stored suite) {
        jdbc.sql(SAVE).params(runId, suite.covers().tokens(), suite.covers().decisions(),
                Timestamp.from(suite.computedAt()), suite.format(), suite.suite()).update();
    }

    /** An ended run whose stored suite is missing or no longer covers {@code data}, what it holds now. */
    public record Due(String runId, DataVersion data) {
    }

    /** The ended runs with data whose stored suite is missing, of another format than {@code format}, or stale. */
    public List<Due> due(int format) {
        return jdbc.sql(DUE).param(format)
                .query((rs, row) -> new Due(rs.getString(1), new DataVersion(rs.getLong(2), rs.getLong(3))))
                .list();
    }
}
