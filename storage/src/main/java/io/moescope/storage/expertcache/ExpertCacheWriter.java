package io.moescope.storage.expertcache;

import io.moescope.events.ExpertCacheStep;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Inserts the accesses of a batch of steps into {@code expert_cache_access} with one statement (arrays unnested
 * server-side), skipping rows already stored: redelivered records insert nothing twice. Volume is small (a step
 * has layers x k accesses at most per token), so plain INSERT is enough here; routing uses binary COPY.
 */
public final class ExpertCacheWriter {

    private static final String INSERT = """
            INSERT INTO expert_cache_access (run_id, request_id, token_index, step_tokens, layer, expert, access_order,
                                             hit, bytes_read, load_nanos, evicted, capacity, policy, stepped_at)
            SELECT * FROM unnest(?::text[], ?::text[], ?::integer[], ?::integer[], ?::integer[], ?::integer[],
                                 ?::integer[], ?::boolean[], ?::bigint[], ?::bigint[], ?::integer[], ?::integer[],
                                 ?::text[], ?::text[]::timestamptz[])
            ON CONFLICT DO NOTHING""";

    /** @return rows inserted (accesses not stored before) */
    public int write(Connection connection, List<ExpertCacheStep> steps) throws SQLException {
        int rows = steps.stream().mapToInt(s -> s.accesses().size()).sum();
        if (rows == 0) {
            return 0;
        }
        Object[][] columns = new Object[14][rows];
        int row = 0;
        for (ExpertCacheStep step : steps) {
            // ISO-8601 with Z: no dependence on the JVM's or the session's time zone
            String at = Instant.EPOCH.plus(step.timestampMicros(), ChronoUnit.MICROS).toString();
            for (int i = 0; i < step.accesses().size(); i++, row++) {
                ExpertCacheStep.Access a = step.accesses().get(i);
                Object[] values = {step.runId(), step.requestId(), step.firstTokenIndex(), step.tokens(), a.layer(),
                    a.expert(), i, a.hit(), a.bytesRead(), a.loadNanos(), a.evicted() < 0 ? null : a.evicted(),
                    step.capacity(), step.policy(), at};
                for (int c = 0; c < values.length; c++) {
                    columns[c][row] = values[c];
                }
            }
        }
        String[] types = {"text", "text", "integer", "integer", "integer", "integer", "integer", "boolean", "bigint",
            "bigint", "integer", "integer", "text", "text"};
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (int c = 0; c < columns.length; c++) {
                insert.setArray(c + 1, connection.createArrayOf(types[c], columns[c]));
            }
            return insert.executeUpdate();
        }
    }
}
