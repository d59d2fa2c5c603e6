package io.moescope.storage.workload;

import io.moescope.events.ModelIdentity;
import io.moescope.events.RunWorkload;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Reads back what {@link WorkloadWriter} stored ({@code run_workload}, {@code workload_request}, {@code token_text})
 * as a {@link RunWorkload}. Call it in one read-only transaction for one snapshot.
 */
public final class RecordedWorkloadRows {

    private static final String WORKLOAD = "SELECT * FROM run_workload WHERE run_id = ?";

    private static final String REQUESTS = "SELECT request_id, prompt, message_roles, message_contents, arrived_at"
            + " FROM workload_request WHERE run_id = ? ORDER BY position";

    private final JdbcTemplate jdbc;
    private final TokenTextTable texts;

    public RecordedWorkloadRows(JdbcTemplate jdbc, TokenTextTable texts) {
        this.jdbc = jdbc;
        this.texts = texts;
    }

    /** @return the run's workload, with {@code model} as its model; empty when the run recorded none */
    public Optional<RunWorkload> find(String runId, ModelIdentity model) {
        return jdbc.query(WORKLOAD, (rs, i) -> workload(rs, model), runId).stream().findFirst();
    }

    private RunWorkload workload(ResultSet rs, ModelIdentity model) throws SQLException {
        var generation = new RunWorkload.Generation(rs.getInt("max_new_tokens"), rs.getDouble("temperature"),
                rs.getDouble("top_p"), rs.getLong("seed"), integers(rs.getArray("stop_token_ids")),
                rs.getInt("expert_cache"), rs.getString("cache_policy"));
        String runId = rs.getString("run_id");
        List<RunWorkload.Request> requests = jdbc.query(REQUESTS, (r, i) -> request(r), runId);
        return new RunWorkload(runId, model, rs.getString("model_source"), generation, requests, texts.of(runId));
    }

    private static RunWorkload.Request request(ResultSet rs) throws SQLException {
        String[] roles = (String[]) rs.getArray("message_roles").getArray();
        String[] contents = (String[]) rs.getArray("message_contents").getArray();
        var messages = new ArrayList<RunWorkload.Message>(roles.length);
        for (int i = 0; i < roles.length; i++) {
            messages.add(new RunWorkload.Message(roles[i], contents[i]));
        }
        OffsetDateTime arrived = rs.getObject("arrived_at", OffsetDateTime.class);
        return new RunWorkload.Request(rs.getString("request_id"), rs.getString("prompt"), messages,
                arrived == null ? OptionalLong.empty()
                        : OptionalLong.of(ChronoUnit.MICROS.between(Instant.EPOCH, arrived.toInstant())));
    }

    private static List<Integer> integers(Array array) throws SQLException {
        return Arrays.asList((Integer[]) array.getArray());
    }
}
