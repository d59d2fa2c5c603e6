package io.moescope.platform.alerts;

import io.moescope.storage.runs.RunStates;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * What the database knows about the runs the evaluator tracks: which have ended (their stored status is not
 * STARTED: FINISHED or FAILED from the producer's end event, ABANDONED from {@code AbandonedRuns}) and the routing
 * time of their latest stored token. The latter lets an alert outlive a restart: the streamed windows hold only what
 * arrived since the start, the stored rollups what arrived before it too.
 */
class RunProgress {

    /**
     * @param ended      run id -&gt; end status, for those of the runs that have ended
     * @param lastRouted run id -&gt; routing time of its latest stored token, for those with any
     */
    record Progress(Map<String, String> ended, Map<String, Instant> lastRouted) {

        /** Whether a token of the run routed at or after {@code from} is stored (the window's rule, on stored data). */
        boolean routedSince(String run, Instant from) {
            Instant last = lastRouted.get(run);
            return last != null && !last.isBefore(from);
        }
    }

    private final RunStates states;

    RunProgress(RunStates states) {
        this.states = states;
    }

    Progress of(Collection<String> runIds) {
        var ended = new HashMap<String, String>();
        var lastRouted = new HashMap<String, Instant>();
        if (runIds.isEmpty()) {
            return new Progress(ended, lastRouted);
        }
        states.progress(runIds, (run, status, last) -> {
            if (status != null && !status.equals("STARTED")) {
                ended.put(run, status);
            }
            if (last != null) {
                lastRouted.put(run, last);
            }
        });
        return new Progress(ended, lastRouted);
    }
}
