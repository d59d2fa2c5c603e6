package io.moescope.app.alerts;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Which runs have ended, as ingest stored their RunLifecycle end events (status FINISHED or FAILED). */
class RunEnds {

    private final JdbcClient jdbc;

    RunEnds(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return run id -&gt; end status, for those of {@code runIds} that have ended */
    Map<String, String> ended(Collection<String> runIds) {
        var ended = new HashMap<String, String>();
        if (runIds.isEmpty()) {
            return ended;
        }
        jdbc.sql("SELECT run_id, status FROM run WHERE run_id = ANY(?) AND status <> 'STARTED'")
                .param(runIds.toArray(String[]::new))
                .query(rs -> {
                    ended.put(rs.getString(1), rs.getString(2));
                });
        return ended;
    }
}
