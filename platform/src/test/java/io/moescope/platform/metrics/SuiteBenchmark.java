package io.moescope.platform.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.moescope.analytics.judgement.RoutingJudge;
import io.moescope.analytics.suite.MetricSuite;
import io.moescope.analytics.suite.RequestSeparation;
import io.moescope.analytics.suite.SequencePass;
import io.moescope.analytics.suite.SuiteOptions;
import io.moescope.analytics.suite.SuiteState;
import io.moescope.storage.counts.ExpertCountSteps;
import io.moescope.storage.rollups.RolledUpCounts;
import io.moescope.storage.routing.RoutingReader;
import io.moescope.storage.runs.RunShapes;
import io.moescope.storage.suites.StoredSuites;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Not a test: the full batch suite over a stored run vs merely streaming its decisions out of PostgreSQL (the same
 * cursor, decoded into events, nothing computed), and vs the same suite served from the run's stored suite
 * ({@code run_metric_suite}). Prints the three times side by side, their ratios (target for the batch: at most 2x
 * the read) and the stored suite's size, JSON and gzip-compressed. Then the run is made live and its suite served
 * after each of ten appends of 10,000 tokens, its pass extended by them alone ({@code LiveRunSuites}): on the
 * request, and in the background before it, side by side, with the phases of an extension timed one by one.
 * {@code java -cp ... io.moescope.platform.metrics.SuiteBenchmark [decisions=10000000] [layers=32] [experts=8]}
 */
public final class SuiteBenchmark {

    private static final int STORED_ROUNDS = 20;
    private static final int LIVE_ROUNDS = 10;
    private static final int APPENDED_TOKENS = 10_000;
    private static final int REQUEST_TOKENS = 1000;

    public static void main(String[] args) throws Exception {
        long decisions = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        int layers = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int experts = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        long tokens = decisions / layers;
        Path dir = Files.createTempDirectory("moescope-suite-bench");
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(true)
                .start(); HikariDataSource ds = pooled(pg.getPostgresDatabase())) {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
            var jdbc = new JdbcTemplate(ds);
            long t = System.nanoTime();
            generate(jdbc, tokens, layers, experts);
            System.out.printf("stored %,d tokens x %d layers = %,d decisions (top-2 of %d) in %.1f s%n", tokens,
                    layers, tokens * layers, experts, (System.nanoTime() - t) / 1e9);
            var client = JdbcClient.create(ds);
            var rows = new RoutingRows(new RoutingReader(ds), new ExpertCountSteps(client));
            var rollups = new RolledUpLoads(new RunShapes(client), new RolledUpCounts(client));
            var service = new MetricSuiteService(rollups, rows, List::of, new StoredSuites(client),
                    Clock.systemUTC());
            var background = new MetricSuiteService(rollups, rows, List::of, new StoredSuites(client),
                    Clock.systemUTC());
            var set = TokenSet.wholeRun("bench", Optional.empty());
            double read = Double.MAX_VALUE;
            double suite = Double.MAX_VALUE;
            MetricSuite computed = null;
            for (int round = 0; round < 3; round++) {
                long[] seen = {0};
                t = System.nanoTime();
                rows.forEach(set, token -> seen[0] += token.decisions().size());
                double readRound = (System.nanoTime() - t) / 1e9;
                t = System.nanoTime();
                computed = service.computed(set, SuiteOptions.defaults()).orElseThrow();
                double suiteRound = (System.nanoTime() - t) / 1e9;
                read = Math.min(read, readRound);
                suite = Math.min(suite, suiteRound);
                System.out.printf("round %d: read %,d decisions %.2f s, full suite (%d layers, %,d tokens) %.2f s%n",
                        round, seen[0], readRound, computed.layers().size(), computed.tokens(), suiteRound);
            }
            t = System.nanoTime();
            SuiteAnswer first = service.suite(set, SuiteOptions.defaults()).orElseThrow();
            System.out.printf("first request of the ended run: computed and stored in %.2f s (stored: %b)%n",
                    (System.nanoTime() - t) / 1e9, first.computed().stored());
            var json = new ObjectMapper();
            double[] served = new double[STORED_ROUNDS];
            long jsonBytes = 0;
            SuiteAnswer answer = null;
            for (int round = 0; round < STORED_ROUNDS; round++) {
                t = System.nanoTime();
                answer = service.suite(set, SuiteOptions.defaults()).orElseThrow();
                // the API's work on top: the answer's JSON (the suite's; the web mapper adds the computed field)
                jsonBytes = json.writeValueAsBytes(answer.suite()).length;
                served[round] = (System.nanoTime() - t) / 1e9;
            }
            Arrays.sort(served);
            boolean same = json.writeValueAsString(answer.suite()).equals(json.writeValueAsString(computed));
            System.out.printf("served from the store and written as JSON (%d requests): median %.1f ms, max %.1f ms;"
                    + " stored: %b, the same JSON as computed: %b%n", STORED_ROUNDS, served[STORED_ROUNDS / 2] * 1e3,
                    served[STORED_ROUNDS - 1] * 1e3, answer.computed().stored(), same);
            System.out.printf("stored suite: %,d bytes of JSON, %,d bytes gzip-compressed%n", jsonBytes,
                    new SuiteCodec().encode(computed).length);
            System.out.printf("best of 3: read %.2f s (%.2f M decisions/s), full suite %.2f s (%.2f M decisions/s),"
                    + " ratio %.2f; served from the store %.1f ms median, %.0fx faster than the full suite%n", read,
                    tokens * layers / read / 1e6, suite, tokens * layers / suite / 1e6, suite / read,
                    served[STORED_ROUNDS / 2] * 1e3, suite / served[STORED_ROUNDS / 2]);
            live(jdbc, service, background, new Phases(rows, rollups, json), set, json, tokens, layers, experts);
        }
    }

    /**
     * The same run made live again, served by two services side by side: one extends the run's kept pass when a
     * request asks (a request that comes before the background caught up with the data), the other extends it in
     * the background after each append ({@link MetricSuiteService#refreshLiveSuites}, timed apart) and then serves
     * the request. Each first suite passes over the run whole and keeps the pass; then, round by round,
     * {@value #APPENDED_TOKENS} tokens of new requests are stored and each service asked, in turn first, and the
     * last answers are checked against the batch suite over the same tokens.
     */
    private static void live(JdbcTemplate jdbc, MetricSuiteService onRequest, MetricSuiteService background,
                             Phases phases, TokenSet set, ObjectMapper json, long tokens, int layers, int experts)
            throws Exception {
        jdbc.update("UPDATE run SET status = 'STARTED', finished_at = NULL WHERE run_id = 'bench'");
        for (MetricSuiteService service : List.of(onRequest, background)) {
            long t = System.nanoTime();
            SuiteAnswer first = service.suite(set, SuiteOptions.defaults()).orElseThrow();
            System.out.printf("live run: first suite (%s) %.2f s%n", first.computed().extended(),
                    (System.nanoTime() - t) / 1e9);
        }
        phases.start(set.runId());
        double[] extendedOnRequest = new double[LIVE_ROUNDS];
        double[] extendedInBackground = new double[LIVE_ROUNDS];
        double[] servedAfterBackground = new double[LIVE_ROUNDS];
        SuiteAnswer[] last = new SuiteAnswer[2];
        // a token of a request the run holds would make it pass over the run again: the appends start new requests
        long newRequests = (tokens + REQUEST_TOKENS - 1) / REQUEST_TOKENS * REQUEST_TOKENS;
        for (int round = 0; round < LIVE_ROUNDS; round++) {
            long from = newRequests + (long) round * APPENDED_TOKENS;
            insertTokens(jdbc, from, APPENDED_TOKENS, layers, experts);
            rollUp(jdbc, request(from));
            String load = uptimeLoad();
            for (int turn = 0; turn < 2; turn++) {
                if ((turn + round) % 2 == 0) {
                    long t = System.nanoTime();
                    last[0] = onRequest.suite(set, SuiteOptions.defaults()).orElseThrow();
                    json.writeValueAsBytes(last[0].suite());
                    extendedOnRequest[round] = (System.nanoTime() - t) / 1e9;
                } else {
                    long t = System.nanoTime();
                    background.refreshLiveSuites();
                    extendedInBackground[round] = (System.nanoTime() - t) / 1e9;
                    t = System.nanoTime();
                    last[1] = background.suite(set, SuiteOptions.defaults()).orElseThrow();
                    json.writeValueAsBytes(last[1].suite());
                    servedAfterBackground[round] = (System.nanoTime() - t) / 1e9;
                }
            }
            System.out.printf("live round %d (load %s, %s first): +%,d tokens; extended on request, served in %.0f ms"
                    + " (%s); extended in the background in %.0f ms (%s), then served in %.1f ms%n", round, load,
                    round % 2 == 0 ? "on request" : "background", APPENDED_TOKENS, extendedOnRequest[round] * 1e3,
                    last[0].computed().extended(), extendedInBackground[round] * 1e3, last[1].computed().extended(),
                    servedAfterBackground[round] * 1e3);
            System.out.println("live round " + round + " phases (ms, timed apart): " + phases.round(set.runId()));
        }
        String batch = json.writeValueAsString(onRequest.computed(set, SuiteOptions.defaults()).orElseThrow());
        System.out.printf("live run, %,d tokens appended per round (%d rounds), median / max: extended on request"
                + " %s ms; extended in the background %s ms, then served %s ms; the same JSON as the batch suite: %b"
                + " (on request), %b (background)%n", APPENDED_TOKENS, LIVE_ROUNDS, medianMax(extendedOnRequest),
                medianMax(extendedInBackground), medianMax(servedAfterBackground),
                json.writeValueAsString(last[0].suite()).equals(batch),
                json.writeValueAsString(last[1].suite()).equals(batch));
    }

    private static String medianMax(double[] seconds) {
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        return String.format("%.1f / %.1f", sorted[sorted.length / 2] * 1e3, sorted[sorted.length - 1] * 1e3);
    }

    /** The 1-minute load average, as {@code uptime} gives it, beside each round's figures. */
    private static String uptimeLoad() throws java.io.IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    /** The id of the request of token {@code t}, as {@link #insertTokens} names it. */
    private static String request(long t) {
        return "req-%06d".formatted(t / REQUEST_TOKENS);
    }

    /** Pooled, as in the application: the store's two short queries would otherwise time connection set-ups. */
    private static HikariDataSource pooled(DataSource database) {
        var pool = new HikariConfig();
        pool.setDataSource(database);
        pool.setMaximumPoolSize(2);
        return new HikariDataSource(pool);
    }

    /**
     * Requests of 1000 tokens, 20% prefill; a skewed router (expert 0 hot, the last one rare) so no metric is flat.
     * The run is FINISHED, with its rollups ({@code expert_load}, {@code run_volume}).
     */
    public static void generate(JdbcTemplate jdbc, long tokens, int layers, int experts) {
        jdbc.update("INSERT INTO run VALUES ('bench', 'bench', 'probe', 'FINISHED', 'bench', 'MixtralForCausalLM', ?, 2,"
                + " ?, (SELECT array_agg(l) FROM generate_series(0, ? - 1) l), 1, 1, now(), now(), ?)", experts, layers,
                layers, tokens);
        jdbc.execute("SET max_parallel_workers_per_gather = 0");
        insertTokens(jdbc, 0, tokens, layers, experts);
        rollUp(jdbc, "");
        jdbc.execute("VACUUM ANALYZE token_routing");
    }

    /**
     * Tokens {@code from} .. {@code from + count - 1} of the run, token t in request t / 1000, routed a day ago plus
     * t ms (long quiet: a live run's suite commits their requests).
     */
    private static void insertTokens(JdbcTemplate jdbc, long from, long count, int layers, int experts) {
        String sql = """
                INSERT INTO token_routing_named (run_id, request_id, token_index, token_id, phase, routed_at, routing)
                SELECT 'bench', 'req-' || lpad((t / %3$d)::text, 6, '0'), (t %% %3$d)::int, ((t * 7919) %% 32000)::int,
                       CASE WHEN t %% %3$d < %3$d / 5 THEN 0 ELSE 1 END,
                       now() - interval '1 day' + t * interval '1 ms',
                       moescope_routing_pack(ls.layers,
                       (SELECT array_agg(e ORDER BY l, j) FROM (
                            SELECT l, 0 AS j, (CASE WHEN (t * 31 + l * 17) %% 10 < 4 THEN 0
                                                    ELSE (t * 13 + l * 7) %% %1$d END)::smallint AS e
                            FROM generate_series(0, %2$d - 1) l
                            UNION ALL
                            SELECT l, 1, ((CASE WHEN (t * 31 + l * 17) %% 10 < 4 THEN 0
                                                ELSE (t * 13 + l * 7) %% %1$d END) + 1 + (t * 3 + l) %% (%1$d - 2))
                                          %% %1$d
                            FROM generate_series(0, %2$d - 1) l) d)::smallint[],
                       ws.w, es.h)
                FROM generate_series(?::bigint, ? - 1) t,
                     (SELECT array_agg(l::smallint ORDER BY l) AS layers FROM generate_series(0, %2$d - 1) l) ls,
                     (SELECT moescope_fp16_array(array_fill(0.5::real, ARRAY[%2$d * 2])) AS w) ws,
                     (SELECT moescope_fp16_array(array_fill(1.0::real, ARRAY[%2$d])) AS h) es"""
                .formatted(experts, layers, REQUEST_TOKENS);
        jdbc.update(sql, from, from + count);
    }

    /**
     * Adds the tokens of the run's requests from {@code fromRequest} on (in request order) to its rollups
     * ({@code layer_load}, {@code run_volume}), as ingest adds a batch: counted once, whatever the run holds already.
     */
    private static void rollUp(JdbcTemplate jdbc, String fromRequest) {
        jdbc.update("""
                INSERT INTO layer_load
                SELECT run_id, layer, phase, moescope_counts_vector(array_agg(expert), array_agg(tokens))
                FROM (SELECT run_id, layers[(i - 1) / 2 + 1] AS layer, expert_ids[i]::int AS expert, phase,
                             count(*) AS tokens
                      FROM (SELECT run_id, phase, moescope_routing_layers(routing) AS layers,
                                   moescope_routing_expert_ids(routing) AS expert_ids
                            FROM token_routing_named WHERE run_id = 'bench' AND request_id >= ?
                            OFFSET 0) r, -- decoded once a row: flattened, each subscript would decode it again
                           generate_subscripts(expert_ids, 1) i
                      GROUP BY 1, 2, 3, 4) c
                GROUP BY run_id, layer, phase
                ON CONFLICT (run_id, layer, phase)
                DO UPDATE SET tokens = moescope_add_counts(layer_load.tokens, EXCLUDED.tokens)""", fromRequest);
        jdbc.update("""
                INSERT INTO run_volume (run_id, tokens, decisions, first_routed_at, last_routed_at)
                SELECT run_id, count(*), sum(cardinality(moescope_routing_layers(routing))), min(routed_at),
                       max(routed_at)
                FROM token_routing_named WHERE run_id = 'bench' AND request_id >= ? GROUP BY run_id
                ON CONFLICT (run_id) DO UPDATE SET tokens = run_volume.tokens + EXCLUDED.tokens,
                    decisions = run_volume.decisions + EXCLUDED.decisions,
                    last_routed_at = greatest(run_volume.last_routed_at, EXCLUDED.last_routed_at)""", fromRequest);
        jdbc.execute("VACUUM ANALYZE token_routing");
    }

    /**
     * The phases of serving a live run's suite, timed one by one on a state of the benchmark's own, kept beside the
     * service's and fed the same tail: where the time of a round goes, and which phase grows with the run.
     */
    private static final class Phases {
        private final RoutingRows rows;
        private final RolledUpLoads rollups;
        private final ObjectMapper json;
        private RunShapes.Shape shape;
        private SuiteState state;

        Phases(RoutingRows rows, RolledUpLoads rollups, ObjectMapper json) {
            this.rows = rows;
            this.rollups = rollups;
            this.json = json;
        }

        /** Keeps a pass over the whole run, untimed. */
        void start(String runId) {
            shape = rollups.shape(runId).orElseThrow();
            int n = shape.numExperts();
            state = new SuiteState(new SequencePass(n, shape.firstMoeLayer(),
                    SuiteOptions.defaults().warmupSettings(n), false,
                    RequestSeparation.of(shape.requestsNotSeparable())));
            SuiteState.Extension whole = state.extend(request -> true);
            rows.forEachAfter(runId, state.lastCommittedRequest(), whole);
            whole.pass();
        }

        /** One extension by the run's new requests, phase by phase. */
        String round(String runId) throws Exception {
            var took = new java.util.LinkedHashMap<String, Double>();
            long t = System.nanoTime();
            var tail = new java.util.ArrayList<io.moescope.events.TokenRouting>();
            rows.forEachAfter(runId, state.lastCommittedRequest(), tail::add);
            t = lap(took, "read " + tail.size() + " tokens", t);
            SuiteState.Extension extension = state.extend(request -> true);
            tail.forEach(extension);
            t = lap(took, "extend", t);
            SequencePass pass = extension.pass();
            t = lap(took, "commit last request + copy", t);
            pass.copy();
            t = lap(took, "copy alone", t);
            pass.finish();
            t = lap(took, "finish", t);
            int n = shape.numExperts();
            var loads = rollups.of(runId, Optional.empty(), n);
            t = lap(took, "rollup loads", t);
            MetricSuite suite = MetricSuite.of(runId, "bench", n, shape.topK(), loads, "expert_load rollup", pass,
                    SuiteOptions.defaults().tau(), new RoutingJudge(List.of(), runId));
            t = lap(took, "compose (intervals)", t);
            json.writeValueAsBytes(suite);
            lap(took, "JSON", t);
            var text = new StringBuilder();
            took.forEach((phase, ms) -> text.append(text.isEmpty() ? "" : ", ").append(phase).append(' ')
                    .append(String.format("%.1f", ms)));
            return text.toString();
        }

        private static long lap(java.util.Map<String, Double> took, String phase, long since) {
            long now = System.nanoTime();
            took.put(phase, (now - since) / 1e6);
            return now;
        }
    }
}
