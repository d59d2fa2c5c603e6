package io.moescope.platform.tokens;

import io.moescope.storage.workload.TokenTextTable;
import java.util.Collection;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * The text of a run's token ids, as its probe's tokenizer showed them (table {@code token_text}, V21, written by
 * ingest from the run's workload). Runs that recorded ids only (imports) have none.
 */
@Service
public class TokenTexts {

    private final TokenTextTable table;

    TokenTexts(TokenTextTable table) {
        this.table = table;
    }

    /**
     * Gives a replay of a run its source's texts: a replay sends the same token ids, and no tokenizer travels with
     * it. Idempotent.
     */
    public void copy(String fromRunId, String toRunId) {
        table.copy(fromRunId, toRunId);
    }

    /** @return the texts of those of {@code tokenIds} the run has one for; empty when it has none */
    public Map<Integer, String> of(String runId, Collection<Integer> tokenIds) {
        return table.of(runId, tokenIds);
    }
}
