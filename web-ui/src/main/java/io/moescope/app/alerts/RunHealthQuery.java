package io.moescope.app.alerts;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * The health of a page of runs from the alert history, in one indexed query (see V41): for each alert (rule and
 * subject) about those runs its latest step counts, so a resolved alert no longer marks the run.
 */
@Service
public class RunHealthQuery {

    private static final String LATEST_STATES = """
            SELECT run_id, bool_or(to_state = 'FIRING') AS firing, bool_or(to_state = 'PENDING') AS pending
            FROM (SELECT DISTINCT ON (rule_id, subject) split_part(subject, '/layer ', 1) AS run_id, to_state
                  FROM alert_event
                  WHERE split_part(subject, '/layer ', 1) IN (:runIds)
                  ORDER BY rule_id, subject, at DESC, id DESC) latest
            GROUP BY run_id""";

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
        jdbc.query(LATEST_STATES, Map.of("runIds", runIds), row -> {
            RunHealth worst = row.getBoolean("firing") ? RunHealth.FIRING
                    : row.getBoolean("pending") ? RunHealth.PENDING : RunHealth.OK;
            health.put(row.getString("run_id"), worst);
        });
        return health;
    }
}
