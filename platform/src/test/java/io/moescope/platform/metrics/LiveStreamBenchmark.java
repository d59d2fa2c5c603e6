package io.moescope.platform.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.moescope.analytics.suite.SuiteOptions;
import io.moescope.events.ModelIdentity;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.RunLifecycle;
import io.moescope.events.RunStatus;
import io.moescope.events.TokenRouting;
import io.moescope.ingest.copy.TokenRoutingCopyWriter;
import io.moescope.platform.scheduling.PeriodicTask;
import io.moescope.storage.counts.ExpertCountSteps;
import io.moescope.storage.rollups.RolledUpCounts;
import io.moescope.storage.routing.RoutingReader;
import io.moescope.storage.runs.RunLifecycleWriter;
import io.moescope.storage.runs.RunShapes;
import io.moescope.storage.suites.StoredSuites;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Not a test: what a watched live run costs while its data streams in. A writer thread stores a live run at a
 * sustained rate through ingest's own writer (batches every 200 ms, raw rows and rollups as ingest writes them),
 * from N requests streaming side by side: each request's prompt (a quarter of it, prefill) at once, then its tokens
 * one by one, the N requests in turn, each of 1,000-4,000 tokens, a new request taking the place of one that ended.
 * Meanwhile the application's background extension runs as configured by default ({@link PeriodicTask} every 2 s,
 * {@link MetricSuiteService#refreshLiveSuites}, the run watched as the run page watches it), and each round prints
 * the tokens its pass kept and read, its wall and CPU time (the round's thread, and the PostgreSQL backends of its
 * connections) and the load; at the end the share of one core the rounds took over the whole stream and over its
 * second half (the tail of open requests has built up by then), and whether the last round's suite is the batch
 * suite's over the same tokens (the same JSON).
 * {@code cli/bench.sh io.moescope.platform.metrics.LiveStreamBenchmark [decisions/s=100000] [seconds=180]
 * [requests=32] [settled=10s] [layers=32] [experts=8]}; settled is {@code moescope.metrics.live-suite-settled}
 * ({@code 0s}: the extension from the committed requests alone, as before the setting).
 */
public final class LiveStreamBenchmark {

    private static final String RUN = "live-bench";
    private static final Duration INTERVAL = Duration.ofSeconds(2);
    private static final long BATCH_MILLIS = 200;
    private static final String REFRESH_APP = "live-suites";
    /**
     * The lag (a setting of what requests are served, not of the rounds) long enough that each round's suite is read
     * back however long the round took: at the default 6 s, a round that took longer is not served once data came.
     */
    private static final Duration READ_BACK_LAG = Duration.ofMinutes(10);

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 180;
        int concurrent = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        Duration settled = args.length > 3 ? Duration.parse("PT" + args[3].toUpperCase()) : Duration.ofSeconds(10);
        int layers = args.length > 4 ? Integer.parseInt(args[4]) : 32;
        int experts = args.length > 5 ? Integer.parseInt(args[5]) : 8;
        System.out.printf("live stream: %,d decisions/s (%d layers, top-2 of %d) for %d s, %d requests side by side,"
                + " rounds every %d s, live-suite-settled %s; load %s%n", rate, layers, experts, seconds, concurrent,
                INTERVAL.toSeconds(), settled, load());
        Path dir = Files.createTempDirectory("moescope-live-bench");
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(true)
                .start(); HikariDataSource writes = pool(pg.getPostgresDatabase(), "writer", 1);
             HikariDataSource reads = pool(pg.getPostgresDatabase(), REFRESH_APP, 2);
             HikariDataSource monitor = pool(pg.getPostgresDatabase(), "monitor", 1)) {
            Flyway.configure().dataSource(pg.getPostgresDatabase()).locations("classpath:db/migration").load()
                    .migrate();
            var client = JdbcClient.create(reads);
            var service = new MetricSuiteService(new RolledUpLoads(new RunShapes(client), new RolledUpCounts(client)),
                    new RoutingRows(new RoutingReader(reads), new ExpertCountSteps(client)), List::of,
                    new StoredSuites(client), Clock.systemUTC(), READ_BACK_LAG, settled);
            var stream = new Stream(writes, rate, layers, experts, concurrent);
            stream.start();
            service.ready(RUN);
            var rounds = new Rounds(service, new JdbcTemplate(monitor));
            var task = new PeriodicTask("moescope-live-suites", "background extension", INTERVAL, "off",
                    rounds::once);
            long began = System.nanoTime();
            task.start();
            Thread writer = new Thread(() -> stream.run(seconds), "writer");
            writer.start();
            writer.join();
            task.stop();
            double wall = (System.nanoTime() - began) / 1e9;
            rounds.awaitIdle();
            System.out.printf("stream: %,d tokens (%,d decisions) in %.1f s, %.0f decisions/s; writer thread %.1f CPU"
                    + " s%n", stream.tokens, stream.tokens * layers, wall, stream.tokens * layers / wall,
                    stream.writerCpuNanos / 1e9);
            rounds.summary(wall);
            checkAgainstBatch(service, new ObjectMapper());
        }
    }

    /** The rounds' suite after the stream equals the batch suite over the same tokens. */
    private static void checkAgainstBatch(MetricSuiteService service, ObjectMapper json) throws Exception {
        service.refreshLiveSuites();
        SuiteAnswer latest = service.ready(RUN).orElseThrow();
        var set = TokenSet.wholeRun(RUN, Optional.empty());
        long t = System.nanoTime();
        String batch = json.writeValueAsString(service.computed(set, SuiteOptions.defaults()).orElseThrow());
        System.out.printf("last round over %,d tokens (%s): the same JSON as the batch suite (%.1f s): %b%n",
                latest.computed().runTokens(), latest.computed().extended(), (System.nanoTime() - t) / 1e9,
                json.writeValueAsString(latest.suite()).equals(batch));
    }

    /** The background rounds, each timed: wall, its thread's CPU, the CPU of the PostgreSQL backends it read from. */
    private static final class Rounds {
        private final MetricSuiteService service;
        private final JdbcTemplate monitor;
        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private final long began = System.nanoTime();
        private final List<double[]> figures = new ArrayList<>();
        private volatile boolean busy;
        private long previousRunTokens;

        Rounds(MetricSuiteService service, JdbcTemplate monitor) {
            this.service = service;
            this.monitor = monitor;
        }

        void once() {
            busy = true;
            try {
                long pg = backendCpuMillis();
                long cpu = threads.getCurrentThreadCpuTime();
                long wall = System.nanoTime();
                int refreshed = service.refreshLiveSuites();
                double wallMs = (System.nanoTime() - wall) / 1e6;
                double cpuMs = (threads.getCurrentThreadCpuTime() - cpu) / 1e6;
                double pgMs = backendCpuMillis() - pg;
                double at = (wall - began) / 1e9;
                SuiteAnswer answer = service.ready(RUN).orElse(null);
                if (refreshed == 0 || answer == null) {
                    System.out.printf("round at %6.1f s: no new data (%.0f ms)%n", at, wallMs);
                    return;
                }
                SuiteAnswer.Extension split = answer.computed().extended();
                long runTokens = answer.computed().runTokens();
                // read again: read, less the tokens stored since the round before
                long again = Math.max(0, split.readTokens() - (runTokens - previousRunTokens));
                previousRunTokens = runTokens;
                synchronized (figures) {
                    figures.add(new double[] {at, wallMs, cpuMs, pgMs, split.keptTokens(), split.readTokens(),
                        again});
                }
                System.out.printf("round at %6.1f s: run %,9d tokens, kept %,9d, read %,7d of which again %,7d"
                        + " (%,10d decisions); wall %6.0f ms, CPU %6.0f ms + PostgreSQL %5.0f ms; load %s%n", at,
                        runTokens, split.keptTokens(), split.readTokens(), again,
                        split.readTokens() * answer.computed().runDecisions() / Math.max(1, runTokens), wallMs,
                        cpuMs, pgMs, load());
            } catch (Exception e) {
                System.out.println("round failed: " + e);
            } finally {
                busy = false;
            }
        }

        void awaitIdle() throws InterruptedException {
            while (busy) {
                Thread.sleep(50);
            }
        }

        void summary(double wall) {
            synchronized (figures) {
                System.out.printf("rounds over the whole stream: %s%n", share(figures, wall, 0));
                System.out.printf("rounds over its second half:  %s%n", share(figures, wall, wall / 2));
            }
        }

        private static String share(List<double[]> all, double wall, double from) {
            List<double[]> rounds = all.stream().filter(f -> f[0] >= from).toList();
            if (rounds.isEmpty()) {
                return "none";
            }
            double span = wall - from;
            double[] wallMs = rounds.stream().mapToDouble(f -> f[1]).sorted().toArray();
            double cpu = rounds.stream().mapToDouble(f -> f[2]).sum() / 1e3;
            double pg = rounds.stream().mapToDouble(f -> f[3]).sum() / 1e3;
            double read = rounds.stream().mapToDouble(f -> f[5]).sum();
            double kept = rounds.stream().mapToDouble(f -> f[4]).sum();
            double again = rounds.stream().mapToDouble(f -> f[6]).sum();
            return String.format("%d rounds in %.0f s, wall median %.0f ms, max %.0f ms; tokens read %.1f%% of"
                    + " kept + read, %,.0f read and %,.0f of them again a round (mean); CPU %.1f s + PostgreSQL"
                    + " %.1f s = %.2f of one core (%.2f + %.2f)", rounds.size(), span, wallMs[wallMs.length / 2],
                    wallMs[wallMs.length - 1], 100 * read / (read + kept), read / rounds.size(),
                    again / rounds.size(), cpu, pg, (cpu + pg) / span, cpu / span, pg / span);
        }

        /** CPU time of the backends of the rounds' connections, from /proc (clock ticks of 10 ms). */
        private long backendCpuMillis() throws java.io.IOException {
            long ticks = 0;
            for (Integer pid : monitor.queryForList("SELECT pid FROM pg_stat_activity WHERE application_name = ?",
                    Integer.class, REFRESH_APP)) {
                Path stat = Path.of("/proc", pid.toString(), "stat");
                if (Files.exists(stat)) {
                    String text = Files.readString(stat);
                    String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                }
            }
            return ticks * 10;
        }
    }

    /**
     * The run's tokens as a source streams them: {@code concurrent} requests at a time, each its prompt at once,
     * then one token a turn, written every {@value #BATCH_MILLIS} ms through ingest's writer in one transaction.
     */
    private static final class Stream {
        private final DataSource database;
        private final double tokensPerSecond;
        private final int layers;
        private final int experts;
        private final Request[] requests;
        private final Random lengths = new Random(42);
        private final TokenRoutingCopyWriter writer = new TokenRoutingCopyWriter();
        private int nextRequest;
        private int turn;
        private long tokens;
        private long writerCpuNanos;

        private final class Request {
            private final String id = "req-%06d".formatted(nextRequest++);
            private final int length = 1000 + lengths.nextInt(3001);
            private int next;

            boolean ended() {
                return next == length;
            }
        }

        Stream(DataSource database, int rate, int layers, int experts, int concurrent) {
            this.database = database;
            this.tokensPerSecond = (double) rate / layers;
            this.layers = layers;
            this.experts = experts;
            this.requests = new Request[concurrent];
        }

        void start() throws Exception {
            var model = new ModelIdentity("bench", "MixtralForCausalLM", experts, 2, layers,
                    IntStream.range(0, layers).boxed().toList(), 1, 1);
            try (Connection c = database.getConnection()) {
                new RunLifecycleWriter().write(c, new RunLifecycle(RUN, RUN, RunStatus.STARTED,
                        System.currentTimeMillis() * 1000, "probe", model, 0));
            }
            for (int r = 0; r < requests.length; r++) {
                requests[r] = new Request();
            }
        }

        void run(int seconds) {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpu = threads.getCurrentThreadCpuTime();
            long began = System.nanoTime();
            try (Connection c = database.getConnection()) {
                c.setAutoCommit(false);
                for (long tick = 1; tick * BATCH_MILLIS <= seconds * 1000L; tick++) {
                    long due = began + tick * BATCH_MILLIS * 1_000_000;
                    Thread.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000));
                    long target = (long) ((System.nanoTime() - began) / 1e9 * tokensPerSecond);
                    List<TokenRouting> batch = next(target - tokens);
                    writer.write(c, batch);
                    c.commit();
                    tokens += batch.size();
                }
            } catch (Exception e) {
                throw new IllegalStateException("the writer failed", e);
            }
            writerCpuNanos = threads.getCurrentThreadCpuTime() - cpu;
        }

        /** At least {@code count} tokens, the requests in turn, each stamped now. */
        private List<TokenRouting> next(long count) {
            long now = System.currentTimeMillis() * 1000;
            var batch = new ArrayList<TokenRouting>();
            while (batch.size() < count) {
                turn = (turn + 1) % requests.length;
                Request request = requests[turn];
                int prompt = request.next == 0 ? request.length / 4 : 1;
                for (int i = 0; i < prompt; i++) {
                    batch.add(token(request, now, request.next < request.length / 4 ? Phase.PREFILL : Phase.DECODE));
                    request.next++;
                }
                if (request.ended()) {
                    requests[turn] = new Request();
                }
            }
            return batch;
        }

        /** A skewed router (expert 0 hot, each layer's ranking rotated) and a vocabulary of 32,000, per token seed. */
        private TokenRouting token(Request request, long micros, Phase phase) {
            var random = new SplittableRandom(request.id.hashCode() * 0x9E3779B97F4A7C15L + request.next);
            var decisions = new ArrayList<RouterDecision>(layers);
            for (int layer = 0; layer < layers; layer++) {
                int first = random.nextInt(10) < 4 ? 0 : random.nextInt(experts);
                int second = (first + 1 + random.nextInt(experts - 1)) % experts;
                decisions.add(new RouterDecision(layer, new int[] {(first + layer) % experts,
                        (second + layer) % experts}, new float[] {0.6f, 0.4f}, 1.0f));
            }
            return new TokenRouting(RUN, request.id, request.next, random.nextInt(32_000), phase, micros,
                    decisions);
        }
    }

    private static HikariDataSource pool(DataSource database, String application, int size) {
        var pool = new HikariConfig();
        pool.setDataSource(database);
        pool.setMaximumPoolSize(size);
        pool.setConnectionInitSql("SET application_name = '" + application + "'");
        return new HikariDataSource(pool);
    }

    /** The 1-minute load average, as {@code uptime} gives it. */
    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
