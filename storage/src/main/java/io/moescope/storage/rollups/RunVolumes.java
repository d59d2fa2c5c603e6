package io.moescope.storage.rollups;

import java.util.ArrayList;
import java.util.List;

/** Rows to add to {@code run_volume}, as {@link RollupUpsert}'s parallel array parameters. Not thread-safe. */
public final class RunVolumes {

    final List<String> runs = new ArrayList<>();
    final List<Long> tokens = new ArrayList<>();
    final List<Long> decisions = new ArrayList<>();
    final List<Long> firstMicros = new ArrayList<>();
    final List<Long> lastMicros = new ArrayList<>();

    /**
     * Adds a run's tokens, its decisions (token x layer) and the routing times of its first and last token, in
     * microseconds from the Unix epoch.
     */
    public void add(String runId, long tokens, long decisions, long firstMicros, long lastMicros) {
        runs.add(runId);
        this.tokens.add(tokens);
        this.decisions.add(decisions);
        this.firstMicros.add(firstMicros);
        this.lastMicros.add(lastMicros);
    }

    /** Rows added. */
    public int rows() {
        return runs.size();
    }

    static long[] longs(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).toArray();
    }
}
