package io.moescope.ingest.copy;

import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import io.moescope.storage.routing.TimePartitions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Tokens stored as the previous release (V45 schema) stored them, for upgrade tests: weights and router entropies as
 * {@code real[]} (the float32 values captured, NaN for an unknown weight, NULL for an unknown entropy), the day
 * partitions created first and the rollups counted by the writer's own {@link BatchRollups}, which the upgrade does
 * not touch. The current writer cannot write into that schema: it sends binary16 bits (V47).
 */
public final class PreviousReleaseRows {

    private static final String INSERT = "INSERT INTO token_routing (run_id, request_id, token_index, token_id, phase,"
            + " routed_at, layers, expert_ids, weights, router_entropy) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private PreviousReleaseRows() {
    }

    /** Writes {@code tokens} in one transaction, committed. */
    public static void write(Connection connection, List<TokenRouting> tokens) throws SQLException {
        TokenBatch batch = TokenBatch.of(tokens);
        connection.setAutoCommit(false);
        new TimePartitions().ensure(connection, batch.size(), batch::timestampMicros);
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (TokenRouting token : tokens) {
                List<RouterDecision> decisions = token.decisions();
                int k = decisions.isEmpty() ? 0 : decisions.get(0).expertIds().length;
                Short[] layers = new Short[decisions.size()];
                Short[] experts = new Short[decisions.size() * k];
                Float[] weights = new Float[decisions.size() * k];
                Float[] entropy = new Float[decisions.size()];
                for (int d = 0; d < decisions.size(); d++) {
                    RouterDecision decision = decisions.get(d);
                    layers[d] = (short) decision.layer();
                    entropy[d] = decision.hasRouterEntropy() ? decision.routerEntropy() : null;
                    for (int j = 0; j < k; j++) {
                        experts[d * k + j] = (short) decision.expertIds()[j];
                        weights[d * k + j] = decision.weights()[j];
                    }
                }
                insert.setString(1, token.runId());
                insert.setString(2, token.requestId());
                insert.setInt(3, token.tokenIndex());
                insert.setInt(4, token.tokenId());
                insert.setShort(5, (short) token.phase().code());
                insert.setObject(6, OffsetDateTime.ofInstant(Instant.EPOCH.plus(token.timestampMicros(), ChronoUnit.MICROS),
                        ZoneOffset.UTC));
                insert.setArray(7, connection.createArrayOf("int2", layers));
                insert.setArray(8, connection.createArrayOf("int2", experts));
                insert.setArray(9, connection.createArrayOf("float4", weights));
                insert.setArray(10, connection.createArrayOf("float4", entropy));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        BatchRollups.of(batch).upsert(connection);
        connection.commit();
        connection.setAutoCommit(true);
    }
}
