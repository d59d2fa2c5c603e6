package io.moescope.ingest.copy;

import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A batch's hard counts per (run, layer, expert, phase), counted in Java: the writer's fast path for the
 * {@code expert_load} rollup. PostgreSQL counting the same from the inserted rows (one executor row per
 * token x layer x expert) made the rollup the most expensive part of a write; the database uses these counts
 * instead whenever every token of the batch was new, which is the normal case.
 *
 * <p>The five arrays are parallel, one entry per (run, layer, expert, phase) with a non-zero count.
 */
record BatchExpertLoad(String[] runIds, Integer[] layers, Integer[] experts, Short[] phases, Long[] tokens) {

    static BatchExpertLoad of(List<TokenRouting> batch) {
        // layer and expert fit 15 bits each (StorableTokens), phase 1 bit: one int per key within a run.
        Map<String, Map<Integer, long[]>> counts = new HashMap<>();
        Map<Integer, long[]> runCounts = null;
        String runId = null;
        for (TokenRouting token : batch) {
            if (!token.runId().equals(runId)) {
                runId = token.runId();
                runCounts = counts.computeIfAbsent(runId, id -> new HashMap<>());
            }
            int phase = phaseCode(token.phase());
            for (RouterDecision decision : token.decisions()) {
                for (int expert : decision.expertIds()) {
                    int key = decision.layer() << 16 | expert << 1 | phase;
                    runCounts.computeIfAbsent(key, k -> new long[1])[0]++;
                }
            }
        }
        int size = counts.values().stream().mapToInt(Map::size).sum();
        var load = new BatchExpertLoad(new String[size], new Integer[size], new Integer[size], new Short[size],
                new Long[size]);
        int i = 0;
        for (var run : counts.entrySet()) {
            for (var entry : run.getValue().entrySet()) {
                int key = entry.getKey();
                load.runIds[i] = run.getKey();
                load.layers[i] = key >>> 16;
                load.experts[i] = (key >>> 1) & 0x7FFF;
                load.phases[i] = (short) (key & 1);
                load.tokens[i] = entry.getValue()[0];
                i++;
            }
        }
        return load;
    }

    /** The schema's phase codes (0 = prefill, 1 = decode), not the enum's ordinals. */
    static int phaseCode(Phase phase) {
        return phase == Phase.PREFILL ? 0 : 1;
    }
}
