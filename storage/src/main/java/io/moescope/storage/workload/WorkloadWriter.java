package io.moescope.storage.workload;

import io.moescope.events.RunWorkload;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Stores a {@link RunWorkload} in {@code run_workload}, {@code workload_request} and {@code token_text}, idempotently: a workload is
 * written once, and a redelivered event changes nothing. Plain JDBC in the caller's transaction; thread-safe.
 */
public final class WorkloadWriter {

    private static final String INSERT_WORKLOAD = "INSERT INTO run_workload (run_id, model_name, architecture,"
            + " model_source, max_new_tokens, temperature, top_p, seed, stop_token_ids, expert_cache, cache_policy)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id) DO NOTHING";

    private static final String INSERT_REQUEST = "INSERT INTO workload_request (run_id, position, request_id, prompt,"
            + " message_roles, message_contents, arrived_at) VALUES (?, ?, ?, ?, ?, ?, ?)";

    private static final String INSERT_TEXT = "INSERT INTO token_text (run_id, token_id, text) VALUES (?, ?, ?)"
            + " ON CONFLICT (run_id, token_id) DO NOTHING";

    /**
     * What a workload must satisfy to be stored beyond what the codec checks.
     *
     * @throws IllegalArgumentException saying why it cannot be stored
     */
    public static void checkStorable(RunWorkload workload) {
        for (String text : texts(workload)) {
            // PostgreSQL text cannot hold NUL: the insert would fail on every redelivery.
            if (text.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("text field contains a NUL character: " + text.replace('\0', '?'));
            }
        }
    }

    /** @return whether the workload was new (false: it was stored before) */
    public boolean write(Connection connection, RunWorkload workload) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(INSERT_WORKLOAD)) {
            RunWorkload.Generation g = workload.generation();
            int i = 1;
            statement.setString(i++, workload.runId());
            statement.setString(i++, workload.model().name());
            statement.setString(i++, workload.model().architecture());
            statement.setString(i++, workload.modelSource());
            statement.setInt(i++, g.maxNewTokens());
            statement.setDouble(i++, g.temperature());
            statement.setDouble(i++, g.topP());
            statement.setLong(i++, g.seed());
            statement.setArray(i++, connection.createArrayOf("integer", g.stopTokenIds().toArray()));
            statement.setInt(i++, g.expertCache());
            statement.setString(i, g.cachePolicy());
            if (statement.executeUpdate() == 0) {
                return false;
            }
        }
        writeRequests(connection, workload);
        writeTokenTexts(connection, workload);
        return true;
    }

    private static void writeTokenTexts(Connection connection, RunWorkload workload) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(INSERT_TEXT)) {
            for (Map.Entry<Integer, String> text : workload.tokenTexts().entrySet()) {
                statement.setString(1, workload.runId());
                statement.setInt(2, text.getKey());
                statement.setString(3, text.getValue());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private static void writeRequests(Connection connection, RunWorkload workload) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(INSERT_REQUEST)) {
            int position = 0;
            for (RunWorkload.Request r : workload.requests()) {
                statement.setString(1, workload.runId());
                statement.setInt(2, position++);
                statement.setString(3, r.requestId());
                statement.setString(4, r.text());
                statement.setArray(5, connection.createArrayOf("text",
                        r.messages().stream().map(RunWorkload.Message::role).toArray()));
                statement.setArray(6, connection.createArrayOf("text",
                        r.messages().stream().map(RunWorkload.Message::content).toArray()));
                if (r.arrivalMicros().isPresent()) {
                    statement.setObject(7, Instant.EPOCH.plus(r.arrivalMicros().getAsLong(), ChronoUnit.MICROS)
                            .atOffset(ZoneOffset.UTC));
                } else {
                    statement.setNull(7, Types.TIMESTAMP_WITH_TIMEZONE);
                }
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private static List<String> texts(RunWorkload workload) {
        var texts = new ArrayList<String>(List.of(workload.runId(), workload.model().name(),
                workload.model().architecture(), workload.modelSource(), workload.generation().cachePolicy()));
        for (RunWorkload.Request r : workload.requests()) {
            texts.add(r.requestId());
            texts.add(r.text());
            r.messages().forEach(m -> {
                texts.add(m.role());
                texts.add(m.content());
            });
        }
        texts.addAll(workload.tokenTexts().values());
        return texts;
    }
}
