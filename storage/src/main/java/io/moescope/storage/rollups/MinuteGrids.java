package io.moescope.storage.rollups;

import java.util.ArrayList;
import java.util.List;

/**
 * Grids to add to {@code load_grid_minute}, one per run, minute and phase, as {@link RollupUpsert}'s parallel array
 * parameters. Not thread-safe.
 */
public final class MinuteGrids {

    /** A minute and an hour in microseconds: the buckets of the minute and hour rollups. */
    public static final long MINUTE_MICROS = 60_000_000L;
    public static final long HOUR_MICROS = 60 * MINUTE_MICROS;

    final List<String> runs = new ArrayList<>();
    final List<Long> buckets = new ArrayList<>();
    final List<Short> phases = new ArrayList<>();
    final List<CountGrid> grids = new ArrayList<>();

    /** The minute holding {@code micros} (microseconds from the Unix epoch), in the same unit: a grid's bucket. */
    public static long minuteOf(long micros) {
        return Math.floorDiv(micros, MINUTE_MICROS) * MINUTE_MICROS;
    }

    /** The hour holding {@code micros}, in the same unit: an hour grid's bucket. */
    static long hourOf(long micros) {
        return Math.floorDiv(micros, HOUR_MICROS) * HOUR_MICROS;
    }

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
