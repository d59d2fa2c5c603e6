package io.moescope.platform.workload;

import io.moescope.events.ModelIdentity;
import io.moescope.events.RunWorkload;
import io.moescope.platform.runs.RunCatalog;
import io.moescope.platform.tokens.StoredTokens;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The workloads probe runs recorded (tables {@code run_workload}, {@code workload_request}, {@code token_text},
 * written by ingest), read
 * back as {@link RunWorkload}s with the run's full model identity.
 */
@Service
@Transactional(readOnly = true)
public class RecordedWorkloads {

    private final JdbcTemplate jdbc;
    private final StoredTokens stored;
    private final RunCatalog runs;

    RecordedWorkloads(JdbcTemplate jdbc, StoredTokens stored, RunCatalog runs) {
        this.jdbc = jdbc;
        this.stored = stored;
        this.runs = runs;
    }

    /**
     * @return the run's workload; empty when the run is unknown
     * @throws NoRecordedWorkloadException when the run exists but recorded no workload (imported and replayed runs)
     */
    public Optional<RunWorkload> find(String runId) {
        Optional<StoredTokens.StoredRun> run = stored.find(runId);
        if (run.isEmpty()) {
            return Optional.empty();
        }
        List<RunWorkload> found = jdbc.query("SELECT * FROM run_workload WHERE run_id = ?",
                (rs, i) -> workload(rs, run.get().model()), runId);
        if (found.isEmpty()) {
            String source = runs.find(runId).map(r -> r.source()).orElse("unknown");
            throw new NoRecordedWorkloadException("run '" + run.get().name() + "' (" + runId + ", source " + source
                    + ") has no recorded workload: only probe runs record their prompts and generation parameters,"
                    + " imported and replayed runs cannot be run again through a model");
        }
        return Optional.of(found.get(0));
    }

    private RunWorkload workload(ResultSet rs, ModelIdentity model) throws SQLException {
        var generation = new RunWorkload.Generation(rs.getInt("max_new_tokens"), rs.getDouble("temperature"),
                rs.getDouble("top_p"), rs.getLong("seed"), integers(rs.getArray("stop_token_ids")),
                rs.getInt("expert_cache"), rs.getString("cache_policy"));
        String runId = rs.getString("run_id");
        List<RunWorkload.Request> requests = jdbc.query("SELECT request_id, prompt, message_roles, message_contents,"
                + " arrived_at FROM workload_request WHERE run_id = ? ORDER BY position", (r, i) -> request(r), runId);
        var texts = new HashMap<Integer, String>();
        jdbc.query("SELECT token_id, text FROM token_text WHERE run_id = ?",
                (RowCallbackHandler) row -> texts.put(row.getInt("token_id"), row.getString("text")), runId);
        return new RunWorkload(runId, model, rs.getString("model_source"), generation, requests, texts);
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
