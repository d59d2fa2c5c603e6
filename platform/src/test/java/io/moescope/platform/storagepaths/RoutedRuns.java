package io.moescope.platform.storagepaths;

import io.moescope.events.ModelIdentity;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.RunLifecycle;
import io.moescope.events.RunStatus;
import io.moescope.events.TokenRouting;
import io.moescope.ingest.copy.PreviousReleaseRows;
import io.moescope.ingest.copy.TokenRoutingCopyWriter;
import io.moescope.storage.runs.RunLifecycleWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Two runs, {@code PREFIX-a} and {@code PREFIX-b}, written as ingest writes them (the lifecycle writer, then the
 * token writer's binary COPY and rollups), spread over chunks: one request on each of {@link #DAYS} days, so
 * token_routing (a chunk or partition per day) gets three and load_grid_minute (a chunk per 7 days) two.
 *
 * <p>Model: 8 experts, top-2, 4 MoE layers. Request {@code req-d} has {@link #TOKENS_PER_REQUEST} tokens 20 s
 * apart from day d 00:00 UTC (2024-01-01 + d), the first 10 prefill. Token i at layer l picks experts
 * (i + l) % 8 and (i + l + shift) % 8, shift 1 in run a and 3 in run b, with weights 0.7 and 0.3 and a router
 * entropy of 1.3 (none of them a binary16 value: stored, they are rounded, by the writer or by V47's conversion),
 * the entropy unknown at odd layers.
 */
final class RoutedRuns {

    static final int[] DAYS = {0, 1, 9};
    static final int TOKENS_PER_REQUEST = 40;
    static final int LAYERS = 4;
    static final int EXPERTS = 8;

    private static final long T0_MICROS = 1_704_067_200_000_000L;   // 2024-01-01T00:00:00Z
    private static final long DAY_MICROS = 86_400_000_000L;
    private static final int PREFILL = 10;
    private static final ModelIdentity MODEL = new ModelIdentity("storage-paths", "MixtralForCausalLM", EXPERTS, 2,
            LAYERS, List.of(0, 1, 2, 3), 1_000_000L, 250_000L);

    private RoutedRuns() {
    }

    /** Writes the runs as ingest writes them. */
    static void write(DataSource db, String prefix) throws SQLException {
        write(db, prefix, (c, tokens) -> {
            c.setAutoCommit(false);
            new TokenRoutingCopyWriter().write(c, tokens);
            c.commit();
            c.setAutoCommit(true);
        });
    }

    /** Writes the runs as the previous release's ingest wrote them, into a database of that release. */
    static void writeAsPreviousRelease(DataSource db, String prefix) throws SQLException {
        write(db, prefix, PreviousReleaseRows::write);
    }

    private static void write(DataSource db, String prefix, TokenWriter writer) throws SQLException {
        write(db, prefix + "-a", 1, writer);
        write(db, prefix + "-b", 3, writer);
    }

    private static void write(DataSource db, String runId, int shift, TokenWriter writer) throws SQLException {
        var lifecycle = new RunLifecycleWriter();
        try (Connection c = db.getConnection()) {
            lifecycle.write(c, event(runId, RunStatus.STARTED, T0_MICROS - 1_000_000L, 0));
            writer.write(c, tokens(runId, shift));
            long tokens = (long) DAYS.length * TOKENS_PER_REQUEST;
            lifecycle.write(c, event(runId, RunStatus.FINISHED, T0_MICROS + 10 * DAY_MICROS, tokens));
        }
    }

    @FunctionalInterface
    private interface TokenWriter {
        void write(Connection connection, List<TokenRouting> tokens) throws SQLException;
    }

    private static RunLifecycle event(String runId, RunStatus status, long micros, long tokens) {
        return new RunLifecycle(runId, "storage paths " + runId.substring(runId.length() - 1), status, micros,
                "probe", MODEL, tokens);
    }

    private static List<TokenRouting> tokens(String runId, int shift) {
        var tokens = new ArrayList<TokenRouting>();
        for (int day : DAYS) {
            for (int i = 0; i < TOKENS_PER_REQUEST; i++) {
                var decisions = new ArrayList<RouterDecision>(LAYERS);
                for (int l = 0; l < LAYERS; l++) {
                    decisions.add(new RouterDecision(l, new int[] {(i + l) % EXPERTS, (i + l + shift) % EXPERTS},
                            new float[] {0.7f, 0.3f}, l % 2 == 0 ? 1.3f : Float.NaN));
                }
                tokens.add(new TokenRouting(runId, "req-" + day, i, 1000 + i, i < PREFILL ? Phase.PREFILL
                        : Phase.DECODE, T0_MICROS + day * DAY_MICROS + i * 20_000_000L, decisions));
            }
        }
        return tokens;
    }
}
