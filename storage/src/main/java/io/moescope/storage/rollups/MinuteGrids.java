package io.moescope.storage.rollups;

import java.util.ArrayList;
import java.util.List;

/**
 * Grids to add to {@code load_grid_minute}, one per run, minute and phase, as {@link RollupUpsert}'s parallel array
 * parameters. Not thread-safe.
 */
public final class MinuteGrids {

    final List<String> runs = new ArrayList<>();
    final List<Long> buckets = new ArrayList<>();
    final List<Short> phases = new ArrayList<>();
    final List<CountGrid> grids = new ArrayList<>();

    /**
     * Adds a row.
     *
     * @param bucketMicros the minute, in microseconds from the Unix epoch
     * @param phase        the schema's phase code
     */
    public void add(String runId, long bucketMicros, int phase, CountGrid grid) {
        runs.add(runId);
        buckets.add(bucketMicros);
        phases.add((short) phase);
        grids.add(grid);
    }
}
