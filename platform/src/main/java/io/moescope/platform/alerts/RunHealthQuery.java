package io.moescope.platform.alerts;

import io.moescope.storage.runs.RunStates;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * The health of a page of runs from the alert history, in one query through the SQL function {@code run_health}
 * (V42, the same definition the Runs list's health filter uses): for each alert (rule and subject) about those runs
 * its latest step counts, so a resolved alert no longer marks the run; one probe of an index (V41) per run.
 */
@Service
public class RunHealthQuery {

    private final RunStates states;

    RunHealthQuery(RunStates states) {
        this.states = states;
    }

    /** @return the health of each of the runs; runs no alert ever named are {@link RunHealth#OK} */
    public Map<String, RunHealth> of(Collection<String> runIds) {
        Map<String, RunHealth> health = new HashMap<>();
        runIds.forEach(id -> health.put(id, RunHealth.OK));
        if (runIds.isEmpty()) {
            return health;
        }
        states.health(runIds).forEach((run, level) -> health.put(run, RunHealth.valueOf(level)));
        return health;
    }
}
