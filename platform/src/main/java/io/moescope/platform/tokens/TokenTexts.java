package io.moescope.platform.tokens;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * The text of a run's token ids, as its probe's tokenizer showed them (table {@code token_text}, V21, written by
 * ingest from the run's workload). Runs that recorded ids only (imports) have none.
 */
@Service
public class TokenTexts {

    private static final String TEXTS = "SELECT token_id, text FROM token_text WHERE run_id = ? AND token_id = ANY (?)";

    private static final String COPY = "INSERT INTO token_text (run_id, token_id, text) SELECT ?, token_id, text"
            + " FROM token_text WHERE run_id = ? ON CONFLICT (run_id, token_id) DO NOTHING";

    private final JdbcTemplate jdbc;

    TokenTexts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Gives a replay of a run its source's texts: a replay sends the same token ids, and no tokenizer travels with
     * it. Idempotent.
     */
    public void copy(String fromRunId, String toRunId) {
        jdbc.update(COPY, toRunId, fromRunId);
    }

    /** @return the texts of those of {@code tokenIds} the run has one for; empty when it has none */
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
}
