package io.moescope.ingest.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.events.ModelIdentity;
import io.moescope.events.RunLifecycle;
import io.moescope.events.RunStatus;
import io.moescope.ingest.copy.TokenRoutingCopyWriter;
import io.moescope.ingest.support.TestPostgres;
import io.moescope.ingest.support.Tokens;
import io.moescope.storage.runs.RunLifecycleWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RunLifecycleWriterTest {

    private static final ModelIdentity MIXTRAL = new ModelIdentity("mistralai/Mixtral-8x7B-v0.1",
            "MixtralForCausalLM", 8, 2, 32, List.of(0, 1, 2, 3), 46_700_000_000L, 12_900_000_000L);
    private static final long STARTED_MICROS = Tokens.T0_MICROS - 5_000_000L;   // T0 - 5 s
    private static final long ENDED_MICROS = Tokens.T0_MICROS + 60_000_000L;    // T0 + 60 s
    private static final String NOT_SEPARABLE = "requests in stream '0': 3 of its 3 forward passes after the first"
            + " hold several tokens";
    private static final OffsetDateTime T0 = OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    private static DataSource db;

    private final RunLifecycleWriter writer = new RunLifecycleWriter();

    @BeforeAll
    static void migrate() {
        db = TestPostgres.createMigratedDatabase("runs_writer");
    }

    @AfterAll
    static void forget() {
        db = null;
    }

    @BeforeEach
    void emptyTables() throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE run, token_routing, layer_load, load_grid_minute, load_grid_current,"
                    + " load_grid_hour, run_volume");
        }
    }

    @Test
    void startedInsertsTheRunWithItsModel() throws SQLException {
        write(event(RunStatus.STARTED, STARTED_MICROS, 0));

        assertThat(runRow()).containsExactly("run-1", "first run", "probe", "STARTED",
                "mistralai/Mixtral-8x7B-v0.1", "MixtralForCausalLM", 8, 2, 32, List.of(0, 1, 2, 3),
                46_700_000_000L, 12_900_000_000L, T0.minusSeconds(5), null, 0L);
    }

    /**
     * A live tap repeats its STARTED event with the tokens sent so far; when that is the first one ingest sees, the
     * count is progress, not the producer's report, which only an end event gives (0 stays "unknown": the Runs
     * filter would otherwise take an abandoned run with fewer tokens stored as one still arriving).
     */
    @Test
    void startedCarryingTokensSoFarLeavesTheReportedTokensUnknown() throws SQLException {
        write(event(RunStatus.STARTED, STARTED_MICROS, 500));

        assertThat(runRow().subList(3, 4)).containsExactly("STARTED");
        assertThat(runRow().subList(14, 15)).containsExactly(0L);
    }

    @Test
    void finishedSetsStatusEndTimeAndReportedTokens() throws SQLException {
        write(event(RunStatus.STARTED, STARTED_MICROS, 0));
        write(event(RunStatus.FINISHED, ENDED_MICROS, 1234));

        assertThat(runRow().subList(3, 4)).containsExactly("FINISHED");
        assertThat(runRow().subList(12, 15)).containsExactly(T0.minusSeconds(5), T0.plusSeconds(60), 1234L);
    }

    @Test
    void failedSetsStatusFailed() throws SQLException {
        write(event(RunStatus.STARTED, STARTED_MICROS, 0));
        write(event(RunStatus.FAILED, ENDED_MICROS, 7));

        assertThat(runRow().subList(12, 15)).containsExactly(T0.minusSeconds(5), T0.plusSeconds(60), 7L);
        assertThat(runRow().get(3)).isEqualTo("FAILED");
    }

    @Test
    void aReplayedStartedDoesNotUndoFinished() throws SQLException {
        write(event(RunStatus.STARTED, STARTED_MICROS, 0));
        write(event(RunStatus.FINISHED, ENDED_MICROS, 1234));
        write(event(RunStatus.STARTED, STARTED_MICROS, 0));

        assertThat(runRow().subList(12, 15)).containsExactly(T0.minusSeconds(5), T0.plusSeconds(60), 1234L);
        assertThat(runRow().get(3)).isEqualTo("FINISHED");
    }

    @Test
    void finishedWithoutStartedInsertsTheRunStartingAtItsFirstStoredToken() throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            new TokenRoutingCopyWriter().write(c, Tokens.request("run-1", "req-1", 3, 2, 8)); // routed from T0
            c.commit();
        }

        write(event(RunStatus.FINISHED, ENDED_MICROS, 3));

        assertThat(runRow().subList(12, 15)).containsExactly(T0, T0.plusSeconds(60), 3L);
    }

    @Test
    void finishedWithoutStartedOrTokensInsertsTheRunStartingAtItsEnd() throws SQLException {
        write(event(RunStatus.FINISHED, ENDED_MICROS, 0));

        assertThat(runRow().subList(12, 15)).containsExactly(T0.plusSeconds(60), T0.plusSeconds(60), 0L);
    }

    @Test
    void aRunWhoseRequestsCannotBeToldApartKeepsTheReasonThroughAnEndEventWithoutIt() throws SQLException {
        write(notSeparable(RunStatus.STARTED, STARTED_MICROS, 0));
        write(event(RunStatus.FAILED, ENDED_MICROS, 7));

        assertThat(requestsNotSeparable()).isEqualTo(NOT_SEPARABLE);
    }

    @Test
    void anEndEventStoresTheReasonItBrings() throws SQLException {
        write(event(RunStatus.STARTED, STARTED_MICROS, 0));
        write(notSeparable(RunStatus.FINISHED, ENDED_MICROS, 12));

        assertThat(requestsNotSeparable()).isEqualTo(NOT_SEPARABLE);
    }

    @Test
    void aRunWithoutAReasonHasSeparableRequests() throws SQLException {
        write(event(RunStatus.STARTED, STARTED_MICROS, 0));
        write(event(RunStatus.FINISHED, ENDED_MICROS, 12));

        assertThat(requestsNotSeparable()).isNull();
    }

    @Test
    void aTapsFinishedEventStoresItsResponsesByOutcome() throws SQLException {
        write(tap(RunStatus.STARTED, STARTED_MICROS, 0, null));
        write(tap(RunStatus.FINISHED, ENDED_MICROS, 480, responses(120, 3, 0, 1, 2)));

        assertThat(responses()).isEqualTo("{\"captured\": 120, \"too_large\": 1, \"decode_failed\": 0,"
                + " \"passed_through\": 3, \"upstream_error\": 2}");
    }

    @Test
    void aReplayedStartedEventWithoutResponsesKeepsTheStoredOnes() throws SQLException {
        write(tap(RunStatus.STARTED, STARTED_MICROS, 0, null));
        write(tap(RunStatus.FINISHED, ENDED_MICROS, 480, responses(120, 3, 0, 1, 2)));
        write(tap(RunStatus.STARTED, STARTED_MICROS, 0, null));

        assertThat(responses()).isEqualTo("{\"captured\": 120, \"too_large\": 1, \"decode_failed\": 0,"
                + " \"passed_through\": 3, \"upstream_error\": 2}");
    }

    @Test
    void aLiveTapsRepeatedStartedEventStoresItsCountsSoFar() throws SQLException {
        write(tap(RunStatus.STARTED, STARTED_MICROS, 0, null));
        write(tap(RunStatus.STARTED, STARTED_MICROS, 40, responses(10, 1, 0, 0, 0)));

        assertThat(responses()).isEqualTo("{\"captured\": 10, \"too_large\": 0, \"decode_failed\": 0,"
                + " \"passed_through\": 1, \"upstream_error\": 0}");
    }

    @Test
    void aStartedEventWithCountsArrivingAfterTheEndDoesNotReplaceTheFinalOnes() throws SQLException {
        write(tap(RunStatus.STARTED, STARTED_MICROS, 0, null));
        write(tap(RunStatus.FINISHED, ENDED_MICROS, 480, responses(120, 3, 0, 1, 2)));
        write(tap(RunStatus.STARTED, STARTED_MICROS, 40, responses(10, 1, 0, 0, 0)));

        assertThat(responses()).isEqualTo("{\"captured\": 120, \"too_large\": 1, \"decode_failed\": 0,"
                + " \"passed_through\": 3, \"upstream_error\": 2}");
    }

    @Test
    void aRunThatIsNotATapHasNoResponses() throws SQLException {
        write(event(RunStatus.STARTED, STARTED_MICROS, 0));
        write(event(RunStatus.FINISHED, ENDED_MICROS, 12));

        assertThat(responses()).isNull();
    }

    @Test
    void refusesAnOutcomeWithANulCharacter() {
        var event = tap(RunStatus.FINISHED, ENDED_MICROS, 0, Map.of("capt\0ured", 1L));

        assertThatThrownBy(() -> RunLifecycleWriter.checkStorable(event))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("text field contains a NUL character: capt?ured");
    }

    @Test
    void refusesTextWithANulCharacter() {
        var event = new RunLifecycle("run-1", "bad\0name", RunStatus.STARTED, STARTED_MICROS, "probe", MIXTRAL, 0);

        assertThatThrownBy(() -> RunLifecycleWriter.checkStorable(event))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("text field contains a NUL character: bad?name");
    }

    private static RunLifecycle event(RunStatus status, long micros, long tokens) {
        return new RunLifecycle("run-1", "first run", status, micros, "probe", MIXTRAL, tokens);
    }

    private static RunLifecycle notSeparable(RunStatus status, long micros, long tokens) {
        return new RunLifecycle("run-1", "first run", status, micros, "import:route-log", MIXTRAL, tokens,
                NOT_SEPARABLE);
    }

    private static RunLifecycle tap(RunStatus status, long micros, long tokens, Map<String, Long> responses) {
        return new RunLifecycle("run-1", "prod-tap", status, micros, "tap:vllm", MIXTRAL, tokens, null, responses);
    }

    private static Map<String, Long> responses(long captured, long passedThrough, long decodeFailed, long tooLarge,
                                               long upstreamError) {
        var responses = new LinkedHashMap<String, Long>();
        responses.put("captured", captured);
        responses.put("passed_through", passedThrough);
        responses.put("decode_failed", decodeFailed);
        responses.put("too_large", tooLarge);
        responses.put("upstream_error", upstreamError);
        return responses;
    }

    /** The stored jsonb as PostgreSQL prints it (keys by length, then bytes). */
    private static String responses() throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT responses::text FROM run WHERE run_id = 'run-1'")) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private static String requestsNotSeparable() throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT requests_not_separable FROM run WHERE run_id = 'run-1'")) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private void write(RunLifecycle event) throws SQLException {
        try (Connection c = db.getConnection()) {
            writer.write(c, event);
        }
    }

    /** The columns the lifecycle events write (registered_at, V45, is the database's clock at the insert). */
    private static List<Object> runRow() throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT run_id, name, source, status, model_name, architecture,"
                     + " num_experts, top_k, num_layers, moe_layers, total_parameters, active_parameters, started_at,"
                     + " finished_at, tokens_reported FROM run")) {
            assertThat(rs.next()).isTrue();
            var row = new ArrayList<Object>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                String type = rs.getMetaData().getColumnTypeName(i);
                if (type.equals("timestamptz")) {
                    row.add(rs.getObject(i, OffsetDateTime.class));
                } else if (type.equals("_int4")) {
                    row.add(Arrays.asList((Object[]) rs.getArray(i).getArray()));
                } else {
                    row.add(rs.getObject(i));
                }
            }
            assertThat(rs.next()).as("one run row").isFalse();
            return row;
        }
    }
}
