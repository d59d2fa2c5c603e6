package io.moescope.platform.timeline;

import io.moescope.analytics.load.ExpertLoad;
import io.moescope.analytics.load.ExpertLoadAccumulator;
import io.moescope.events.ExpertCounts;
import io.moescope.events.Phase;
import io.moescope.platform.metrics.RolledUpLoads;
import io.moescope.platform.metrics.RoutingRows;
import io.moescope.platform.metrics.TokenSet;
import io.moescope.storage.rollups.CountGrid;
import io.moescope.storage.rollups.MinuteGrids;
import io.moescope.storage.rollups.RolledUpCounts;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.springframework.stereotype.Service;

/**
 * A run's loads over time: its routed span cut into buckets, hard counts c_i per layer in each. Where the span
 * touches at least as many UTC hours as buckets are asked for, the buckets are whole hours and their counts come from
 * the hour rollup ({@code load_grid_hour}, and the minutes of the hours it does not hold yet); else, where it touches
 * at least as many UTC minutes, the buckets are whole minutes counted in the minute rollups ({@code load_grid_minute}).
 * Ingest keeps both exact in the raw rows' transaction, an aggregate-only run's steps included: hours or minutes of
 * the run, not its decisions, so a run of days answers in one grid an hour whatever its traffic. A shorter run is cut
 * into equal parts of its span, finer than a minute, and counted in one pass over its raw decisions (and steps).
 * Memory: buckets x layers x N counters.
 */
@Service
public class LoadTimeline {

    /**
     * @param from  start of the bucket (inclusive)
     * @param to    end (exclusive; of the last bucket of a {@link Source#RAW_DECISIONS} timeline, the end is after
     *              the last token)
     * @param loads one load per layer with routed tokens in the bucket
     */
    public record Bucket(Instant from, Instant to, List<ExpertLoad> loads) {
    }

    /** Where a timeline's counts come from, which says where its bucket boundaries lie. */
    public enum Source {
        /**
         * The hour rollup (a run whose span touches at least as many UTC hours as buckets): every boundary on the
         * start of a UTC hour, from the start of the first routed token's hour to the end of the last one's; the H
         * hours split into the n buckets as evenly as whole hours allow (bucket b from hour floor(b H / n) on).
         */
        HOUR_ROLLUPS,
        /**
         * The minute rollups (a run whose span touches fewer UTC hours than buckets): every boundary on the start
         * of a UTC minute, from the start of the first routed token's minute to the end of the last one's; the M
         * minutes split into the n buckets as evenly as whole minutes allow (bucket b from minute floor(b M / n) on:
         * widths differ by at most one minute).
         */
        MINUTE_ROLLUPS,
        /**
         * The raw decisions (a run whose span touches fewer minutes than buckets): n equal parts of the span from the
         * first routed token on, the last one including the last token.
         */
        RAW_DECISIONS;

        /** Whether the buckets are whole hours or minutes counted in the rollups (not cut from the raw decisions). */
        public boolean rolledUp() {
            return this != RAW_DECISIONS;
        }
    }

    /** The buckets in time order, and where their counts come from. */
    public record Timeline(Source source, List<Bucket> buckets) {

        public Timeline {
            buckets = List.copyOf(buckets);
        }
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
     * The run's timeline from the minute rollups where its span allows whole-minute buckets, else from the raw
     * decisions.
     *
     * @return empty when the run is unknown or has no routed token
     * @throws IllegalArgumentException when buckets &lt; 1
     */
    public Optional<Timeline> buckets(String runId, Optional<Phase> phase, int buckets) {
        return cut(runId, buckets).map(cut -> cut.source().rolledUp()
                ? rolledUp(runId, phase, cut) : fromDecisions(runId, phase, cut));
    }

    /**
     * The run's timeline from the hour or minute rollups only: what a page can show on opening without reading raw
     * rows.
     *
     * @return empty when the run is unknown, has no routed token, or its span touches fewer minutes than
     *         {@code buckets} (then only the raw decisions cut it that finely: {@link #buckets})
     * @throws IllegalArgumentException when buckets &lt; 1
     */
    public Optional<Timeline> fromRollups(String runId, Optional<Phase> phase, int buckets) {
        return cut(runId, buckets).filter(cut -> cut.source().rolledUp()).map(cut -> rolledUp(runId, phase, cut));
    }

    /**
     * The same buckets counted again from the raw decisions (and an aggregate-only run's steps): the reference that
     * a timeline from the rollups equals, bucket for bucket.
     *
     * @throws IllegalArgumentException when the run is unknown
     */
    public Timeline recounted(String runId, Optional<Phase> phase, Timeline timeline) {
        List<Bucket> buckets = timeline.buckets();
        long[] edges = new long[buckets.size() + 1];
        for (int b = 0; b < buckets.size(); b++) {
            edges[b] = micros(buckets.get(b).from());
        }
        edges[buckets.size()] = micros(buckets.get(buckets.size() - 1).to());
        var shape = rollups.shape(runId).orElseThrow(() -> new IllegalArgumentException("no run " + runId));
        return fromDecisions(runId, phase, new Cut(Source.RAW_DECISIONS, edges, shape.numExperts()));
    }

    /**
     * Where the buckets start and end, in microseconds from the epoch ({@code buckets + 1} edges), and where their
     * counts come from.
     */
    private Optional<Cut> cut(String runId, int buckets) {
        if (buckets < 1) {
            throw new IllegalArgumentException("buckets must be >= 1 but was " + buckets);
        }
        var shape = rollups.shape(runId);
        Optional<RolledUpCounts.Span> span = counts.span(runId);
        if (shape.isEmpty() || span.isEmpty()) {
            return Optional.empty();
        }
        long first = micros(span.get().first());
        long last = micros(span.get().last());
        int numExperts = shape.get().numExperts();
        Optional<long[]> hours = wholeUnits(first, last, MinuteGrids.HOUR_MICROS, buckets);
        if (hours.isPresent()) {
            return Optional.of(new Cut(Source.HOUR_ROLLUPS, hours.get(), numExperts));
        }
        Optional<long[]> minutes = wholeUnits(first, last, MinuteGrids.MINUTE_MICROS, buckets);
        if (minutes.isPresent()) {
            return Optional.of(new Cut(Source.MINUTE_ROLLUPS, minutes.get(), numExperts));
        }
        long[] edges = new long[buckets + 1];
        // +1 so the last token falls into the last bucket, not one past it.
        long width = Math.max(1, (last - first + 1 + buckets - 1) / buckets);
        for (int b = 0; b <= buckets; b++) {
            edges[b] = first + b * width;
        }
        return Optional.of(new Cut(Source.RAW_DECISIONS, edges, numExperts));
    }

    /**
     * The edges of buckets of whole UTC units (minutes or hours) from the first routed token's unit to the end of the
     * last one's, the U units split as evenly as whole ones allow; empty when the span touches fewer units than
     * buckets.
     */
    private static Optional<long[]> wholeUnits(long first, long last, long unitMicros, int buckets) {
        long firstUnit = Math.floorDiv(first, unitMicros) * unitMicros;
        long units = (Math.floorDiv(last, unitMicros) * unitMicros - firstUnit) / unitMicros + 1;
        if (units < buckets) {
            return Optional.empty();
        }
        long[] edges = new long[buckets + 1];
        for (int b = 0; b <= buckets; b++) {
            edges[b] = firstUnit + b * units / buckets * unitMicros;
        }
        return Optional.of(edges);
    }

    /** Buckets of whole hours add the hour grids (one an hour where ingest keeps it), of whole minutes the minutes'. */
    private Timeline rolledUp(String runId, Optional<Phase> phase, Cut cut) {
        ExpertLoadAccumulator[] loads = cut.accumulators();
        Consumer<RolledUpCounts.PeriodCounts> add = period -> {
            ExpertLoadAccumulator load = loads[cut.bucketOf(period.startMicros())];
            CountGrid grid = period.grid();
            for (int i = 0; i < grid.layers().length; i++) {
                load.add(grid.layers()[i], grid.countsAt(i));
            }
        };
        Short code = phase.map(p -> (short) p.code()).orElse(null);
        if (cut.source() == Source.HOUR_ROLLUPS) {
            counts.forEachHour(runId, code, add);
        } else {
            counts.forEachMinute(runId, code, add);
        }
        return cut.timeline(loads);
    }

    private Timeline fromDecisions(String runId, Optional<Phase> phase, Cut cut) {
        ExpertLoadAccumulator[] loads = cut.accumulators();
        rows.forEach(TokenSet.wholeRun(runId, phase), token -> loads[cut.bucketOf(token.timestampMicros())].add(token),
                step -> {
                    ExpertLoadAccumulator load = loads[cut.bucketOf(step.timestampMicros())];
                    for (ExpertCounts.LayerCounts layer : step.layers()) {
                        load.add(layer.layer(), layer.counts());
                    }
                });
        return cut.timeline(loads);
    }

    /**
     * The buckets' edges and the counts' source.
     *
     * @param edges ascending, in microseconds from the epoch: bucket b from {@code edges[b]} (inclusive) to
     *              {@code edges[b + 1]} (exclusive)
     */
    private record Cut(Source source, long[] edges, int numExperts) {

        /**
         * The bucket holding {@code micros}; a time before the first bucket counts in it, one after the last in the
         * last (a live run's tokens that arrived after its span was read).
         */
        int bucketOf(long micros) {
            int found = Arrays.binarySearch(edges, micros);
            int bucket = found >= 0 ? found : -found - 2;
            return Math.min(edges.length - 2, Math.max(0, bucket));
        }

        ExpertLoadAccumulator[] accumulators() {
            var loads = new ExpertLoadAccumulator[edges.length - 1];
            for (int b = 0; b < loads.length; b++) {
                loads[b] = new ExpertLoadAccumulator(numExperts);
            }
            return loads;
        }

        Timeline timeline(ExpertLoadAccumulator[] loads) {
            var buckets = new ArrayList<Bucket>(loads.length);
            for (int b = 0; b < loads.length; b++) {
                buckets.add(new Bucket(instant(edges[b]), instant(edges[b + 1]), loads[b].loads()));
            }
            return new Timeline(source, buckets);
        }
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1000;
    }

    private static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
}
