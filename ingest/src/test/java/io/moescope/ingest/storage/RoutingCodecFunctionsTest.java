package io.moescope.ingest.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.HalfFloat;
import io.moescope.events.PackedRouting;
import io.moescope.events.RouterDecision;
import io.moescope.events.validation.TokenView;
import io.moescope.ingest.support.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The SQL functions of {@code R__routing_codec.sql} (V51's conversion of older rows, ad-hoc queries) read and pack
 * {@code token_routing.routing} exactly as the Java codec every writer and reader uses does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoutingCodecFunctionsTest {

    /** Consecutive layers; listed layers with an id above 255 and unknown weights and entropy; top-8; no decision. */
    private static final List<List<RouterDecision>> TOKENS = List.of(
            List.of(new RouterDecision(3, new int[] {5, 9}, new float[] {0.6f, 0.4f}, 2.3f),
                    new RouterDecision(4, new int[] {255, 0}, new float[] {1f, 0f}, 0.1f)),
            List.of(RouterDecision.withoutEntropy(0, new int[] {300, 2}, new float[] {Float.NaN, Float.NaN}),
                    new RouterDecision(7, new int[] {32767, 1}, new float[] {0.75f, -0f}, 65504f)),
            List.of(new RouterDecision(31, new int[] {0, 1, 2, 3, 4, 5, 6, 7},
                    new float[] {0.3f, 0.2f, 0.1f, 0.1f, 0.1f, 0.1f, 0.05f, 0.05f}, 1e-3f)),
            List.of());

    private DataSource db;

    @BeforeAll
    void migrate() {
        db = TestPostgres.createMigratedDatabase("routing_codec");
    }

    @Test
    void unpackingInSqlGivesWhatTheJavaCodecDecodes() throws SQLException {
        for (List<RouterDecision> decisions : TOKENS) {
            byte[] packed = PackedRouting.encode(TokenView.of("r", "q", 0, 0, decisions));
            List<RouterDecision> decoded = PackedRouting.decode(packed);
            var layers = new ArrayList<Short>();
            var ids = new ArrayList<Short>();
            var weights = new ArrayList<Float>();
            var entropies = new ArrayList<Float>();
            for (RouterDecision d : decoded) {
                layers.add((short) d.layer());
                Arrays.stream(d.expertIds()).forEach(id -> ids.add((short) id));
                for (float w : d.weights()) {
                    weights.add(w);
                }
                entropies.add(d.routerEntropy());
            }

            try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                    "SELECT moescope_routing_layers(?), moescope_routing_expert_ids(?), moescope_routing_weights(?),"
                            + " moescope_routing_entropies(?)")) {
                for (int i = 1; i <= 4; i++) {
                    s.setBytes(i, packed);
                }
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    assertThat((Short[]) rs.getArray(1).getArray()).containsExactlyElementsOf(layers);
                    assertThat((Short[]) rs.getArray(2).getArray()).containsExactlyElementsOf(ids);
                    assertThat((Float[]) rs.getArray(3).getArray()).containsExactlyElementsOf(weights);
                    assertThat((Float[]) rs.getArray(4).getArray()).containsExactlyElementsOf(entropies);
                }
            }
        }
    }

    @Test
    void packingInSqlGivesTheJavaCodecsBytes() throws SQLException {
        for (List<RouterDecision> decisions : TOKENS) {
            var layers = new ArrayList<Short>();
            var ids = new ArrayList<Short>();
            var weights = new ArrayList<Short>();
            var entropies = new ArrayList<Short>();
            for (RouterDecision d : decisions) {
                layers.add((short) d.layer());
                for (int j = 0; j < d.topK(); j++) {
                    ids.add((short) d.expertIds()[j]);
                    weights.add(HalfFloat.fromFloat(d.weights()[j]));
                }
                // an unknown entropy was a NULL element before V51
                entropies.add(d.hasRouterEntropy() ? HalfFloat.fromFloat(d.routerEntropy()) : null);
            }

            try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                    "SELECT moescope_routing_pack(?, ?, ?, ?)")) {
                s.setArray(1, c.createArrayOf("int2", layers.toArray()));
                s.setArray(2, c.createArrayOf("int2", ids.toArray()));
                s.setArray(3, c.createArrayOf("int2", weights.toArray()));
                s.setArray(4, c.createArrayOf("int2", entropies.toArray()));
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    assertThat(rs.getBytes(1)).as("%s", decisions)
                            .isEqualTo(PackedRouting.encode(TokenView.of("r", "q", 0, 0, decisions)));
                }
            }
        }
    }
}
