package io.moescope.storage.workload;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/** The text of a run's token ids (table {@code token_text}, V21, written with the run's workload). */
public final class TokenTextTable {

    private static final String TEXTS = "SELECT token_id, text FROM token_text WHERE run_id = ? AND token_id = ANY (?)";

    private static final String ALL = "SELECT token_id, text FROM token_text WHERE run_id = ?";

    private static final String COPY = "INSERT INTO token_text (run_id, token_id, text) SELECT ?, token_id, text"
            + " FROM token_text WHERE run_id = ? ON CONFLICT (run_id, token_id) DO NOTHING";

    private final JdbcTemplate jdbc;

    public TokenTextTable(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Gives {@code toRunId} the texts of {@code fromRunId} it has none for. Idempotent. */
    public void copy(String fromRunId, String toRunId) {
        jdbc.update(COPY, toRunId, fromRunId);
    }

    /** @return the texts of those of {@code tokenIds} the run has one for */
    public Map<Integer, String> of(String runId, Collection<Integer> tokenIds) {
        var texts = new HashMap<Integer, String>();
        if (tokenIds.isEmpty()) {
            return texts;
        }
        Integer[] ids = tokenIds.stream().distinct().toArray(Integer[]::new);
        jdbc.query(connection -> {
            var statement = connection.prepareStatement(TEXTS);
            statement.setString(1, runId);
            statement.setArray(2, connection.createArrayOf("integer", ids));
            return statement;
        }, row -> {
            texts.put(row.getInt("token_id"), row.getString("text"));
        });
        return texts;
    }

    /** @return all texts of the run */
    public Map<Integer, String> of(String runId) {
        var texts = new HashMap<Integer, String>();
        jdbc.query(ALL, row -> {
            texts.put(row.getInt("token_id"), row.getString("text"));
        }, runId);
        return texts;
    }
}
