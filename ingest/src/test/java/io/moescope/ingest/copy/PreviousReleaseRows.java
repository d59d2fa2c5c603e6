package io.moescope.ingest.copy;

import io.moescope.events.HalfFloat;
import io.moescope.events.PackedRouting;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import io.moescope.events.validation.TokenView;
import io.moescope.storage.routing.TimePartitions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tokens stored as earlier releases stored them, for upgrade tests: the day partitions created first, the run's
 * volume ({@code run_volume}), and the rollups as count vectors per layer and phase, whole-run and per minute (V44's {@code layer_load} and
 * {@code layer_load_minute}, until V48 packed the minutes into grids). Weights and router entropies as the previous
 * release (V47) stored them, binary16 bits in {@code smallint[]}, or as the one before it (V46) did, {@code real[]}
 * (the float32 values captured, NaN for an unknown weight, NULL for an unknown entropy). The current writer cannot
 * write into either schema: it packs the minutes into grids.
 */
public final class PreviousReleaseRows {

    private static final String INSERT = "INSERT INTO token_routing (run_id, request_id, token_index, token_id, phase,"
            + " routed_at, layers, expert_ids, weights, router_entropy) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final String ADD_LOAD = "INSERT INTO layer_load (run_id, layer, phase, tokens) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (run_id, layer, phase)"
            + " DO UPDATE SET tokens = moescope_add_counts(layer_load.tokens, EXCLUDED.tokens)";

    private static final String ADD_MINUTE = "INSERT INTO layer_load_minute (run_id, bucket, layer, phase, tokens)"
            + " VALUES (?, TIMESTAMPTZ 'epoch' + ? * INTERVAL '1 microsecond', ?, ?, ?)"
            + " ON CONFLICT (run_id, bucket, layer, phase)"
            + " DO UPDATE SET tokens = moescope_add_counts(layer_load_minute.tokens, EXCLUDED.tokens)";

    private static final String ADD_VOLUME = "INSERT INTO run_volume (run_id, tokens, decisions, first_routed_at,"
            + " last_routed_at) VALUES (?, 1, ?, TIMESTAMPTZ 'epoch' + ? * INTERVAL '1 microsecond',"
            + " TIMESTAMPTZ 'epoch' + ? * INTERVAL '1 microsecond') ON CONFLICT (run_id) DO UPDATE SET"
            + " tokens = run_volume.tokens + 1, decisions = run_volume.decisions + EXCLUDED.decisions,"
            + " first_routed_at = LEAST(run_volume.first_routed_at, EXCLUDED.first_routed_at),"
            + " last_routed_at = GREATEST(run_volume.last_routed_at, EXCLUDED.last_routed_at)";

    private static final String INSERT_V52 = "INSERT INTO token_routing (run_id, request_id, token_index, token_id,"
            + " phase, routed_at, routing) VALUES (?, ?, ?, ?, ?, ?, ?)";

    private static final long MINUTE_MICROS = 60_000_000L;

    private PreviousReleaseRows() {
    }

    /** Writes {@code tokens} as the previous release (V47) did, in one transaction, committed. */
    public static void write(Connection connection, List<TokenRouting> tokens) throws SQLException {
        write(connection, tokens, true);
    }

    /** Writes {@code tokens} as the release before that (V46) did, weights as {@code real[]}. */
    public static void writeAsV46(Connection connection, List<TokenRouting> tokens) throws SQLException {
        write(connection, tokens, false);
    }

    /**
     * Writes the {@code token_routing} rows of {@code tokens} as V47 to V50 stored them (four arrays, before V51 packed
     * them), without rollups, in one transaction, committed: the rows of a V50 database.
     */
    public static void writeRoutingAsV50(Connection connection, List<TokenRouting> tokens) throws SQLException {
        connection.setAutoCommit(false);
        insertRows(connection, tokens, true);
        connection.commit();
        connection.setAutoCommit(true);
    }

    /**
     * Writes the {@code token_routing} rows of {@code tokens} as V51 and V52 stored them (the packed column, the run
     * and request ids in every row, before V53 gave requests keys), without rollups, in one transaction, committed.
     */
    public static void writeRoutingAsV52(Connection connection, List<TokenRouting> tokens) throws SQLException {
        connection.setAutoCommit(false);
        TokenBatch batch = TokenBatch.of(tokens);
        new TimePartitions().ensure(connection, batch.size(), batch::timestampMicros);
        try (PreparedStatement insert = connection.prepareStatement(INSERT_V52)) {
            for (TokenRouting token : tokens) {
                insert.setString(1, token.runId());
                insert.setString(2, token.requestId());
                insert.setInt(3, token.tokenIndex());
                insert.setInt(4, token.tokenId());
                insert.setShort(5, (short) token.phase().code());
                insert.setObject(6, routedAt(token));
                insert.setBytes(7, PackedRouting.encode(TokenView.of(token)));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        connection.commit();
        connection.setAutoCommit(true);
    }

    private static void write(Connection connection, List<TokenRouting> tokens, boolean binary16)
            throws SQLException {
        connection.setAutoCommit(false);
        insertRows(connection, tokens, binary16);
        addRollups(connection, tokens);
        connection.commit();
        connection.setAutoCommit(true);
    }

    private static void insertRows(Connection connection, List<TokenRouting> tokens, boolean binary16)
            throws SQLException {
        TokenBatch batch = TokenBatch.of(tokens);
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
                insert.setObject(6, routedAt(token));
                insert.setArray(7, connection.createArrayOf("int2", layers));
                insert.setArray(8, connection.createArrayOf("int2", experts));
                insert.setArray(9, binary16 ? connection.createArrayOf("int2", bits(weights))
                        : connection.createArrayOf("float4", weights));
                insert.setArray(10, binary16 ? connection.createArrayOf("int2", bits(entropy))
                        : connection.createArrayOf("float4", entropy));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * Each token counted into its run's volume, and its choices into the run's whole-run and minute vectors, as long as
     * the run's highest expert id in the batch plus one (as that release's writer made them).
     */
    private static void addRollups(Connection connection, List<TokenRouting> tokens) throws SQLException {
        Map<String, Integer> experts = new HashMap<>();
        for (TokenRouting token : tokens) {
            for (RouterDecision decision : token.decisions()) {
                for (int expert : decision.expertIds()) {
                    experts.merge(token.runId(), expert + 1, Math::max);
                }
            }
        }
        Map<LoadKey, Long[]> load = new LinkedHashMap<>();
        Map<MinuteKey, Long[]> minutes = new LinkedHashMap<>();
        for (TokenRouting token : tokens) {
            long bucket = Math.floorDiv(token.timestampMicros(), MINUTE_MICROS) * MINUTE_MICROS;
            short phase = (short) token.phase().code();
            int width = experts.get(token.runId());
            for (RouterDecision decision : token.decisions()) {
                Long[] whole = load.computeIfAbsent(new LoadKey(token.runId(), decision.layer(), phase),
                        k -> zeros(width));
                Long[] minute = minutes.computeIfAbsent(new MinuteKey(token.runId(), bucket, decision.layer(), phase),
                        k -> zeros(width));
                for (int expert : decision.expertIds()) {
                    whole[expert]++;
                    minute[expert]++;
                }
            }
        }
        try (PreparedStatement add = connection.prepareStatement(ADD_LOAD)) {
            for (var row : load.entrySet()) {
                add.setString(1, row.getKey().runId());
                add.setInt(2, row.getKey().layer());
                add.setShort(3, row.getKey().phase());
                add.setArray(4, connection.createArrayOf("int8", row.getValue()));
                add.addBatch();
            }
            add.executeBatch();
        }
        try (PreparedStatement add = connection.prepareStatement(ADD_VOLUME)) {
            for (TokenRouting token : tokens) {
                add.setString(1, token.runId());
                add.setLong(2, token.decisions().size());
                add.setLong(3, token.timestampMicros());
                add.setLong(4, token.timestampMicros());
                add.addBatch();
            }
            add.executeBatch();
        }
        try (PreparedStatement add = connection.prepareStatement(ADD_MINUTE)) {
            for (var row : minutes.entrySet()) {
                add.setString(1, row.getKey().runId());
                add.setLong(2, row.getKey().bucketMicros());
                add.setInt(3, row.getKey().layer());
                add.setShort(4, row.getKey().phase());
                add.setArray(5, connection.createArrayOf("int8", row.getValue()));
                add.addBatch();
            }
            add.executeBatch();
        }
    }

    /** The binary16 bits of each value, null kept. */
    private static OffsetDateTime routedAt(TokenRouting token) {
        return OffsetDateTime.ofInstant(Instant.EPOCH.plus(token.timestampMicros(), ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    private static Short[] bits(Float[] values) {
        Short[] bits = new Short[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = values[i] == null ? null : HalfFloat.fromFloat(values[i]);
        }
        return bits;
    }

    private static Long[] zeros(int length) {
        Long[] vector = new Long[length];
        Arrays.fill(vector, 0L);
        return vector;
    }

    private record LoadKey(String runId, int layer, short phase) {
    }

    private record MinuteKey(String runId, long bucketMicros, int layer, short phase) {
    }
}
