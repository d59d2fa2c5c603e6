package io.moescope.platform.metrics;

import io.moescope.analytics.suite.MetricSuite;
import io.moescope.analytics.suite.SuiteOptions;
import io.moescope.storage.counts.ExpertCountSteps;
import io.moescope.storage.rollups.RolledUpCounts;
import io.moescope.storage.routing.RoutingReader;
import io.moescope.storage.runs.RunShapes;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Not a test: the full batch suite over a stored run vs merely streaming its decisions out of PostgreSQL (the same
 * cursor, decoded into events, nothing computed). Prints both times and their ratio (target: at most 2x).
 * {@code java -cp ... io.moescope.platform.metrics.SuiteBenchmark [decisions=10000000] [layers=32] [experts=8]}
 */
public final class SuiteBenchmark {

    public static void main(String[] args) throws Exception {
        long decisions = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        int layers = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int experts = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        long tokens = decisions / layers;
        Path dir = Files.createTempDirectory("moescope-suite-bench");
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(true)
                .start()) {
            DataSource ds = pg.getPostgresDatabase();
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
            var jdbc = new JdbcTemplate(ds);
            long t = System.nanoTime();
            generate(jdbc, tokens, layers, experts);
            System.out.printf("stored %,d tokens x %d layers = %,d decisions (top-2 of %d) in %.1f s%n", tokens,
                    layers, tokens * layers, experts, (System.nanoTime() - t) / 1e9);
            var client = JdbcClient.create(ds);
            var rows = new RoutingRows(new RoutingReader(ds), new ExpertCountSteps(client));
            var service = new MetricSuiteService(new RolledUpLoads(new RunShapes(client), new RolledUpCounts(client)),
                    rows, List::of);
            var set = TokenSet.wholeRun("bench", Optional.empty());
            double read = Double.MAX_VALUE;
            double suite = Double.MAX_VALUE;
            for (int round = 0; round < 3; round++) {
                long[] seen = {0};
                t = System.nanoTime();
                rows.forEach(set, token -> seen[0] += token.decisions().size());
                double readRound = (System.nanoTime() - t) / 1e9;
                t = System.nanoTime();
                MetricSuite result = service.suite(set, SuiteOptions.defaults()).orElseThrow();
                double suiteRound = (System.nanoTime() - t) / 1e9;
                read = Math.min(read, readRound);
                suite = Math.min(suite, suiteRound);
                System.out.printf("round %d: read %,d decisions %.2f s, full suite (%d layers, %,d tokens) %.2f s%n",
                        round, seen[0], readRound, result.layers().size(), result.tokens(), suiteRound);
            }
            System.out.printf("best of 3: read %.2f s (%.2f M decisions/s), full suite %.2f s (%.2f M decisions/s),"
                    + " ratio %.2f%n", read, tokens * layers / read / 1e6, suite, tokens * layers / suite / 1e6,
                    suite / read);
        }
    }

    /** Requests of 1000 tokens, 20% prefill; a skewed router (expert 0 hot, the last one rare) so no metric is flat. */
    public static void generate(JdbcTemplate jdbc, long tokens, int layers, int experts) {
        jdbc.update("INSERT INTO run VALUES ('bench', 'bench', 'probe', 'FINISHED', 'bench', 'MixtralForCausalLM', ?, 2,"
                + " ?, (SELECT array_agg(l) FROM generate_series(0, ? - 1) l), 1, 1, now(), now(), ?)", experts, layers,
                layers, tokens);
        jdbc.execute("SET max_parallel_workers_per_gather = 0");
        String sql = """
                INSERT INTO token_routing (run_id, request_id, token_index, token_id, phase, routed_at, routing)
                SELECT 'bench', 'req-' || lpad((t / 1000)::text, 6, '0'), (t %% 1000)::int, ((t * 7919) %% 32000)::int,
                       CASE WHEN t %% 1000 < 200 THEN 0 ELSE 1 END, now() + t * interval '1 ms',
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
                FROM generate_series(0::bigint, ? - 1) t,
                     (SELECT array_agg(l::smallint ORDER BY l) AS layers FROM generate_series(0, %2$d - 1) l) ls,
                     (SELECT moescope_fp16_array(array_fill(0.5::real, ARRAY[%2$d * 2])) AS w) ws,
                     (SELECT moescope_fp16_array(array_fill(1.0::real, ARRAY[%2$d])) AS h) es""".formatted(experts, layers);
        jdbc.update(sql, tokens);
        jdbc.update("""
                INSERT INTO expert_load
                SELECT run_id, layers[(i - 1) / 2 + 1], expert_ids[i], phase, count(*)
                FROM (SELECT run_id, phase, moescope_routing_layers(routing) AS layers,
                             moescope_routing_expert_ids(routing) AS expert_ids FROM token_routing) r,
                     generate_subscripts(expert_ids, 1) i WHERE run_id = 'bench' GROUP BY 1, 2, 3, 4""");
        jdbc.execute("VACUUM ANALYZE token_routing");
    }
}
