package io.moescope.ingest.copy;

import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import io.moescope.ingest.support.TestPostgres;
import io.moescope.ingest.support.Tokens;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Throughput of {@link TokenRoutingCopyWriter} against the embedded PostgreSQL: not a specification, so it runs
 * only with {@code -Dmoescope.benchmark=true}:
 * {@code mvn -o -q -pl ingest test -Dtest=TokenRoutingCopyWriterBenchmark -Dmoescope.benchmark=true}.
 * Results go to the test's output file (target/surefire-reports).
 */
@EnabledIfSystemProperty(named = "moescope.benchmark", matches = "true")
class TokenRoutingCopyWriterBenchmark {

    private static final int LAYERS = 32;
    private static final int EXPERTS = 64;

    @Test
    void decisionsPerSecond() throws SQLException {
        DataSource db = TestPostgres.createMigratedDatabase("copy_bench");
        var writer = new TokenRoutingCopyWriter();
        for (int topK : new int[] {2, 8}) {
            for (int batchSize : new int[] {2_000, 10_000}) {
                truncate(db);
                List<List<TokenRouting>> batches = batches(topK, batchSize, 100_000 / batchSize);
                writeAll(db, writer, batches.subList(0, 2)); // warm-up
                truncate(db);
                long start = System.nanoTime();
                writeAll(db, writer, batches);
                double seconds = (System.nanoTime() - start) / 1e9;
                long tokens = (long) batches.size() * batchSize;
                long decisions = tokens * LAYERS;
                long bytes = size(db);
                long replayStart = System.nanoTime();
                writeAll(db, writer, batches);
                double replaySeconds = (System.nanoTime() - replayStart) / 1e9;
                System.out.printf("top-%d, %,6d tokens/batch: %,.0f tokens/s, %,.2f M decisions/s, %.1f B/decision"
                                + " (table+PK); replay of the same batches %,.2f M decisions/s%n", topK, batchSize,
                        tokens / seconds, decisions / seconds / 1e6, (double) bytes / decisions,
                        decisions / replaySeconds / 1e6);
            }
        }
    }

    private static List<List<TokenRouting>> batches(int topK, int batchSize, int count) {
        var random = new Random(42);
        var batches = new ArrayList<List<TokenRouting>>(count);
        int index = 0;
        for (int b = 0; b < count; b++) {
            var batch = new ArrayList<TokenRouting>(batchSize);
            for (int t = 0; t < batchSize; t++, index++) {
                var decisions = new ArrayList<RouterDecision>(LAYERS);
                for (int l = 0; l < LAYERS; l++) {
                    int[] experts = new int[topK];
                    float[] weights = new float[topK];
                    for (int j = 0; j < topK; j++) {
                        experts[j] = random.nextInt(EXPERTS);
                        weights[j] = random.nextFloat();
                    }
                    decisions.add(new RouterDecision(l, experts, weights, random.nextFloat() * 4));
                }
                batch.add(new TokenRouting("bench-run", "req-" + index / 1000, index % 1000, index,
                        Phase.DECODE, Tokens.T0_MICROS + index, decisions));
            }
            batches.add(batch);
        }
        return batches;
    }

    private static void writeAll(DataSource db, TokenRoutingCopyWriter writer, List<List<TokenRouting>> batches)
            throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            for (List<TokenRouting> batch : batches) {
                writer.write(c, batch);
                c.commit();
            }
        }
    }

    private static void truncate(DataSource db) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE token_routing, layer_load, load_grid_minute, load_grid_current,"
                    + " load_grid_hour, run_volume");
        }
    }

    private static long size(DataSource db) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_total_relation_size('token_routing')")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
