package io.moescope.analytics.alerting;

import io.moescope.analytics.load.ExpertLoad;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Per run and layer, expert counts in short tumbling buckets (the streaming windows), from which any longer sliding
 * window is summed on demand: each rule keeps its own window, and editing a rule's window needs no new stream.
 * A bucket's counts are replaced, not added, because the stream re-emits a bucket's running aggregate. Memory:
 * buckets x layers x N per run, bounded by {@link #evictBefore}. Thread-safe (the stream writes, the evaluator
 * reads).
 */
public final class WindowedLoads {

    private record RunLayer(String runId, int layer) {
    }

    private final Map<RunLayer, ConcurrentSkipListMap<Instant, long[]>> buckets = new ConcurrentHashMap<>();

    /** The running counts of the bucket starting at {@code bucketStart}, replacing what was there. */
    public void put(String runId, int layer, Instant bucketStart, long[] counts) {
        buckets.computeIfAbsent(new RunLayer(runId, layer), k -> new ConcurrentSkipListMap<>())
                .put(bucketStart, counts.clone());
    }

    /** Runs with at least one bucket. */
    public Set<String> runs() {
        var runs = new TreeSet<String>();
        buckets.keySet().forEach(k -> runs.add(k.runId()));
        return runs;
    }

    /** Per layer of the run, in layer order, the counts summed over the buckets starting at or after {@code from}. */
    public List<ExpertLoad> loads(String runId, Instant from) {
        Map<Integer, long[]> sums = new TreeMap<>();
        buckets.forEach((key, byStart) -> {
            if (!key.runId().equals(runId)) {
                return;
            }
            for (long[] counts : byStart.tailMap(from, true).values()) {
                // A bucket only knows the largest expert id it saw: the sum is as long as the longest bucket, so a
                // high id chosen only in a later bucket is counted, not cut off (and later mistaken for dead).
                long[] sum = sums.getOrDefault(key.layer(), new long[0]);
                if (counts.length > sum.length) {
                    sum = Arrays.copyOf(sum, counts.length);
                }
                for (int i = 0; i < counts.length; i++) {
                    sum[i] += counts[i];
                }
                sums.put(key.layer(), sum);
            }
        });
        var loads = new ArrayList<ExpertLoad>(sums.size());
        sums.forEach((layer, counts) -> loads.add(new ExpertLoad(layer, counts)));
        return loads;
    }

    /** Drops buckets that started before {@code cutoff}, and runs left without any. */
    public void evictBefore(Instant cutoff) {
        buckets.values().forEach(byStart -> byStart.headMap(cutoff, false).clear());
        buckets.values().removeIf(Map::isEmpty);
    }
}
