package io.moescope.platform.timeline;

import io.moescope.analytics.load.ExpertLoad;
import io.moescope.analytics.load.ExpertLoadAccumulator;
import io.moescope.events.ModelIdentity;
import io.moescope.events.RunLifecycle;
import io.moescope.events.RunStatus;
import io.moescope.platform.EmbeddedPlatformTest;
import io.moescope.storage.rollups.CountGrid;
import io.moescope.storage.rollups.CountVectors;
import io.moescope.storage.rollups.MinuteGrids;
import io.moescope.storage.rollups.RollupUpsert;
import io.moescope.storage.rollups.RunVolumes;
import io.moescope.storage.runs.RunLifecycleWriter;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * The run page's time axis ({@link LoadTimeline#fromRollups}, 20 buckets) of a days-long run of a large model, every
 * minute of both phases populated: its grids are written straight into the rollups as ingest leaves them (the last
 * minute of each phase in {@code load_grid_current}, the others in {@code load_grid_minute}, every hour but the
 * current one's sum in {@code load_grid_hour}), since storing the raw decisions of such a run would take hours. Each
 * round times, in alternated order, the time axis as served (buckets of whole hours) and the fold over every minute
 * grid that served it before branch timeline2 (buckets of whole minutes: each grid decoded, each layer's counts
 * copied out and added), then the parts of that fold: reading the minute grids' bytes over JDBC, and reading and
 * decoding them. Every answer is checked against the counts written. Not a
 * specification, so it runs only with {@code -Dmoescope.benchmark=true}:
 * {@code mvn -B -ntp -o -q test -pl platform -am -Dtest=LoadTimelineBenchmark -Dmoescope.benchmark=true
 * -Dsurefire.failIfNoSpecifiedTests=false}; the shape with {@code -Dmoescope.benchmark.days=3},
 * {@code .layers=61}, {@code .experts=256}, {@code .max-count=20} (each cell's count uniform in 0..max) and
 * {@code .rounds=8}. The figures are printed to the test's output (target/surefire-reports).
 */
@EnabledIfSystemProperty(named = "moescope.benchmark", matches = "true")
@TestPropertySource(properties = {"moescope.demo.enabled=false", "moescope.metrics.stored-suites-interval=0s"})
class LoadTimelineBenchmark extends EmbeddedPlatformTest {

    private static final String RUN = "bench-timeline";
    private static final int BUCKETS = 20;
    private static final int DAYS = Integer.getInteger("moescope.benchmark.days", 3);
    private static final int LAYERS = Integer.getInteger("moescope.benchmark.layers", 61);
    private static final int EXPERTS = Integer.getInteger("moescope.benchmark.experts", 256);
    private static final int MAX_COUNT = Integer.getInteger("moescope.benchmark.max-count", 20);
    private static final int ROUNDS = Integer.getInteger("moescope.benchmark.rounds", 8);
    private static final int MINUTES = DAYS * 24 * 60;
    private static final int PHASES = 2;

    /** The same query as {@code RolledUpCounts}: every finished minute and each phase's current one. */
    private static final String GRIDS = """
            SELECT (extract(epoch FROM bucket) * 1000000)::bigint, counts FROM load_grid_minute WHERE run_id = ?
            UNION ALL
            SELECT (extract(epoch FROM bucket) * 1000000)::bigint, counts FROM load_grid_current WHERE run_id = ?""";

    @Autowired
    private DataSource db;
    @Autowired
    private LoadTimeline timeline;

    @Test
    void timeAxisOfADaysLongRunOfALargeModel() throws SQLException {
        Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(MINUTES, ChronoUnit.MINUTES);
        long t0 = System.nanoTime();
        Expected expected = write(start);
        System.out.printf("%s: %d days, %,d minute grids (%d phases) of %d layers x %d experts, counts 0-%d,"
                        + " %,d bytes of minute grids, %,d of hour grids, written in %.1f s; load average %.2f%n",
                RUN, DAYS, MINUTES * PHASES, PHASES, LAYERS, EXPERTS, MAX_COUNT, tableBytes("load_grid_minute"),
                tableBytes("load_grid_hour"), (System.nanoTime() - t0) / 1e9, loadAverage());
        long[] edges = new long[BUCKETS + 1];
        for (int b = 0; b <= BUCKETS; b++) {
            edges[b] = micros(start) + firstMinuteOf(b, 1) * 60_000_000L;
        }
        var served = new double[ROUNDS];
        var former = new double[ROUNDS];
        var read = new double[ROUNDS];
        var decoded = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            boolean servedFirst = round % 2 == 0;
            for (int turn = 0; turn < 2; turn++) {
                long t = System.nanoTime();
                List<List<ExpertLoad>> loads = turn == 0 == servedFirst ? served() : formerFold(edges);
                (turn == 0 == servedFirst ? served : former)[round] = (System.nanoTime() - t) / 1e6;
                if (!loads.equals(turn == 0 == servedFirst ? expected.byHour() : expected.byMinute())) {
                    throw new IllegalStateException("round " + round + ": the time axis differs from the counts"
                            + " written");
                }
            }
            long t = System.nanoTime();
            long bytes = readOnly(false);
            read[round] = (System.nanoTime() - t) / 1e6;
            t = System.nanoTime();
            readOnly(true);
            decoded[round] = (System.nanoTime() - t) / 1e6;
            System.out.printf("round %d (%s first): served %.0f ms, former fold %.0f ms; reading the %,d bytes"
                            + " %.0f ms, reading and decoding %.0f ms; load average %.2f%n", round + 1,
                    servedFirst ? "served" : "former", served[round], former[round], bytes, read[round],
                    decoded[round], loadAverage());
        }
        System.out.printf("medians of rounds 3-%d: served %.0f ms, former fold %.0f ms, reading %.0f ms, reading and"
                        + " decoding %.0f ms%n", ROUNDS, median(served), median(former), median(read),
                median(decoded));
    }

    /**
     * What keeping the hour grids costs ingest: a run of the same shape written through the rollups' writer a minute
     * a batch (both phases' grids, each batch committed); the batches that move the current minutes into a new hour
     * also sum the hour they leave (its 60 minute grids a phase, read back), the others only move a minute on.
     */
    @Test
    void ingestBatchesThatSumAnHour() throws SQLException {
        String run = RUN + "-ingest";
        int hours = Integer.getInteger("moescope.benchmark.ingest-hours", 6);
        var random = new SplittableRandom(55);
        int[] layers = IntStream.range(0, LAYERS).toArray();
        long start = micros(Instant.now().truncatedTo(ChronoUnit.HOURS).minus(hours, ChronoUnit.HOURS));
        var minuteOn = new ArrayList<Double>();
        var hourOn = new ArrayList<Double>();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            for (int m = 0; m < hours * 60; m++) {
                var minutes = new MinuteGrids();
                for (int phase = 0; phase < PHASES; phase++) {
                    long[] counts = new long[LAYERS * EXPERTS];
                    Arrays.setAll(counts, cell -> random.nextInt(MAX_COUNT + 1));
                    minutes.add(run, start + m * 60_000_000L, phase, new CountGrid(layers, EXPERTS, counts));
                }
                long t = System.nanoTime();
                RollupUpsert.upsert(c, new CountVectors(), minutes, new RunVolumes());
                c.commit();
                double millis = (System.nanoTime() - t) / 1e6;
                if (m > 60) {
                    (m % 60 == 0 ? hourOn : minuteOn).add(millis);
                }
            }
            c.setAutoCommit(true);
        }
        System.out.printf("%s: %d hours, a minute a batch: batches moving a minute on %.1f ms median (%d), moving into"
                        + " a new hour and summing the hour left %.1f ms median (%d: %s); load average %.2f%n", run,
                hours, medianOf(minuteOn), minuteOn.size(), medianOf(hourOn), hourOn.size(), hourOn, loadAverage());
    }

    private static double medianOf(List<Double> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    private List<List<ExpertLoad>> served() {
        LoadTimeline.Timeline cut = timeline.fromRollups(RUN, Optional.empty(), BUCKETS).orElseThrow();
        return cut.buckets().stream().map(LoadTimeline.Bucket::loads).toList();
    }

    /** What {@code LoadTimeline} did before branch timeline2: decode, copy each layer's counts out, add them. */
    private List<List<ExpertLoad>> formerFold(long[] edges) throws SQLException {
        var loads = new ExpertLoadAccumulator[BUCKETS];
        Arrays.setAll(loads, b -> new ExpertLoadAccumulator(EXPERTS));
        grids(rs -> {
            int found = Arrays.binarySearch(edges, rs.getLong(1));
            var load = loads[Math.min(BUCKETS - 1, found >= 0 ? found : -found - 2)];
            CountGrid grid = CountGrid.decode(rs.getBytes(2));
            for (int i = 0; i < grid.layers().length; i++) {
                load.add(grid.layers()[i], Arrays.copyOfRange(grid.counts(), i * grid.experts(),
                        (i + 1) * grid.experts()));
            }
        });
        return Arrays.stream(loads).map(ExpertLoadAccumulator::loads).toList();
    }

    /** @return the bytes of the grids read */
    private long readOnly(boolean decode) throws SQLException {
        long[] bytes = {0};
        grids(rs -> {
            byte[] grid = rs.getBytes(2);
            bytes[0] += decode ? CountGrid.decode(grid).counts().length : grid.length;
        });
        return bytes[0];
    }

    private interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    private void grids(Row each) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement read = c.prepareStatement(GRIDS)) {
            read.setString(1, RUN);
            read.setString(2, RUN);
            try (ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    each.accept(rs);
                }
            }
        }
    }

    /** The loads of each bucket: buckets of whole hours (as served), of whole minutes (the former fold). */
    private record Expected(List<List<ExpertLoad>> byHour, List<List<ExpertLoad>> byMinute) {
    }

    /** The minute that bucket {@code b} starts at, where buckets are whole units of {@code unitMinutes}. */
    private static long firstMinuteOf(int b, int unitMinutes) {
        return (long) b * (MINUTES / unitMinutes) / BUCKETS * unitMinutes;
    }

    /** The bucket holding minute {@code m}, where buckets are whole units of {@code unitMinutes}. */
    private static int bucketOf(int m, int unitMinutes) {
        int b = BUCKETS - 1;
        while (firstMinuteOf(b, unitMinutes) > m) {
            b--;
        }
        return b;
    }

    /** The run, its volume and its grids; the loads of each of the 20 buckets that the grids hold. */
    private Expected write(Instant start) throws SQLException {
        var model = new ModelIdentity("bench-timeline", "DeepseekV3ForCausalLM", EXPERTS, 8, LAYERS,
                IntStream.range(0, LAYERS).boxed().toList(), 1_000_000L, 250_000L);
        long[][][] byHour = new long[BUCKETS][LAYERS][EXPERTS];
        long[][][] byMinute = new long[BUCKETS][LAYERS][EXPERTS];
        long[][] hour = new long[PHASES][LAYERS * EXPERTS];
        var random = new SplittableRandom(61);
        int[] layers = IntStream.range(0, LAYERS).toArray();
        try (Connection c = db.getConnection()) {
            new RunLifecycleWriter().write(c, new RunLifecycle(RUN, RUN, RunStatus.STARTED, micros(start) - 1,
                    "probe", model, 0));
            c.setAutoCommit(false);
            try (PreparedStatement finished = c.prepareStatement(
                    "INSERT INTO load_grid_minute (run_id, bucket, phase, counts) VALUES (?, ?, ?, ?)");
                 PreparedStatement current = c.prepareStatement(
                         "INSERT INTO load_grid_current (run_id, phase, bucket, counts) VALUES (?, ?, ?, ?)");
                 PreparedStatement hours = c.prepareStatement(
                         "INSERT INTO load_grid_hour (run_id, bucket, phase, counts) VALUES (?, ?, ?, ?)")) {
                for (int m = 0; m < MINUTES; m++) {
                    Timestamp minute = Timestamp.from(start.plus(m, ChronoUnit.MINUTES));
                    for (short phase = 0; phase < PHASES; phase++) {
                        long[] counts = new long[LAYERS * EXPERTS];
                        long[][] hourSum = byHour[bucketOf(m, 60)];
                        long[][] minuteSum = byMinute[bucketOf(m, 1)];
                        for (int cell = 0; cell < counts.length; cell++) {
                            counts[cell] = random.nextInt(MAX_COUNT + 1);
                            hourSum[cell / EXPERTS][cell % EXPERTS] += counts[cell];
                            minuteSum[cell / EXPERTS][cell % EXPERTS] += counts[cell];
                            hour[phase][cell] += counts[cell];
                        }
                        byte[] grid = new CountGrid(layers, EXPERTS, counts).encoded();
                        boolean last = m == MINUTES - 1;
                        PreparedStatement insert = last ? current : finished;
                        insert.setString(1, RUN);
                        insert.setTimestamp(last ? 3 : 2, minute);
                        insert.setShort(last ? 2 : 3, phase);
                        insert.setBytes(4, grid);
                        insert.addBatch();
                        // every hour but the current minute's has its sum, as ingest leaves it
                        if (m % 60 == 59 && !last) {
                            hours.setString(1, RUN);
                            hours.setTimestamp(2, Timestamp.from(start.plus(m - 59, ChronoUnit.MINUTES)));
                            hours.setShort(3, phase);
                            hours.setBytes(4, new CountGrid(layers, EXPERTS, hour[phase]).encoded());
                            hours.addBatch();
                            hour[phase] = new long[LAYERS * EXPERTS];
                        }
                    }
                    if (m % 100 == 99) {
                        finished.executeBatch();
                    }
                }
                finished.executeBatch();
                current.executeBatch();
                hours.executeBatch();
            }
            try (PreparedStatement volume = c.prepareStatement("INSERT INTO run_volume (run_id, tokens, decisions,"
                    + " first_routed_at, last_routed_at) VALUES (?, 1, 1, ?, ?)")) {
                volume.setString(1, RUN);
                volume.setTimestamp(2, Timestamp.from(start));
                volume.setTimestamp(3, Timestamp.from(start.plus(MINUTES, ChronoUnit.MINUTES).minusSeconds(1)));
                volume.execute();
            }
            c.commit();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("VACUUM ANALYZE load_grid_minute");
                s.execute("VACUUM ANALYZE load_grid_hour");
            }
        }
        return new Expected(loads(byHour), loads(byMinute));
    }

    private static List<List<ExpertLoad>> loads(long[][][] sums) {
        var buckets = new ArrayList<List<ExpertLoad>>();
        for (long[][] bucket : sums) {
            var loads = new ArrayList<ExpertLoad>();
            for (int l = 0; l < LAYERS; l++) {
                loads.add(new ExpertLoad(l, bucket[l]));
            }
            buckets.add(loads);
        }
        return buckets;
    }

    private long tableBytes(String table) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_total_relation_size('" + table + "')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static double median(double[] values) {
        double[] measured = Arrays.copyOfRange(values, Math.min(2, values.length - 1), values.length);
        Arrays.sort(measured);
        return measured[measured.length / 2];
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1000;
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
