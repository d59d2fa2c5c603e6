package io.moescope.platform.runs;

import io.moescope.storage.runs.RunStates;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one rule for runs whose producer went away without an end event: a run without a FINISHED or FAILED event is
 * ABANDONED while ingest has stored nothing for it (neither its STARTED event nor any of its tokens) for longer than
 * {@code moescope.runs.abandoned-after}, and STARTED ("running") again as soon as something of it is stored again.
 * An end event always wins: ingest writes FINISHED or FAILED over either state, and this rule never touches an ended
 * run. A tap sends a heartbeat (its STARTED event with its counts, every 10 s), which counts as stored, so an idle tap
 * stays running; other producers have none, so one that is alive but sends nothing for that long (an idle probe)
 * reads as abandoned until its next token.
 *
 * <p>Ingest times, not routing times: those are the producer's, and an imported trace keeps its recorded ones
 * (V45). The ingest times are the database's clock, the cutoff this application's; the two are the same machine or
 * NTP apart, which is nothing against minutes. The statement is storage's ({@link RunStates#markAbandoned}).
 */
public class AbandonedRuns {

    private static final Logger log = LoggerFactory.getLogger(AbandonedRuns.class);

    /** A run whose state this check changed. */
    public record Change(String runId, String status, Instant lastSeen) {
    }

    private final RunStates states;
    private final Clock clock;
    private final Duration after;

    /** @param after how long without anything stored makes a run abandoned; zero or negative: never */
    public AbandonedRuns(RunStates states, Clock clock, Duration after) {
        this.states = states;
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
        List<Change> changes = states.markAbandoned(clock.instant().minus(after).atOffset(ZoneOffset.UTC),
                Change::new);
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
