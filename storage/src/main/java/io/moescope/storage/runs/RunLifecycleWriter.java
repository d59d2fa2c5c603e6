package io.moescope.storage.runs;

import io.moescope.events.ModelIdentity;
import io.moescope.events.RunLifecycle;
import io.moescope.events.RunStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Keeps the {@code run} table in step with {@link RunLifecycle} events, idempotently: replaying an event changes
 * nothing.
 *
 * <p>{@code STARTED} inserts the row and never overwrites one: a replayed STARTED must not undo a FINISHED. Its
 * {@code tokens_reported} is 0, "unknown": the tokens a STARTED carries are progress (a live tap's repeated one has
 * those sent so far), not the producer's count, which only an end event gives.
 * {@code FINISHED} and {@code FAILED} set status, end time and the producer's token count, and insert the row when
 * the STARTED event was never seen (lost, or retention expired); its start time is then the first routed token's
 * if ingest has stored any, else the end time. An event that says the run's requests cannot be told apart stores
 * why ({@code requests_not_separable}, V46); an event without it never clears it. An event with a tap's responses by
 * outcome stores them ({@code responses}, V46), replacing earlier counts of the run; an event without them never
 * clears them. A live tap repeats its STARTED event with the counts so far: those are stored only while the run has
 * not ended, so a STARTED that arrives after the run's end event cannot replace its final counts, and the event is
 * the run's heartbeat ({@code heartbeat_at}, V46), which keeps an idle tap from being taken as abandoned.
 *
 * <p>Plain JDBC; runs in the caller's transaction (or auto-commit); stateless and thread-safe.
 */
public final class RunLifecycleWriter {

    private static final String COLUMNS = "run_id, name, source, status, model_name, architecture, num_experts, top_k,"
            + " num_layers, moe_layers, total_parameters, active_parameters, started_at, finished_at, tokens_reported";

    private static final String INSERT_STARTED = "INSERT INTO run (" + COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (run_id) DO NOTHING";

    private static final String UPSERT_ENDED = "INSERT INTO run (" + COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            + " COALESCE((SELECT first_routed_at FROM run_volume WHERE run_id = ?), ?), ?, ?)"
            + " ON CONFLICT (run_id) DO UPDATE SET status = EXCLUDED.status, finished_at = EXCLUDED.finished_at,"
            + " tokens_reported = EXCLUDED.tokens_reported";

    private static final String SET_NOT_SEPARABLE = "UPDATE run SET requests_not_separable = ? WHERE run_id = ?";

    /** PostgreSQL builds the jsonb object from two arrays: no JSON is written (or escaped) here. */
    private static final String RESPONSES = "responses = coalesce((SELECT jsonb_object_agg(outcome, count)"
            + " FROM unnest(?::text[], ?::bigint[]) AS r(outcome, count)), '{}'::jsonb)";

    private static final String SET_RESPONSES = "UPDATE run SET " + RESPONSES + " WHERE run_id = ?";

    private static final String SET_LIVE_RESPONSES = "UPDATE run SET heartbeat_at = now(), " + RESPONSES
            + " WHERE run_id = ? AND status NOT IN ('FINISHED', 'FAILED')";

    /**
     * What an event must satisfy to fit the {@code run} table beyond what the codec checks.
     *
     * @throws IllegalArgumentException saying why the event cannot be stored
     */
    public static void checkStorable(RunLifecycle event) {
        ModelIdentity model = event.model();
        for (String text : new String[] {event.runId(), event.runName(), event.source(), model.name(),
                model.architecture(), event.requestsNotSeparable()}) {
            checkNoNul(text);
        }
        if (event.responses() != null) {
            event.responses().keySet().forEach(RunLifecycleWriter::checkNoNul);
        }
        if (model.name() == null || model.architecture() == null) {
            throw new IllegalArgumentException("model name and architecture are required");
        }
    }

    private static void checkNoNul(String text) {
        // PostgreSQL text (and jsonb) cannot hold NUL: the insert would fail on every redelivery.
        if (text != null && text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("text field contains a NUL character: " + text.replace('\0', '?'));
        }
    }

    public void write(Connection connection, RunLifecycle event) throws SQLException {
        OffsetDateTime at = timestamp(event.timestampMicros());
        boolean started = event.status() == RunStatus.STARTED;
        try (PreparedStatement statement = connection.prepareStatement(started ? INSERT_STARTED : UPSERT_ENDED)) {
            int i = bindIdentity(connection, statement, event);
            if (started) {
                statement.setObject(i++, at);                  // started_at
                statement.setNull(i++, Types.TIMESTAMP_WITH_TIMEZONE); // finished_at
            } else {
                statement.setString(i++, event.runId());       // started_at: first routed token ...
                statement.setObject(i++, at);                  // ... or else the end
                statement.setObject(i++, at);                  // finished_at
            }
            statement.setLong(i, started ? 0 : event.tokens()); // tokens_reported
            statement.executeUpdate();
        }
        if (event.requestsNotSeparable() != null) {
            markNotSeparable(connection, event);
        }
        if (event.responses() != null) {
            storeResponses(connection, event, started ? SET_LIVE_RESPONSES : SET_RESPONSES);
        }
    }

    /** Like {@link #markNotSeparable}: its own statement, run only for a tap's events that carry counts. */
    private static void storeResponses(Connection connection, RunLifecycle event, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setArray(1, connection.createArrayOf("text", event.responses().keySet().toArray()));
            statement.setArray(2, connection.createArrayOf("bigint", event.responses().values().toArray()));
            statement.setString(3, event.runId());
            statement.executeUpdate();
        }
    }

    /**
     * Its own statement, run only for the rare event that has a reason: an event without one (a FAILED from a
     * producer that stopped before it knew) then cannot erase it, and the run insert stays the one earlier
     * releases wrote.
     */
    private static void markNotSeparable(Connection connection, RunLifecycle event) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SET_NOT_SEPARABLE)) {
            statement.setString(1, event.requestsNotSeparable());
            statement.setString(2, event.runId());
            statement.executeUpdate();
        }
    }

    /** Binds run_id .. active_parameters; returns the next parameter index. */
    private static int bindIdentity(Connection connection, PreparedStatement statement, RunLifecycle event)
            throws SQLException {
        ModelIdentity model = event.model();
        int i = 1;
        statement.setString(i++, event.runId());
        statement.setString(i++, event.runName());
        statement.setString(i++, event.source());
        statement.setString(i++, event.status().name());
        statement.setString(i++, model.name());
        statement.setString(i++, model.architecture());
        statement.setInt(i++, model.numExperts());
        statement.setInt(i++, model.topK());
        statement.setInt(i++, model.numLayers());
        statement.setArray(i++, connection.createArrayOf("integer", model.moeLayers().toArray()));
        statement.setLong(i++, model.totalParameters());
        statement.setLong(i++, model.activeParameters());
        return i;
    }

    static OffsetDateTime timestamp(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }
}
