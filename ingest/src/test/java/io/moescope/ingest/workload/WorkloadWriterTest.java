package io.moescope.ingest.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.events.ModelIdentity;
import io.moescope.events.RunWorkload;
import io.moescope.ingest.support.TestPostgres;
import io.moescope.storage.workload.WorkloadWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WorkloadWriterTest {

    private static final ModelIdentity MODEL = new ModelIdentity("demo", "MixtralForCausalLM", 8, 2, 4,
            List.of(0, 1, 2, 3), 1000, 400);
    // 2024-01-01T00:00:00.000001Z
    private static final long ARRIVAL_MICROS = 1_704_067_200_000_001L;

    private static DataSource db;

    private final WorkloadWriter writer = new WorkloadWriter();

    @BeforeAll
    static void migrate() {
        db = TestPostgres.createMigratedDatabase("workload_writer");
    }

    private static RunWorkload workload(String runId, String prompt) {
        return new RunWorkload(runId, MODEL, "/models/demo",
                new RunWorkload.Generation(16, 0.7, 0.9, 42, List.of(2), 3, "LFU"), List.of(
                        new RunWorkload.Request("req-1", prompt, List.of(), OptionalLong.of(ARRIVAL_MICROS)),
                        new RunWorkload.Request("req-2", "", List.of(new RunWorkload.Message("system", "Be brief."),
                                new RunWorkload.Message("user", "Hi")), OptionalLong.empty())));
    }

    @Test
    void aWorkloadIsStoredWithItsGenerationParametersAndRequestsInOrder() throws SQLException {
        try (Connection c = db.getConnection()) {
            assertThat(writer.write(c, workload("run-a", "Hello"))).isTrue();
        }

        assertThat(rows("SELECT model_name, model_source, max_new_tokens, temperature, top_p, seed, stop_token_ids,"
                + " expert_cache, cache_policy FROM run_workload WHERE run_id = 'run-a'"))
                .containsExactly(List.of("demo", "/models/demo", 16, 0.7, 0.9, 42L, List.of(2), 3, "LFU"));
        assertThat(rows("SELECT position, request_id, prompt, message_roles, message_contents, arrived_at"
                + " FROM workload_request WHERE run_id = 'run-a' ORDER BY position")).containsExactly(
                Arrays.asList(0, "req-1", "Hello", List.of(), List.of(),
                        OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 1000, ZoneOffset.UTC)),
                Arrays.asList(1, "req-2", "", List.of("system", "user"), List.of("Be brief.", "Hi"), null));
    }

    @Test
    void aRedeliveredWorkloadChangesNothing() throws SQLException {
        try (Connection c = db.getConnection()) {
            writer.write(c, workload("run-b", "first"));
            assertThat(writer.write(c, workload("run-b", "second"))).isFalse();
        }

        assertThat(rows("SELECT prompt FROM workload_request WHERE run_id = 'run-b' ORDER BY position"))
                .containsExactly(List.of("first"), List.of(""));
    }

    @Test
    void tokenTextsAreStoredOncePerRunAndId() throws SQLException {
        RunWorkload base = workload("run-t", "Hi there");
        var withTexts = new RunWorkload("run-t", MODEL, "/models/demo", base.generation(), base.requests(),
                Map.of(1, "<s>", 75, "Hi", 612, " there"));
        try (Connection c = db.getConnection()) {
            writer.write(c, withTexts);
            writer.write(c, withTexts);
        }

        assertThat(rows("SELECT token_id, text FROM token_text WHERE run_id = 'run-t' ORDER BY token_id"))
                .containsExactly(List.of(1, "<s>"), List.of(75, "Hi"), List.of(612, " there"));
    }

    @Test
    void aTokenTextWithANulCharacterIsRefusedBeforeStoring() {
        RunWorkload base = workload("run-u", "x");
        var bad = new RunWorkload("run-u", MODEL, "/models/demo", base.generation(), base.requests(),
                Map.of(0, "\0"));
        assertThatThrownBy(() -> WorkloadWriter.checkStorable(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("text field contains a NUL character: ?");
    }

    @Test
    void aPromptWithANulCharacterIsRefusedBeforeStoring() {
        assertThatThrownBy(() -> WorkloadWriter.checkStorable(workload("run-c", "a\0b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("text field contains a NUL character: a?b");
    }

    private static List<List<Object>> rows(String sql) throws SQLException {
        var rows = new ArrayList<List<Object>>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                var row = new ArrayList<Object>();
                for (int i = 1; i <= columns; i++) {
                    Object value = rs.getObject(i);
                    if (value instanceof java.sql.Array array) {
                        value = Arrays.asList((Object[]) array.getArray());
                    } else if (value instanceof java.sql.Timestamp) {
                        value = rs.getObject(i, OffsetDateTime.class);
                    }
                    row.add(value);
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
