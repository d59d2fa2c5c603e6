package io.moescope.platform;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes runs straight into the schema the ingest fills (run, token_routing, and the layer_load / run_volume
 * rollups computed from the same tokens), so API tests know every count without a forward pass.
 */
public final class StoredRuns {

    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /**
     * Run A. Layer 0: [0,1] [0,2] [1,0] [3,2] -> counts 3 2 2 1; layer 1 always [0,1] -> counts 4 4 0 0.
     * Tokens 0-1 prefill, 2-3 decode.
     */
    public static final int[][][] RUN_A = {
        {{0, 1}, {0, 1}}, {{0, 2}, {0, 1}}, {{1, 0}, {0, 1}}, {{3, 2}, {0, 1}}};
    /** Run B: same prompt, layer 0 differs at token 1 only ([1,3]) -> counts 2 3 1 2; layer 1 as A. */
    public static final int[][][] RUN_B = {
        {{0, 1}, {0, 1}}, {{1, 3}, {0, 1}}, {{1, 0}, {0, 1}}, {{3, 2}, {0, 1}}};

    private final JdbcTemplate jdbc;

    public StoredRuns(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A run of one request whose token t has {@code topK[t][layer]} at layers 0..L-1, token id 100 + t, routed at
     * T0 + t seconds; the first {@code prefill} tokens are prefill, the rest decode. Does nothing if it exists.
     */
    public void store(String runId, String name, int numExperts, int prefill, int[][][] topK) {
        store(runId, name, numExperts, prefill, topK, topK.length);
    }

    /**
     * As {@link #store(String, String, int, int, int[][][])}, with the tokens split into requests q1, q2, ... of
     * {@code tokensPerRequest} tokens each, token indices counted from 0 in each.
     */
    public void store(String runId, String name, int numExperts, int prefill, int[][][] topK, int tokensPerRequest) {
        inOneTransaction(() -> write(runId, name, numExperts, prefill, topK, tokensPerRequest));
    }

    /**
     * As {@link #store(String, String, int, int, int[][][])}, for a run whose requests cannot be told apart, as
     * ingest stores an import's reason: in the same transaction as the ended run, as the reason comes with the run's
     * end event, so that the background check of ended runs' suites never sees the run ended without it.
     */
    public void storeNotSeparable(String runId, String name, int numExperts, int prefill, int[][][] topK,
                                  String why) {
        inOneTransaction(() -> {
            write(runId, name, numExperts, prefill, topK, topK.length);
            jdbc.update("UPDATE run SET requests_not_separable = ? WHERE run_id = ?", why, runId);
        });
    }

    private void inOneTransaction(Runnable writes) {
        new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()))
                .executeWithoutResult(status -> writes.run());
    }

    private void write(String runId, String name, int numExperts, int prefill, int[][][] topK, int tokensPerRequest) {
        if (jdbc.queryForObject("SELECT count(*) FROM run WHERE run_id = ?", Long.class, runId) > 0) {
            return;
        }
        int layers = topK[0].length;
        int k = topK[0][0].length;
        jdbc.update("INSERT INTO run (run_id, name, source, status, model_name, architecture, num_experts, top_k,"
                + " num_layers, moe_layers, total_parameters, active_parameters, started_at, finished_at,"
                + " tokens_reported) VALUES (?, ?, 'probe', 'FINISHED', 'test', 'MixtralForCausalLM', ?, ?, ?,"
                + " ?::integer[], 1, 1, ?, ?, ?)", runId, name, numExperts, k, layers,
                array(range(layers)), java.sql.Timestamp.from(T0), java.sql.Timestamp.from(T0.plusSeconds(60)),
                topK.length);
        Map<String, Long> load = new HashMap<>();
        for (int t = 0; t < topK.length; t++) {
            int phase = t < prefill ? 0 : 1;
            insertToken(runId, "q" + (1 + t / tokensPerRequest), t % tokensPerRequest, t, phase, topK[t], load);
        }
        addLoads(runId, load);
        jdbc.update("INSERT INTO run_volume VALUES (?, ?, ?, ?, ?)", runId, topK.length, (long) topK.length * layers,
                java.sql.Timestamp.from(T0), java.sql.Timestamp.from(T0.plusSeconds(topK.length - 1)));
    }

    /**
     * Stores one more token of a stored run as ingest would (a late batch: a replayed import, a resumed run): its
     * row, its counts added to {@code layer_load} and one token and its decisions to {@code run_volume}. Token id
     * 100 + {@code second}, routed at T0 + {@code second} seconds.
     *
     * @param topK the token's top-k per layer, {@code topK[layer]}
     */
    public void addToken(String runId, String requestId, int tokenIndex, int second, int phase, int[][] topK) {
        Map<String, Long> load = new HashMap<>();
        insertToken(runId, requestId, tokenIndex, second, phase, topK, load);
        addLoads(runId, load);
        jdbc.update("UPDATE run_volume SET tokens = tokens + 1, decisions = decisions + ?,"
                + " last_routed_at = greatest(last_routed_at, ?) WHERE run_id = ?", topK.length,
                java.sql.Timestamp.from(T0.plusSeconds(second)), runId);
    }

    private void insertToken(String runId, String requestId, int tokenIndex, int second, int phase, int[][] topK,
                             Map<String, Long> load) {
        int layers = topK.length;
        int k = topK[0].length;
        var ids = new StringBuilder();
        for (int l = 0; l < layers; l++) {
            for (int e : topK[l]) {
                ids.append(ids.isEmpty() ? "" : ",").append(e);
                load.merge(l + "," + e + "," + phase, 1L, Long::sum);
            }
        }
        jdbc.update("INSERT INTO token_routing_named (run_id, request_id, token_index, token_id, phase, routed_at,"
                + " routing) VALUES (?, ?, ?, ?, ?, ?, moescope_routing_pack(?::smallint[], ?::smallint[],"
                + " moescope_fp16_array(?::real[]), moescope_fp16_array(?::real[])))", runId, requestId, tokenIndex,
                100 + second, phase, java.sql.Timestamp.from(T0.plusSeconds(second)), array(range(layers)),
                "{" + ids + "}", "{" + "0.5,".repeat(layers * k - 1) + "0.5}", "{" + "1,".repeat(layers - 1) + "1}");
    }

    private void addLoads(String runId, Map<String, Long> load) {
        load.forEach((key, tokens) -> {
            String[] p = key.split(",");
            jdbc.update("INSERT INTO layer_load VALUES (?, ?, ?, moescope_counts_vector(ARRAY[?], ARRAY[?::bigint]))"
                    + " ON CONFLICT (run_id, layer, phase)"
                    + " DO UPDATE SET tokens = moescope_add_counts(layer_load.tokens, EXCLUDED.tokens)",
                    runId, Integer.parseInt(p[0]), Short.parseShort(p[2]), Integer.parseInt(p[1]), tokens);
        });
    }

    /** Makes a stored run one still arriving: STARTED, no end yet. */
    public void running(String runId) {
        jdbc.update("UPDATE run SET status = 'STARTED', finished_at = NULL WHERE run_id = ?", runId);
    }

    /** Makes a stored run a tap's, with its responses by outcome as ingest stores them (jsonb). */
    public void tap(String runId, String responsesJson) {
        jdbc.update("UPDATE run SET source = 'tap:vllm', responses = ?::jsonb WHERE run_id = ?", responsesJson, runId);
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    private static String array(int[] values) {
        var s = new StringBuilder("{");
        for (int i = 0; i < values.length; i++) {
            s.append(i == 0 ? "" : ",").append(values[i]);
        }
        return s.append('}').toString();
    }
}
