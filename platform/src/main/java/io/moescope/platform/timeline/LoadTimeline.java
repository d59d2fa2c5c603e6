package io.moescope.platform.timeline;

import io.moescope.analytics.load.ExpertLoad;
import io.moescope.analytics.load.ExpertLoadAccumulator;
import io.moescope.events.Phase;
import io.moescope.platform.metrics.RolledUpLoads;
import io.moescope.platform.metrics.RoutingRows;
import io.moescope.platform.metrics.TokenSet;
import io.moescope.storage.rollups.RolledUpCounts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * A run's loads over time: its routed span cut into equal buckets, hard counts c_i per layer in each, read in one
 * pass over the raw decisions (the minute rollup is too coarse for the buckets of a run that lasts minutes). Memory:
 * buckets x layers x N counters.
 */
@Service
public class LoadTimeline {

    /**
     * @param from  start of the bucket (inclusive)
     * @param to    end (exclusive, except the last bucket, which includes the last token)
     * @param loads one load per layer with routed tokens in the bucket
     */
    public record Bucket(Instant from, Instant to, List<ExpertLoad> loads) {
    }

    private final RolledUpCounts counts;
    private final RolledUpLoads rollups;
    private final RoutingRows rows;

    LoadTimeline(RolledUpCounts counts, RolledUpLoads rollups, RoutingRows rows) {
        this.counts = counts;
        this.rollups = rollups;
        this.rows = rows;
    }

    /**
     * @return empty when the run is unknown or has no stored token
     * @throws IllegalArgumentException when buckets &lt; 1
     */
    public Optional<List<Bucket>> buckets(String runId, Optional<Phase> phase, int buckets) {
        if (buckets < 1) {
            throw new IllegalArgumentException("buckets must be >= 1 but was " + buckets);
        }
        var shape = rollups.shape(runId);
        Optional<RolledUpCounts.Span> span = counts.span(runId);
        if (shape.isEmpty() || span.isEmpty()) {
            return Optional.empty();
        }
        Instant start = span.get().first();
        long startMicros = micros(start);
        // +1 so the last token falls into the last bucket, not one past it.
        long width = Math.max(1, (micros(span.get().last()) - startMicros + 1 + buckets - 1) / buckets);
        var counts = new ArrayList<ExpertLoadAccumulator>(buckets);
        for (int b = 0; b < buckets; b++) {
            counts.add(new ExpertLoadAccumulator(shape.get().numExperts()));
        }
        rows.forEach(TokenSet.wholeRun(runId, phase), token -> {
            int b = (int) Math.min(buckets - 1, Math.max(0, (token.timestampMicros() - startMicros) / width));
            counts.get(b).add(token);
        });
        var result = new ArrayList<Bucket>(buckets);
        for (int b = 0; b < buckets; b++) {
            result.add(new Bucket(start.plus(Duration.ofNanos(b * width * 1000)),
                    start.plus(Duration.ofNanos((b + 1) * width * 1000)), counts.get(b).loads()));
        }
        return Optional.of(result);
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1000;
    }
}
