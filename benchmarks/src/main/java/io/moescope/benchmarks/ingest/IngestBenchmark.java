package io.moescope.benchmarks.ingest;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Counter;
import io.moescope.events.EventCodec;
import io.moescope.events.TokenRouting;
import io.moescope.events.Topics;
import io.moescope.ingest.copy.ConsumerStages;
import io.moescope.ingest.copy.RawCopy;
import io.moescope.ingest.copy.TokenRoutingCopyWriter;
import io.moescope.ingest.monitoring.IngestMetrics;
import io.moescope.storage.runs.RunLifecycleWriter;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.Flyway;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Ingest throughput against its physical limit, and dashboard queries from rollups against raw rows, on one
 * database and one broker (what {@code ./moescope bench-ingest} runs):
 * <ol>
 *   <li value="0">the consumer threads' work per stage (decode, validate, order, count, encode) and the wire
 *       compressions' bytes and CPU, on this thread without servers ({@link ConsumerStages}, {@link WireCompression});
 *       </li>
 *   <li>raw COPY: N decisions, encoded beforehand, in one binary COPY straight into {@code token_routing}; and, for
 *       reference, (1'): the same split into one COPY per consumer thread of (2), on as many connections at
 *       once;</li>
 *   <li>full path: the same N decisions already in Kafka, consumed by the real ingest wiring (decode, validate,
 *       idempotent write, rollups, offset commits) until every row is committed;</li>
 *   <li>heatmap: a run of H decisions written by ingest's writer, then the layer x expert heatmap (and the per-minute
 *       one) from the rollups and from the raw rows, and the bytes stored per decision.</li>
 * </ol>
 * After untimed passes of each ((2) until the JIT compiler settles), (1), (1') and (2) are measured in
 * {@code repeats} pairs, alternating which goes first (ABBA...); the ratio (2)/(1) is the median of the per-pair
 * ratios (and likewise (2)/(1')), reported
 * with its range, the load average and the CPU each side used per million decisions (less sensitive to other work on
 * the machine than the wall time). The rollup queries run {@code max(3, repeats)} times after a warm-up (the median
 * is reported), the raw ones once.
 * Destroys moescope data in the database it is pointed at: give it a scratch one.
 *
 * <p>Its own SQL (polling {@code run_volume}, VACUUM, TRUNCATE between rounds) is measurement scratch, not the
 * product, and stays here; the product's statements are in the storage module.
 */
public final class IngestBenchmark {

    /**
     * What to measure.
     *
     * @param producerOverrides producer settings the run is sent to Kafka with, over the probe's (its compression)
     */
    public record Options(long decisions, long heatmapDecisions, int layers, int experts, int topK, int partitions,
                          int maxPollRecords, int concurrency, int repeats, Map<String, Object> producerOverrides) {
    }

    /** Where: a scratch PostgreSQL database and a Kafka broker. */
    public record Servers(String jdbcUrl, String user, String password, String bootstrapServers) {
    }

    private final Servers servers;
    private final Options options;
    private final PrintStream out;
    private final EventCodec codec = new EventCodec();
    private final CpuMeter cpuMeter;
    private CpuMeter.Reading copyCpu = CpuMeter.Reading.ZERO;
    private CpuMeter.Reading fullCpu = CpuMeter.Reading.ZERO;

    public IngestBenchmark(Servers servers, Options options, PrintStream out) {
        this.servers = servers;
        this.options = options;
        this.out = out;
        this.cpuMeter = new CpuMeter(port(servers.jdbcUrl()));
    }

    /** The port of a jdbc:postgresql://host:port/... URL on this machine, or -1. */
    private static int port(String jdbcUrl) {
        var m = java.util.regex.Pattern.compile("^jdbc:postgresql://(localhost|127\\.0\\.0\\.1)(?::(\\d+))?/")
                .matcher(jdbcUrl);
        if (!m.find()) {
            return -1;
        }
        return m.group(2) == null ? 5432 : Integer.parseInt(m.group(2));
    }

    public void run() throws Exception {
        try (HikariDataSource db = dataSource()) {
            Flyway.configure().dataSource(db).cleanDisabled(false).load().migrate();
            out.printf("moescope bench-ingest: %d layers, top-%d of %d experts, %d partitions, max.poll.records %d,"
                            + " %d consumer threads, produced with %s; %s%n", options.layers(), options.topK(),
                    options.experts(), options.partitions(), options.maxPollRecords(), options.concurrency(),
                    options.producerOverrides(), version(db));
            consumerSide();
            writePath(db);
            heatmap(db);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // (0) the consumer threads' own work, stage by stage, and the wire compression, without servers

    /**
     * Where a consumer thread's CPU goes, per stage, and what each wire compression costs, on the same decisions as
     * the write path: figures that vary far less with other work on the machine than (2)'s wall time.
     */
    private void consumerSide() throws SQLException {
        SyntheticRun run = SyntheticRun.ofDecisions("bench-stages", options.decisions(), options.layers(),
                options.experts(), options.topK(), Instant.now().truncatedTo(ChronoUnit.MINUTES),
                Duration.ofSeconds(Math.max(1, options.decisions() / options.layers() / 10_000)));
        out.printf("%nConsumer side, no servers: %,d decisions; load average %.2f%n", run.decisions(), loadAverage());
        new ConsumerStages().measure(run, options.maxPollRecords(), STAGE_ROUNDS, out);
        new WireCompression().measure(run, STAGE_ROUNDS, out);
    }

    private static final int STAGE_ROUNDS = 5;

    // ---------------------------------------------------------------------------------------------------------
    // (1) raw COPY vs (2) Kafka -> ingest -> committed rows

    private void writePath(HikariDataSource db) throws Exception {
        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        SyntheticRun run = SyntheticRun.ofDecisions("bench-write", options.decisions(), options.layers(),
                options.experts(), options.topK(), start, Duration.ofSeconds(Math.max(1, options.decisions()
                        / options.layers() / 10_000)));
        out.printf("%nWrite path: %,d decisions (%,d tokens x %d layers), %,d experts chosen%n", run.decisions(),
                run.tokens(), run.layers(), run.decisions() * run.topK());

        List<TokenRouting> tokens = run.tokens(0, run.tokens());
        byte[] stream = RawCopy.encode(tokens);
        out.printf("  pre-encoded COPY stream: %,d bytes (%.1f B/decision)%n", stream.length,
                (double) stream.length / run.decisions());
        byte[][] parts = split(run, tokens, options.concurrency());
        storeRun(db, run);

        createTopics();
        Pair[] pairs = new Pair[options.repeats()];
        try (ConfigurableApplicationContext ingest = ingestContext("moescope-bench-" + System.nanoTime());
             KafkaProducer<String, byte[]> producer = producer()) {
            FullPath full = new FullPath(ingest, producer, records(run, tokens));
            rawCopy(db, tokens, new byte[][] {stream}, false);
            rawCopy(db, tokens, parts, false);
            warmUp(db, full, run);
            for (int i = 0; i < pairs.length; i++) {
                pairs[i] = pair(db, full, run, tokens, new Streams(stream, parts), i % 2 == 0);
                out.printf("    pair %d, %s first: (1) %.3f s, (2) %.3f s, ratio %.2f; (1') %.3f s, ratio %.2f;"
                                + " load average %.2f; JIT compiling during (1): %,d ms, during (2): %,d ms%n", i + 1,
                        i % 2 == 0 ? "(1)" : "(2)", pairs[i].copySeconds(), pairs[i].fullSeconds(), pairs[i].ratio(),
                        pairs[i].parallelCopy().seconds(), pairs[i].parallelRatio(), pairs[i].load(),
                        pairs[i].copy().jitMillis(), pairs[i].full().jitMillis());
            }
            full.routing().stop();
        }
        report(run, pairs);
    }

    /** The pre-encoded COPY streams of the run: whole, and in one contiguous part per consumer thread. */
    private record Streams(byte[] whole, byte[][] parts) {
    }

    /**
     * The run's tokens in {@code n} parts, request {@code r}'s in part {@code r mod n}, each encoded as its own COPY
     * stream: with as many consumers as partitions, exactly the tokens each consumer of (2) gets ({@link #produce}).
     */
    private static byte[][] split(SyntheticRun run, List<TokenRouting> tokens, int n) {
        var parts = new ArrayList<List<TokenRouting>>();
        for (int i = 0; i < n; i++) {
            parts.add(new ArrayList<>());
        }
        for (int t = 0; t < tokens.size(); t++) {
            parts.get(run.requestOf(t) % n).add(tokens.get(t));
        }
        return RawCopy.encodeParts(parts);
    }

    /**
     * One timed (1), (1') and (2), in the order given or its reverse. Pairs alternate the order (ABBA...), so that a
     * load that rises or falls during the benchmark, or a JIT compiler still at work, favours neither side; the ratio
     * is taken within each pair, where both sides saw nearly the same machine.
     */
    private Pair pair(HikariDataSource db, FullPath ingest, SyntheticRun run, List<TokenRouting> tokens,
                      Streams streams, boolean copyFirst) throws Exception {
        Pass copy;
        Pass parallelCopy;
        Pass full;
        if (copyFirst) {
            copy = rawCopy(db, tokens, new byte[][] {streams.whole()}, true);
            parallelCopy = rawCopy(db, tokens, streams.parts(), false);
            full = fullPath(db, ingest, run, true);
        } else {
            full = fullPath(db, ingest, run, true);
            parallelCopy = rawCopy(db, tokens, streams.parts(), false);
            copy = rawCopy(db, tokens, new byte[][] {streams.whole()}, true);
        }
        return new Pair(copy, parallelCopy, full, loadAverage());
    }

    /**
     * Untimed passes of (2) until the JIT compiler has (nearly) done its work, as in a long-running ingest: after one
     * pass the compiler threads still spent 1-3 s of a 1-3 s pass competing for the two cores, and after four
     * 0.1-1.2 s of a 1 s pass (ratio 0.74, twice); it settles after about nine (2 M decisions each). Settled means
     * {@value #SETTLED_PASSES} passes in a row with little compiling: after a single quiet pass, the next still
     * compiled 0.4-0.6 s at times. At most {@value #MAX_WARM_UP_PASSES} passes; the timed pairs print what is left.
     */
    private void warmUp(HikariDataSource db, FullPath ingest, SyntheticRun run) throws Exception {
        Pass pass = null;
        int passes = 0;
        int quiet = 0;
        while (passes < MAX_WARM_UP_PASSES && quiet < SETTLED_PASSES) {
            pass = fullPath(db, ingest, run, false);
            passes++;
            quiet = pass.jitMillis() <= SETTLED_JIT_SHARE * pass.seconds() * 1000 ? quiet + 1 : 0;
        }
        out.printf("  warm-up: %d untimed pass(es) of (2), the run sent to Kafka again before each (not timed); the"
                        + " last one %.3f s with %,d ms of JIT compiling%n",
                passes, pass.seconds(), pass.jitMillis());
    }

    /**
     * The run's rows with their packed decisions unpacked into V50's arrays, for the raw side of the comparisons.
     * OFFSET 0 keeps PostgreSQL from pulling the subquery up, which would unpack a row again for every element. The
     * view finds the run's rows through its request keys (V53), as the readers do.
     */
    private static final String UNPACKED = "(SELECT routed_at, moescope_routing_layers(routing) AS layers,"
            + " moescope_routing_expert_ids(routing) AS expert_ids FROM token_routing_named WHERE run_id = ? OFFSET 0)";

    private static final int SETTLED_PASSES = 2;
    private static final int MAX_WARM_UP_PASSES = 14;
    /** JIT compiling time below this share of a pass's wall time counts as settled. */
    private static final double SETTLED_JIT_SHARE = 0.1;

    /** One pass of (1) or (2): its wall time and the JIT compiler's time meanwhile (summed over its threads). */
    record Pass(double seconds, long jitMillis) {
    }

    /**
     * One measurement of each side, taken back to back, and the load average (1 minute) after them. (1') is the raw
     * COPY split over as many connections as (2) has consumers: not the limit, but what the same
     * parallelism gives without Kafka, idempotency and rollups.
     */
    record Pair(Pass copy, Pass parallelCopy, Pass full, double load) {
        double copySeconds() {
            return copy.seconds();
        }

        double fullSeconds() {
            return full.seconds();
        }

        /** (2)/(1) in decisions per second: the same decisions, so the inverse of the time ratio. */
        double ratio() {
            return copySeconds() / fullSeconds();
        }

        double parallelRatio() {
            return parallelCopy.seconds() / fullSeconds();
        }
    }

    private void report(SyntheticRun run, Pair[] pairs) {
        double[] copySeconds = new double[pairs.length];
        double[] fullSeconds = new double[pairs.length];
        double[] parallelSeconds = new double[pairs.length];
        double[] ratios = new double[pairs.length];
        double[] parallelRatios = new double[pairs.length];
        double[] loads = new double[pairs.length];
        for (int i = 0; i < pairs.length; i++) {
            copySeconds[i] = pairs[i].copySeconds();
            fullSeconds[i] = pairs[i].fullSeconds();
            parallelSeconds[i] = pairs[i].parallelCopy().seconds();
            ratios[i] = pairs[i].ratio();
            parallelRatios[i] = pairs[i].parallelRatio();
            loads[i] = pairs[i].load();
        }
        double copy = median(copySeconds);
        double full = median(fullSeconds);
        out.printf("  (1) raw COPY into token_routing:        %6.3f s  %,12.0f decisions/s   runs %s%n", copy,
                run.decisions() / copy, seconds(copySeconds));
        out.printf("  (2) Kafka -> ingest -> committed rows:  %6.3f s  %,12.0f decisions/s   runs %s%n", full,
                run.decisions() / full, seconds(fullSeconds));
        out.printf("  ratio (2)/(1), median of %d pairs: %.2f (range %.2f-%.2f; target >= 0.80); load average"
                        + " %.2f-%.2f on %d cores%n", pairs.length, median(ratios), min(ratios), max(ratios),
                min(loads), max(loads), Runtime.getRuntime().availableProcessors());
        double parallel = median(parallelSeconds);
        out.printf("  (1') raw COPY on %d connections at once: %6.3f s  %,12.0f decisions/s   runs %s;"
                        + " (2)/(1') median %.2f (range %.2f-%.2f)%n", options.concurrency(), parallel,
                run.decisions() / parallel, seconds(parallelSeconds), median(parallelRatios), min(parallelRatios),
                max(parallelRatios));
        double millions = run.decisions() * (double) pairs.length / 1e6;
        if (copyCpu.childSeconds() > 0 && fullCpu.childSeconds() > 0) {
            out.printf("  CPU seconds per million decisions: (1) PostgreSQL %.2f, this JVM %.2f;"
                            + " (2) PostgreSQL %.2f, this JVM (ingest + in-process broker) %.2f%n",
                    copyCpu.childSeconds() / millions, copyCpu.jvmSeconds() / millions,
                    fullCpu.childSeconds() / millions, fullCpu.jvmSeconds() / millions);
            // Where (2)'s JVM share goes: the consumers' own work (decode, validate, count, encode, and Kafka's
            // fetch and decompression, which run on the consumer threads), the broker and other Java threads, and
            // the JVM's own (JIT compilers, garbage collector).
            out.printf("    (2) this JVM: ingest consumer threads %.3f (in the kernel %.3f), other Java threads"
                            + " (broker, clients) %.3f, JIT compilers and GC %.3f (JIT %.3f, GC %.3f)%n",
                    fullCpu.consumerSeconds() / millions, fullCpu.consumerKernelSeconds() / millions,
                    (fullCpu.javaSeconds() - fullCpu.consumerSeconds()) / millions,
                    (fullCpu.jvmSeconds() - fullCpu.javaSeconds()) / millions, fullCpu.jitSeconds() / millions,
                    fullCpu.gcSeconds() / millions);
            out.printf("    (2) heap allocated by the consumer threads: %.1f MB per million decisions%n",
                    fullCpu.consumerAllocatedBytes() / 1e6 / millions);
        }
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /**
     * COPYs the streams, each on its own connection and thread at the same time, and commits each; the time until
     * the last commit. With {@code timed}, the CPU used counts as (1)'s.
     */
    private Pass rawCopy(HikariDataSource db, List<TokenRouting> tokens, byte[][] streams, boolean timed)
            throws Exception {
        truncate(db);
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            RawCopy.preparePartitions(c, tokens);
            c.commit();
        }
        ExecutorService copiers = Executors.newFixedThreadPool(streams.length);
        try {
            awaitIdleCompilers();
            CpuMeter.Reading cpu = cpuMeter.read();
            long jit = jitMillis();
            long t0 = System.nanoTime();
            var copies = new ArrayList<Future<Long>>();
            for (byte[] stream : streams) {
                copies.add(copiers.submit(() -> {
                    try (Connection c = db.getConnection()) {
                        c.setAutoCommit(false);
                        long rows = RawCopy.copy(c, stream);
                        c.commit();
                        return rows;
                    }
                }));
            }
            for (Future<Long> copy : copies) {
                copy.get();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (timed) {
                add(true, cpuMeter.read().minus(cpu));
            }
            return new Pass(seconds, jitMillis() - jit);
        } finally {
            copiers.shutdownNow();
        }
    }

    /**
     * Waits (at most {@value #IDLE_WAIT_LIMIT_MILLIS} ms) until the JIT compilers have finished nothing for
     * {@value #IDLE_COMPILERS_MILLIS} ms, so that compilations queued by the pass before (up to 2.6 s of compiling in
     * a 1-3 s pass of (2)) do not run on into the timed one; the pairs print the compiling time that is left.
     */
    private static void awaitIdleCompilers() throws InterruptedException {
        long start = System.nanoTime();
        long idleSince = start;
        long compiled = jitMillis();
        while (System.nanoTime() - idleSince < TimeUnit.MILLISECONDS.toNanos(IDLE_COMPILERS_MILLIS)
                && System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(IDLE_WAIT_LIMIT_MILLIS)) {
            Thread.sleep(20);
            if (jitMillis() != compiled) {
                compiled = jitMillis();
                idleSince = System.nanoTime();
            }
        }
    }

    private static final long IDLE_COMPILERS_MILLIS = 1_000;
    private static final long IDLE_WAIT_LIMIT_MILLIS = 20_000;

    /**
     * The ingest wiring of (2), started once, paused between passes: its consumers stay in the group with their
     * partitions, as a long-running ingest's do. Started for every pass (and the group's offsets rewound by an admin
     * client), each pass began with new consumers joining the group, whose start-up code the JIT compilers were still
     * compiling during the timed passes.
     */
    private record FullPath(MessageListenerContainer routing, Counter stored, KafkaProducer<String, byte[]> producer,
                            List<ProducerRecord<String, byte[]>> records) {

        FullPath(ConfigurableApplicationContext ingest, KafkaProducer<String, byte[]> producer,
                 List<ProducerRecord<String, byte[]>> records) {
            this(ingest.getBean(KafkaListenerEndpointRegistry.class).getListenerContainer("moescope-ingest-routing"),
                    ingest.getBean(IngestMetrics.class).registry().get(IngestMetrics.TOKENS).counter(), producer,
                    records);
        }
    }

    /**
     * One pass of the ingest wiring over the run: the run is sent to Kafka again while the consumers are paused (not
     * timed), the clock starts when they resume and stops when the last row is committed.
     */
    private Pass fullPath(HikariDataSource db, FullPath ingest, SyntheticRun run, boolean timed) throws Exception {
        truncate(db);
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            RawCopy.preparePartitions(c, run.tokens(0, 1)); // as the maintenance job would have, ahead of time
            c.commit();
        }
        MessageListenerContainer routing = ingest.routing();
        routing.pause();
        if (!routing.isRunning()) {
            routing.start();
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!allConsumersAssigned(routing) || !routing.isContainerPaused()) {
            check(deadline, "partitions assigned to every consumer, and every consumer paused");
            Thread.sleep(1);
        }
        // A consumer at the end of the log has a fetch waiting at the broker (up to fetch.max.wait.ms); pausing leaves
        // it there, and the run sent now would answer it with its first few records, so every pass would begin with a
        // batch of a few hundred tokens. Once it has come back empty, the first poll after resume fetches the backlog.
        Thread.sleep(2 * FETCH_MAX_WAIT_MILLIS);
        produce(ingest);
        double storedBefore = ingest.stored().count();
        awaitIdleCompilers();
        CpuMeter.Reading cpu = cpuMeter.read();
        long jit = jitMillis();
        long t0 = System.nanoTime();
        routing.resume();
        // Ingest counts a batch's tokens right after its commit: watching the counter stops the clock within a
        // millisecond of the last commit, as (1) stops at its last commit, where polling the database every 10 ms
        // added 5 ms on average (2 % of a pass) and its own queries.
        deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (ingest.stored().count() - storedBefore < run.tokens()) {
            check(deadline, "all rows committed");
            Thread.sleep(1);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (timed) {
            add(false, cpuMeter.read().minus(cpu));
        }
        jit = jitMillis() - jit;
        checkStored(db, run);
        return new Pass(seconds, jit);
    }

    /** Kafka's default fetch.max.wait.ms, which ingest keeps. */
    private static final long FETCH_MAX_WAIT_MILLIS = 500;

    /** Fails unless the database holds exactly the run's tokens, as the ingest counter said. */
    private static void checkStored(HikariDataSource db, SyntheticRun run) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement stored = c.prepareStatement(
                     "SELECT coalesce(sum(tokens), 0) FROM run_volume WHERE run_id = ?")) {
            stored.setString(1, run.runId());
            long tokens = single(stored);
            if (tokens != run.tokens()) {
                throw new IllegalStateException("ingest counted " + run.tokens() + " tokens stored, run_volume has "
                        + tokens);
            }
        }
    }

    private static long jitMillis() {
        return java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    private void add(boolean copy, CpuMeter.Reading used) {
        if (copy) {
            copyCpu = copyCpu.plus(used);
        } else {
            fullCpu = fullCpu.plus(used);
        }
    }

    private boolean allConsumersAssigned(MessageListenerContainer routing) {
        Map<String, java.util.Collection<org.apache.kafka.common.TopicPartition>> assignments =
                routing.getAssignmentsByClientId();
        int consumers = Math.min(options.concurrency(), options.partitions());
        return assignments != null && assignments.size() == consumers
                && assignments.values().stream().allMatch(a -> a != null && !a.isEmpty())
                && assignments.values().stream().mapToInt(java.util.Collection::size).sum() == options.partitions();
    }

    private ConfigurableApplicationContext ingestContext(String groupId) {
        return new SpringApplicationBuilder(IngestBenchApp.class).web(WebApplicationType.NONE)
                .properties(ingestProperties(groupId)).run();
    }

    /** The ingest application's settings for a pass: the benchmark's servers and shape, and its logging. */
    Map<String, Object> ingestProperties(String groupId) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.datasource.url", servers.jdbcUrl());
        properties.put("spring.datasource.username", servers.user());
        properties.put("spring.datasource.password", servers.password() == null ? "" : servers.password());
        properties.put("spring.datasource.hikari.maximum-pool-size", options.concurrency() + 4);
        properties.put("spring.kafka.bootstrap-servers", servers.bootstrapServers());
        properties.put("spring.kafka.consumer.group-id", groupId);
        properties.put("spring.kafka.consumer.max-poll-records", options.maxPollRecords());
        properties.put("spring.kafka.listener.concurrency", options.concurrency());
        properties.put("moescope.kafka.partitions", options.partitions());
        properties.put("moescope.ingest.auto-startup", false);
        properties.put("moescope.embedded.enabled", false);
        properties.put("moescope.storage.maintenance-interval", "1h");
        properties.put("spring.main.banner-mode", "off");
        properties.put("spring.main.log-startup-info", false);
        properties.put("logging.level.root", "WARN");
        // A pass starts the container paused (fullPath), and spring-kafka warns for every consumer of every pass that
        // the rebalance resumed it and it paused it again: expected here, and only here (serve never starts paused).
        properties.put("logging.level.org.springframework.kafka.listener.KafkaMessageListenerContainer", "ERROR");
        if (Boolean.getBoolean("moescope.bench.trace")) {
            properties.put("logging.level.io.moescope.ingest.consumer.RoutingBatchListener", "DEBUG");
        }
        return properties;
    }

    private void createTopics() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                servers.bootstrapServers()))) {
            for (String topic : List.of(Topics.ROUTING, Topics.RUNS, Topics.ROUTING_DEAD_LETTER)) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, options.partitions(), (short) 1))).all()
                            .get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    /** A producer configured as the probe's (idempotent, acks=all, 5 ms linger) with the chosen codec. */
    private KafkaProducer<String, byte[]> producer() {
        var config = new HashMap<String, Object>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers.bootstrapServers());
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.putAll(options.producerOverrides());
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * The run's tokens as records, made once and sent before every pass. A request's tokens stay together, as with the
     * probe's key, but request {@code r} goes to partition {@code r mod P} rather than where its key hashes to: the
     * run's 63 requests (at the default size) hash to 18, 22 and 23 per partition, so the busiest consumer had a tenth
     * more than each connection of (1'), and (2) was timed by it. A live workload has far more requests and hashes
     * evenly; here both sides get the same shares.
     */
    private List<ProducerRecord<String, byte[]>> records(SyntheticRun run, List<TokenRouting> tokens) {
        var records = new ArrayList<ProducerRecord<String, byte[]>>(tokens.size());
        for (int t = 0; t < tokens.size(); t++) {
            TokenRouting token = tokens.get(t);
            records.add(new ProducerRecord<>(Topics.ROUTING, run.requestOf(t) % options.partitions(), token.kafkaKey(),
                    codec.encode(token)));
        }
        return records;
    }

    /** Sends the run's records and waits until Kafka has them all. Not timed. */
    private static void produce(FullPath ingest) {
        ingest.records().forEach(ingest.producer()::send);
        ingest.producer().flush();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Heatmap from rollups vs raw rows, and bytes per decision

    private void heatmap(HikariDataSource db) throws Exception {
        truncate(db);
        Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1));
        SyntheticRun run = SyntheticRun.ofDecisions("bench-heatmap", options.heatmapDecisions(), options.layers(),
                options.experts(), options.topK(), start, Duration.ofHours(1));
        out.printf("%nHeatmap: a run of %,d decisions (%,d tokens over 1 hour), written by ingest's writer%n",
                run.decisions(), run.tokens());
        storeRun(db, run);
        var writer = new TokenRoutingCopyWriter();
        long t0 = System.nanoTime();
        long written = 0;
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            for (long from = 0; from < run.tokens(); from += 10_000) {
                List<TokenRouting> batch = run.tokens(from, Math.min(run.tokens(), from + 10_000));
                written += writer.write(c, batch).insertedDecisions();
                c.commit();
            }
        }
        double writeSeconds = (System.nanoTime() - t0) / 1e9;
        out.printf("  written in %.1f s (%,.0f decisions/s, generation included)%n", writeSeconds,
                written / writeSeconds);
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("VACUUM ANALYZE token_routing");
            s.execute("VACUUM ANALYZE layer_load");
            s.execute("VACUUM ANALYZE load_grid_minute");
            s.execute("VACUUM ANALYZE load_grid_current");
            s.execute("VACUUM ANALYZE run_volume");
        }
        String rawHeatmap = """
                SELECT t.layers[(e.position - 1) / (cardinality(t.expert_ids) / cardinality(t.layers)) + 1] AS layer,
                       e.expert, count(*) AS tokens
                FROM %s t
                CROSS JOIN LATERAL unnest(t.expert_ids) WITH ORDINALITY AS e(expert, position)
                GROUP BY 1, 2""".formatted(UNPACKED);
        String rollupHeatmap = "SELECT layer, expert, sum(tokens) AS tokens FROM expert_load WHERE run_id = ?"
                + " GROUP BY layer, expert";
        String rawTimeline = """
                SELECT date_bin('1 minute', t.routed_at, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS bucket,
                       t.layers[(e.position - 1) / (cardinality(t.expert_ids) / cardinality(t.layers)) + 1] AS layer,
                       e.expert, count(*) AS tokens
                FROM %s t
                CROSS JOIN LATERAL unnest(t.expert_ids) WITH ORDINALITY AS e(expert, position)
                GROUP BY 1, 2, 3""".formatted(UNPACKED);
        String rollupTimeline = "SELECT bucket, layer, expert, sum(tokens) AS tokens FROM expert_load_minute"
                + " WHERE run_id = ? GROUP BY bucket, layer, expert";
        compare(db, run, "layer x expert heatmap", rollupHeatmap, rawHeatmap);
        String rawLayerTimeline = """
                SELECT bucket, expert, count(*) AS tokens FROM (
                    SELECT date_bin('1 minute', t.routed_at, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS bucket,
                           t.layers[(e.position - 1) / (cardinality(t.expert_ids) / cardinality(t.layers)) + 1] AS layer,
                           e.expert
                    FROM %s t
                    CROSS JOIN LATERAL unnest(t.expert_ids) WITH ORDINALITY AS e(expert, position)) AS s
                WHERE layer = 0
                GROUP BY 1, 2""".formatted(UNPACKED);
        String rollupLayerTimeline = "SELECT bucket, expert, sum(tokens) AS tokens FROM expert_load_minute"
                + " WHERE run_id = ? AND layer = 0 GROUP BY bucket, expert";
        compare(db, run, "expert x minute, one layer", rollupLayerTimeline, rawLayerTimeline);
        compare(db, run, "layer x expert x minute, all", rollupTimeline, rawTimeline);
        footprint(db, run);
    }

    private void compare(HikariDataSource db, SyntheticRun run, String what, String rollupSql, String rawSql)
            throws SQLException {
        Query rollup = time(db, run, rollupSql, Math.max(3, options.repeats()), true);
        // The raw side takes seconds to minutes at 10 M decisions and is only compared in orders of magnitude: one
        // run, no warm-up, keeps the default benchmark short.
        Query raw = time(db, run, rawSql, 1, false);
        if (!rollup.result().equals(raw.result())) {
            throw new IllegalStateException(what + ": the rollup and the raw rows disagree");
        }
        out.printf("  %-32s rollup %8.1f ms   raw %9.1f ms   %6.0fx faster   (%,d cells, same counts)%n", what,
                rollup.millis(), raw.millis(), raw.millis() / rollup.millis(), rollup.result().size());
    }

    private record Query(double millis, Map<String, Long> result) {
    }

    /** Median of {@code runs} timed runs, after one untimed run if {@code warmUp}, and the result. */
    private Query time(HikariDataSource db, SyntheticRun run, String sql, int runs, boolean warmUp)
            throws SQLException {
        Map<String, Long> result = null;
        double[] millis = new double[runs];
        try (Connection c = db.getConnection(); PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setString(1, run.runId());
            for (int i = warmUp ? -1 : 0; i < millis.length; i++) {
                long t0 = System.nanoTime();
                var rows = new HashMap<String, Long>();
                try (ResultSet rs = statement.executeQuery()) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        var key = new StringBuilder();
                        for (int col = 1; col < columns; col++) {
                            key.append(rs.getString(col)).append('/');
                        }
                        rows.put(key.toString(), rs.getLong(columns));
                    }
                }
                if (i >= 0) {
                    millis[i] = (System.nanoTime() - t0) / 1e6;
                }
                result = rows;
            }
        }
        return new Query(median(millis), result);
    }

    private void footprint(HikariDataSource db, SyntheticRun run) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            long raw = single(s, "SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree('token_routing')")
                    + single(s, "SELECT pg_total_relation_size('routing_request')");
            long rawHeap = single(s, "SELECT sum(pg_relation_size(relid)) FROM pg_partition_tree('token_routing')");
            long load = single(s, "SELECT pg_total_relation_size('layer_load')");
            long minute = single(s, "SELECT pg_total_relation_size('load_grid_minute')"
                    + " + pg_total_relation_size('load_grid_current')");
            long volume = single(s, "SELECT pg_total_relation_size('run_volume')");
            long minuteRows = single(s, "SELECT (SELECT count(*) FROM load_grid_minute)"
                    + " + (SELECT count(*) FROM load_grid_current)");
            double d = run.decisions();
            out.printf("  bytes per stored decision (top-%d, after VACUUM):%n", run.topK());
            out.printf("    raw token_routing      %7.2f B  (%,d B: rows %,d B + primary key, TOAST and request keys"
                    + " %,d B)%n",
                    raw / d, raw, rawHeap, raw - rawHeap);
            out.printf("    layer_load             %7.3f B  (%,d B)%n", load / d, load);
            out.printf("    minute grids           %7.3f B  (%,d B, %,d grids of %d layers x %d experts for 60 minutes)%n",
                    minute / d, minute, minuteRows, run.layers(), run.experts());
            out.printf("    run_volume             %7.4f B  (%,d B)%n", volume / d, volume);
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private HikariDataSource dataSource() {
        var config = new HikariConfig();
        config.setJdbcUrl(servers.jdbcUrl());
        config.setUsername(servers.user());
        config.setPassword(servers.password());
        config.setMaximumPoolSize(Math.max(4, options.concurrency() + 1));
        config.setPoolName("moescope-bench");
        return new HikariDataSource(config);
    }

    private static void storeRun(HikariDataSource db, SyntheticRun run) throws SQLException {
        try (Connection c = db.getConnection()) {
            new RunLifecycleWriter().write(c, run.started());
        }
    }

    private static void truncate(HikariDataSource db) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
                s.execute("TRUNCATE token_routing, routing_request, layer_load, load_grid_minute, load_grid_current,"
                        + " load_grid_hour, run_volume");
                s.execute("CHECKPOINT");
                return;
            } catch (SQLException e) {
                // The ingest context's storage maintenance creates partitions when it starts, taking the same locks
                // in another order; PostgreSQL then aborts one of the two, and the TRUNCATE can simply go again.
                if (!DEADLOCK_DETECTED.equals(e.getSQLState()) || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private static final String DEADLOCK_DETECTED = "40P01";

    private static String version(HikariDataSource db) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('server_version'), moescope_storage_path()")) {
            rs.next();
            return "PostgreSQL " + rs.getString(1) + ", " + rs.getString(2) + " storage";
        }
    }

    private static long single(PreparedStatement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long single(Statement statement, String sql) throws SQLException {
        try (ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void check(long deadline, String what) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("benchmark timed out waiting for: " + what);
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    private static String seconds(double[] values) {
        var parts = new ArrayList<String>();
        for (double v : values) {
            parts.add(String.format("%.3f", v));
        }
        return String.join(" ", parts);
    }
}
