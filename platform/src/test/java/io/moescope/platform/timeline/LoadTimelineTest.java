package io.moescope.platform.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.analytics.load.ExpertLoad;
import io.moescope.events.ExpertCounts;
import io.moescope.events.ModelIdentity;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.RunLifecycle;
import io.moescope.events.RunStatus;
import io.moescope.events.TokenRouting;
import io.moescope.ingest.copy.TokenRoutingCopyWriter;
import io.moescope.platform.EmbeddedPlatformTest;
import io.moescope.platform.timeline.LoadTimeline.Source;
import io.moescope.platform.timeline.LoadTimeline.Timeline;
import io.moescope.storage.counts.ExpertCountsWriter;
import io.moescope.storage.runs.RunLifecycleWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * The load over time from the hour and minute rollups equals counting the raw decisions (and an aggregate-only run's
 * steps) into the same buckets: runs written as ingest writes them (its token writer, in batches of random order, so
 * minutes and hours move on and late data comes), fixed runs checked by hand, and a property over random runs.
 */
@TestPropertySource(properties = "moescope.demo.enabled=false")
class LoadTimelineTest extends EmbeddedPlatformTest {

    private static final long T0_MICROS = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli() * 1000;
    private static final long SECOND = 1_000_000L;
    private static final long MINUTE = 60 * SECOND;
    private static final List<Optional<Phase>> PHASES = List.of(Optional.empty(), Optional.of(Phase.PREFILL),
            Optional.of(Phase.DECODE), Optional.of(Phase.UNKNOWN));

    @Autowired
    private DataSource db;
    @Autowired
    private LoadTimeline timeline;

    /**
     * One layer, top-1 of 2 experts, routed at 10:00:10 (expert 0, prefill), 10:00:50 (0, prefill), 10:01:30 (1,
     * decode), 10:02:00 (0, decode) and 10:02:59 (1, decode): the span touches 3 minutes; 2 buckets are minutes
     * 0 (floor(1 x 3 / 2) = 1 minute) and 1-2.
     */
    @Test
    void aRunTouchingAtLeastAsManyMinutesAsBucketsIsCutIntoWholeMinutesFromTheRollups() throws SQLException {
        int[][] secondAndExpert = {{10, 0}, {50, 0}, {90, 1}, {120, 0}, {179, 1}};
        var tokens = new ArrayList<TokenRouting>();
        for (int t = 0; t < secondAndExpert.length; t++) {
            tokens.add(token("by-hand", "q1", t, t < 2 ? Phase.PREFILL : Phase.DECODE,
                    T0_MICROS + secondAndExpert[t][0] * SECOND, new int[][] {{secondAndExpert[t][1]}}));
        }
        write("by-hand", 2, 1, 1, tokens, List.of());

        Timeline all = timeline.fromRollups("by-hand", Optional.empty(), 2).orElseThrow();
        Timeline decode = timeline.buckets("by-hand", Optional.of(Phase.DECODE), 2).orElseThrow();

        assertThat(all.source()).isEqualTo(Source.MINUTE_ROLLUPS);
        assertThat(all.buckets()).extracting(LoadTimeline.Bucket::from).containsExactly(
                Instant.parse("2026-03-01T10:00:00Z"), Instant.parse("2026-03-01T10:01:00Z"));
        assertThat(all.buckets()).extracting(LoadTimeline.Bucket::to).containsExactly(
                Instant.parse("2026-03-01T10:01:00Z"), Instant.parse("2026-03-01T10:03:00Z"));
        assertThat(all.buckets().get(0).loads()).containsExactly(new ExpertLoad(0, new long[] {2, 0}));
        assertThat(all.buckets().get(1).loads()).containsExactly(new ExpertLoad(0, new long[] {1, 2}));
        assertThat(decode.buckets().get(0).loads()).isEmpty();
        assertThat(decode.buckets().get(1).loads()).containsExactly(new ExpertLoad(0, new long[] {1, 2}));
    }

    /**
     * One layer, top-1 of 2 experts, written a token a batch: prefill at 10:10 (expert 0), 11:50 (1), then decode at
     * 12:30 (0), then a late prefill token at 10:20 (1) after 10:00-11:00 was summed into its hour, then prefill at
     * 12:40 (1). The span touches 3 hours: 3 buckets are hours 10, 11 and 12.
     */
    @Test
    void aRunTouchingAtLeastAsManyHoursAsBucketsIsCutIntoWholeHoursLateDataIncluded() throws SQLException {
        int[][] minuteAndExpert = {{10, 0}, {110, 1}, {150, 0}, {20, 1}, {160, 1}};
        var tokens = new ArrayList<TokenRouting>();
        for (int t = 0; t < minuteAndExpert.length; t++) {
            tokens.add(token("hours", "q1", t, t == 2 ? Phase.DECODE : Phase.PREFILL,
                    T0_MICROS + minuteAndExpert[t][0] * 60 * SECOND, new int[][] {{minuteAndExpert[t][1]}}));
        }
        write("hours", 2, 1, 1, tokens, List.of(), 1);

        Timeline all = timeline.fromRollups("hours", Optional.empty(), 3).orElseThrow();
        Timeline decode = timeline.buckets("hours", Optional.of(Phase.DECODE), 3).orElseThrow();

        assertThat(all.source()).isEqualTo(Source.HOUR_ROLLUPS);
        assertThat(all.buckets()).extracting(LoadTimeline.Bucket::from).containsExactly(
                Instant.parse("2026-03-01T10:00:00Z"), Instant.parse("2026-03-01T11:00:00Z"),
                Instant.parse("2026-03-01T12:00:00Z"));
        assertThat(all.buckets().get(2).to()).isEqualTo(Instant.parse("2026-03-01T13:00:00Z"));
        assertThat(all.buckets().get(0).loads()).containsExactly(new ExpertLoad(0, new long[] {1, 1}));
        assertThat(all.buckets().get(1).loads()).containsExactly(new ExpertLoad(0, new long[] {0, 1}));
        assertThat(all.buckets().get(2).loads()).containsExactly(new ExpertLoad(0, new long[] {1, 1}));
        assertThat(decode.buckets().get(2).loads()).containsExactly(new ExpertLoad(0, new long[] {1, 0}));
        // the hours that prefill's current minute has left are summed, the late token into its hour's sum
        assertThat(hourGrids("hours")).containsExactly("10:00 P0", "11:00 P0");
    }

    /** The same run asked for 4 buckets: 3 minutes cannot make 4, so equal parts of its span, from its raw rows. */
    @Test
    void aRunTouchingFewerMinutesThanBucketsIsCutFromItsRawDecisions() throws SQLException {
        var tokens = List.of(token("short", "q1", 0, Phase.PREFILL, T0_MICROS + 10 * SECOND, new int[][] {{0}}),
                token("short", "q1", 1, Phase.DECODE, T0_MICROS + 130 * SECOND, new int[][] {{1}}));
        write("short", 2, 1, 1, tokens, List.of());

        Timeline cut = timeline.buckets("short", Optional.empty(), 4).orElseThrow();

        assertThat(timeline.fromRollups("short", Optional.empty(), 4)).isEmpty();
        assertThat(cut.source()).isEqualTo(Source.RAW_DECISIONS);
        // 120 s + 1 us in 4 parts of 30 s + 1 us (rounded up), from the first token on
        assertThat(cut.buckets().get(0).from()).isEqualTo(Instant.parse("2026-03-01T10:00:10Z"));
        assertThat(cut.buckets().get(0).loads()).containsExactly(new ExpertLoad(0, new long[] {1, 0}));
        assertThat(cut.buckets().get(3).loads()).containsExactly(new ExpertLoad(0, new long[] {0, 1}));
    }

    /** Steps at 10:00:30 and 10:01:30 of an aggregate-only run: its minutes are its time axis. */
    @Test
    void anAggregateOnlyRunGetsATimeAxisFromItsStepsMinutes() throws SQLException {
        var steps = List.of(step("counted", 0, Phase.UNKNOWN, T0_MICROS + 30 * SECOND, 1, new long[][] {{1, 1, 0}}),
                step("counted", 1, Phase.UNKNOWN, T0_MICROS + 90 * SECOND, 2, new long[][] {{0, 2, 2}}));
        write("counted", 3, 2, 1, List.of(), steps);

        Timeline cut = timeline.fromRollups("counted", Optional.empty(), 2).orElseThrow();

        assertThat(cut.buckets().get(0).loads()).containsExactly(new ExpertLoad(0, new long[] {1, 1, 0}));
        assertThat(cut.buckets().get(1).loads()).containsExactly(new ExpertLoad(0, new long[] {0, 2, 2}));
        assertThat(timeline.recounted("counted", Optional.empty(), cut).buckets()).isEqualTo(cut.buckets());
    }

    @Test
    void theRollupsBucketsEqualTheRawDecisionsCountedInTheSameBucketsForRandomRuns() throws SQLException {
        var sources = new ArrayList<Source>();
        for (long seed = 1; seed <= 16; seed++) {
            sources.addAll(checkRandomRun(new Random(seed), "random-" + seed, false, 90 * MINUTE));
        }
        // the property holds where it says something: most random runs span enough minutes for the rollups
        assertThat(sources).filteredOn(Source.MINUTE_ROLLUPS::equals).hasSizeGreaterThan(16);
    }

    @Test
    void theRollupsBucketsEqualTheStepsCountedInTheSameBucketsForRandomAggregateOnlyRuns() throws SQLException {
        var sources = new ArrayList<Source>();
        for (long seed = 101; seed <= 108; seed++) {
            sources.addAll(checkRandomRun(new Random(seed), "random-steps-" + seed, true, 90 * MINUTE));
        }
        assertThat(sources).filteredOn(Source.MINUTE_ROLLUPS::equals).hasSizeGreaterThan(8);
    }

    /** Runs of up to 60 hours, so that hours are summed while late data comes into some of them. */
    @Test
    void theHourRollupsBucketsEqualTheRawDecisionsAndStepsCountedInTheSameBucketsForRandomLongRuns()
            throws SQLException {
        var sources = new ArrayList<Source>();
        for (long seed = 201; seed <= 212; seed++) {
            sources.addAll(checkRandomRun(new Random(seed), "random-hours-" + seed, seed > 208, 60 * 60 * MINUTE));
        }
        assertThat(sources).filteredOn(Source.HOUR_ROLLUPS::equals).hasSizeGreaterThan(12);
        assertThat(sources).filteredOn(Source.MINUTE_ROLLUPS::equals).isNotEmpty();
    }

    /**
     * A random run (2-9 experts, top-1 or 2, 1-4 layers, a span of up to {@code maxSpan} microseconds (a quarter of
     * the runs up to a 4.5th of it), tokens or steps at random times and phases, written in batches of random order),
     * cut into 1-30 buckets for every phase filter.
     *
     * @return where each of its timelines came from
     */
    private List<Source> checkRandomRun(Random random, String runId, boolean aggregateOnly, long maxSpan)
            throws SQLException {
        int experts = 2 + random.nextInt(8);
        int topK = 1 + random.nextInt(2);
        int layers = 1 + random.nextInt(4);
        long start = T0_MICROS + random.nextLong(3_600 * SECOND);
        long span = random.nextLong((random.nextInt(4) == 0 ? maxSpan * 2 / 9 : maxSpan) + 1);
        int events = 1 + random.nextInt(aggregateOnly ? 60 : 400);
        var tokens = new ArrayList<TokenRouting>();
        var steps = new ArrayList<ExpertCounts>();
        for (int i = 0; i < events; i++) {
            long at = start + random.nextLong(span + 1);
            Phase phase = Phase.values()[random.nextInt(aggregateOnly ? 3 : 2)];
            if (aggregateOnly) {
                int stepTokens = 1 + random.nextInt(5);
                long[][] counts = new long[layers][experts];
                for (long[] layer : counts) {
                    for (int t = 0; t < stepTokens; t++) {
                        choose(random, experts, topK).forEach(e -> layer[e]++);
                    }
                }
                steps.add(step(runId, i, phase, at, stepTokens, counts));
            } else {
                int[][] chosen = new int[layers][];
                for (int l = 0; l < layers; l++) {
                    chosen[l] = choose(random, experts, topK).toArray();
                }
                tokens.add(token(runId, "q" + random.nextInt(5), i, phase, at, chosen));
            }
        }
        Collections.shuffle(tokens, random);
        Collections.shuffle(steps, random);
        write(runId, experts, topK, layers, tokens, steps);
        var sources = new ArrayList<Source>();
        for (Optional<Phase> phase : PHASES) {
            int buckets = 1 + random.nextInt(30);
            Timeline cut = timeline.buckets(runId, phase, buckets).orElseThrow();
            assertThat(cut.buckets()).as(runId + " " + phase).hasSize(buckets);
            assertThat(timeline.recounted(runId, phase, cut).buckets()).as(runId + " " + phase)
                    .isEqualTo(cut.buckets());
            sources.add(cut.source());
        }
        return sources;
    }

    /** {@code topK} distinct experts of {@code experts}, in random order. */
    private static IntStream choose(Random random, int experts, int topK) {
        var ids = new ArrayList<Integer>(IntStream.range(0, experts).boxed().toList());
        Collections.shuffle(ids, random);
        return ids.subList(0, topK).stream().mapToInt(Integer::intValue);
    }

    private static TokenRouting token(String runId, String requestId, int index, Phase phase, long micros,
                                      int[][] expertsPerLayer) {
        var decisions = new ArrayList<RouterDecision>();
        for (int l = 0; l < expertsPerLayer.length; l++) {
            float[] weights = new float[expertsPerLayer[l].length];
            Arrays.fill(weights, 1f / weights.length);
            decisions.add(new RouterDecision(l, expertsPerLayer[l], weights, 0.5f));
        }
        return new TokenRouting(runId, requestId, index, 1000 + index, phase, micros, decisions);
    }

    private static ExpertCounts step(String runId, long step, Phase phase, long micros, long tokens,
                                     long[][] countsPerLayer) {
        var layers = new ArrayList<ExpertCounts.LayerCounts>();
        for (int l = 0; l < countsPerLayer.length; l++) {
            layers.add(new ExpertCounts.LayerCounts(l, countsPerLayer[l]));
        }
        return new ExpertCounts(runId, step, phase, micros, tokens, layers);
    }

    private void write(String runId, int experts, int topK, int layers, List<TokenRouting> tokens,
                       List<ExpertCounts> steps) throws SQLException {
        write(runId, experts, topK, layers, tokens, steps, 50);
    }

    /** The run started, then its tokens and steps in batches of up to {@code batch}, each committed as ingest does. */
    private void write(String runId, int experts, int topK, int layers, List<TokenRouting> tokens,
                       List<ExpertCounts> steps, int batch) throws SQLException {
        var model = new ModelIdentity("timeline-test", "MixtralForCausalLM", experts, topK, layers,
                IntStream.range(0, layers).boxed().toList(), 1_000_000L, 250_000L);
        try (Connection c = db.getConnection()) {
            new RunLifecycleWriter().write(c, new RunLifecycle(runId, runId, RunStatus.STARTED, T0_MICROS - SECOND,
                    "probe", model, 0));
            c.setAutoCommit(false);
            for (int from = 0; from < tokens.size(); from += batch) {
                new TokenRoutingCopyWriter().write(c, tokens.subList(from, Math.min(tokens.size(), from + batch)));
                c.commit();
            }
            for (int from = 0; from < steps.size(); from += batch) {
                new ExpertCountsWriter().write(c, steps.subList(from, Math.min(steps.size(), from + batch)));
                c.commit();
            }
            c.setAutoCommit(true);
        }
    }

    /** The run's rows of {@code load_grid_hour}, as "HH:MI Pphase" in UTC. */
    private List<String> hourGrids(String runId) throws SQLException {
        var rows = new ArrayList<String>();
        try (Connection c = db.getConnection(); var read = c.prepareStatement("SELECT to_char(bucket AT TIME ZONE"
                + " 'UTC', 'HH24:MI') || ' P' || phase FROM load_grid_hour WHERE run_id = ? ORDER BY bucket, phase")) {
            read.setString(1, runId);
            try (var rs = read.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
        }
        return rows;
    }
}
