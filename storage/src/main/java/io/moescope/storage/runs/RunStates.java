package io.moescope.storage.runs;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The states of runs: ended or not, their latest stored token, their health from the alert history, and the rule
 * for runs abandoned by their producer.
 */
public final class RunStates {

    private static final String PROGRESS = "SELECT k.run_id, r.status, v.last_routed_at FROM unnest(?::text[]) AS"
            + " k(run_id) LEFT JOIN run r USING (run_id) LEFT JOIN run_volume v USING (run_id)";

    private static final String HEALTH = "SELECT run_id, run_health(run_id) AS health"
            + " FROM unnest(ARRAY[:runIds]::text[]) AS run_id";

    /**
     * One statement, so it is atomic against ingest's end events: a run is re-checked under its row lock, and one
     * that got its FINISHED meanwhile no longer matches. An abandoned run ends at its last routed token (its start
     * when it sent none), so its duration is what it routed.
     */
    private static final String MARK_ABANDONED = """
            WITH seen AS (
                SELECT r.run_id, greatest(r.registered_at, v.last_ingested_at, r.heartbeat_at) AS last_seen,
                       coalesce(v.last_routed_at, r.started_at) AS last_routed
                FROM run r LEFT JOIN run_volume v USING (run_id)
                WHERE r.status IN ('STARTED', 'ABANDONED')
            )
            UPDATE run r
            SET status = CASE WHEN s.last_seen < :cutoff THEN 'ABANDONED' ELSE 'STARTED' END,
                finished_at = CASE WHEN s.last_seen < :cutoff THEN s.last_routed END
            FROM seen s
            WHERE r.run_id = s.run_id AND r.status IN ('STARTED', 'ABANDONED')
              AND (s.last_seen < :cutoff) <> (r.status = 'ABANDONED')
            RETURNING r.run_id, r.status, s.last_seen
            """;

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate named;

    public RunStates(JdbcClient jdbc, NamedParameterJdbcTemplate named) {
        this.jdbc = jdbc;
        this.named = named;
    }

    /** Receives one run's row: its stored status (null when unknown) and latest routing time (null when none). */
    @FunctionalInterface
    public interface ProgressRow {
        void accept(String runId, String status, Instant lastRouted);
    }

    /** Hands each of {@code runIds} to {@code row}. */
    public void progress(Collection<String> runIds, ProgressRow row) {
        jdbc.sql(PROGRESS)
                .param(runIds.toArray(String[]::new))
                .query(rs -> {
                    var last = rs.getTimestamp(3);
                    row.accept(rs.getString(1), rs.getString(2), last == null ? null : last.toInstant());
                });
    }

    /**
     * The health of each of {@code runIds} that an alert ever named, through the SQL function {@code run_health}
     * (V42): for each alert (rule and subject) about the run its latest step counts.
     *
     * @return run id -&gt; the function's result (the name of a health level), for each of the runs
     */
    public Map<String, String> health(Collection<String> runIds) {
        var health = new HashMap<String, String>();
        named.query(HEALTH, Map.of("runIds", runIds),
                row -> {
                    health.put(row.getString("run_id"), row.getString("health"));
                });
        return health;
    }

    /** Makes the caller's record of a run whose state {@link #markAbandoned} changed. */
    @FunctionalInterface
    public interface Changed<T> {
        T of(String runId, String status, Instant lastSeen);
    }

    /**
     * Marks ABANDONED the runs without an end event that nothing was stored for since {@code cutoff}, and STARTED
     * again those so marked that got something since.
     *
     * @return the runs it changed: their new status and when something of them was last stored
     */
    public <T> List<T> markAbandoned(OffsetDateTime cutoff, Changed<T> changed) {
        return jdbc.sql(MARK_ABANDONED)
                .param("cutoff", cutoff)
                .query((rs, row) -> changed.of(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()))
                .list();
    }
}
