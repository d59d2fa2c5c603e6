package io.moescope.platform.alerts;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * The health of a page of runs from the alert history, in one query through the SQL function {@code run_health}
 * (V42, the same definition the Runs list's health filter uses): for each alert (rule and subject) about those runs
 * its latest step counts, so a resolved alert no longer marks the run; one probe of an index (V41) per run.
 */
@Service
public class RunHealthQuery {

    private static final String HEALTH = "SELECT run_id, run_health(run_id) AS health"
            + " FROM unnest(ARRAY[:runIds]::text[]) AS run_id";

    private final NamedParameterJdbcTemplate jdbc;

    RunHealthQuery(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** @return the health of each of the runs; runs no alert ever named are {@link RunHealth#OK} */
    public Map<String, RunHealth> of(Collection<String> runIds) {
        Map<String, RunHealth> health = new HashMap<>();
        runIds.forEach(id -> health.put(id, RunHealth.OK));
        if (runIds.isEmpty()) {
            return health;
        }
        jdbc.query(HEALTH, Map.of("runIds", runIds),
                row -> {
                    health.put(row.getString("run_id"), RunHealth.valueOf(row.getString("health")));
                });
        return health;
    }
}
