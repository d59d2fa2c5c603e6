package io.moescope.platform.runs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The one rule for runs whose producer went away without an end event: a run without a FINISHED or FAILED event is
 * ABANDONED while ingest has stored nothing for it (neither its STARTED event nor any of its tokens) for longer than
 * {@code moescope.runs.abandoned-after}, and STARTED ("running") again as soon as something of it is stored again.
 * An end event always wins: ingest writes FINISHED or FAILED over either state, and this rule never touches an ended
 * run. There is no heartbeat, so a producer that is alive but sends nothing for that long (an idle probe) reads as
 * abandoned until its next token.
 *
 * <p>Ingest times, not routing times: those are the producer's, and an imported trace keeps its recorded ones
 * (V45). The ingest times are the database's clock, the cutoff this application's; the two are the same machine or
 * NTP apart, which is nothing against minutes.
 */
public class AbandonedRuns {

    private static final Logger log = LoggerFactory.getLogger(AbandonedRuns.class);

    /**
     * One statement, so it is atomic against ingest's end events: a run is re-checked under its row lock, and one
     * that got its FINISHED meanwhile no longer matches. An abandoned run ends at its last routed token (its start
     * when it sent none), so its duration is what it routed.
     */
    private static final String APPLY = """
            WITH seen AS (
                SELECT r.run_id, greatest(r.registered_at, v.last_ingested_at) AS last_seen,
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

    /** A run whose state this check changed. */
    public record Change(String runId, String status, Instant lastSeen) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration after;

    /** @param after how long without anything stored makes a run abandoned; zero or negative: never */
    public AbandonedRuns(JdbcClient jdbc, Clock clock, Duration after) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.after = after;
    }

    public boolean enabled() {
        return !after.isNegative() && !after.isZero();
    }

    /** Applies the rule to every run without an end event; @return the runs it changed, each logged. */
    public List<Change> apply() {
        if (!enabled()) {
            return List.of();
        }
        List<Change> changes = jdbc.sql(APPLY)
                .param("cutoff", clock.instant().minus(after).atOffset(ZoneOffset.UTC))
                .query((rs, row) -> new Change(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()))
                .list();
        for (Change change : changes) {
            if (change.status().equals("ABANDONED")) {
                log.info("run {} marked ABANDONED: nothing stored for it since {}, longer than"
                        + " moescope.runs.abandoned-after ({}), and no end event", change.runId(), change.lastSeen(),
                        after);
            } else {
                log.info("run {} running again (STARTED): data stored for it at {} after it was marked ABANDONED",
                        change.runId(), change.lastSeen());
            }
        }
        return changes;
    }
}
