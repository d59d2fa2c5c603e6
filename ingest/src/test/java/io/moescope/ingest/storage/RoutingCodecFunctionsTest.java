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
import java.util.HexFormat;
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

    private static final float[] UNKNOWN = {Float.NaN, Float.NaN};

    /**
     * Consecutive layers; listed layers with an id above 255 and unknown weights and entropy; top-8; no decision;
     * ids only (no weights, no entropies: flags 0c, listed wide ids 0f); weights unknown (04); entropies unknown (08).
     */
    private static final List<List<RouterDecision>> TOKENS = List.of(
            List.of(new RouterDecision(3, new int[] {5, 9}, new float[] {0.6f, 0.4f}, 2.3f),
                    new RouterDecision(4, new int[] {255, 0}, new float[] {1f, 0f}, 0.1f)),
            List.of(RouterDecision.withoutEntropy(0, new int[] {300, 2}, UNKNOWN),
                    new RouterDecision(7, new int[] {32767, 1}, new float[] {0.75f, -0f}, 65504f)),
            List.of(new RouterDecision(31, new int[] {0, 1, 2, 3, 4, 5, 6, 7},
                    new float[] {0.3f, 0.2f, 0.1f, 0.1f, 0.1f, 0.1f, 0.05f, 0.05f}, 1e-3f)),
            List.of(),
            List.of(RouterDecision.withoutEntropy(3, new int[] {5, 9}, UNKNOWN),
                    RouterDecision.withoutEntropy(4, new int[] {255, 0}, UNKNOWN)),
            List.of(RouterDecision.withoutEntropy(2, new int[] {300, 7}, UNKNOWN),
                    RouterDecision.withoutEntropy(5, new int[] {1, 2}, UNKNOWN)),
            List.of(new RouterDecision(0, new int[] {1, 2}, UNKNOWN, 0.5f),
                    new RouterDecision(1, new int[] {3, 4}, UNKNOWN, 2f)),
            List.of(RouterDecision.withoutEntropy(1, new int[] {3}, new float[] {1f}),
                    RouterDecision.withoutEntropy(2, new int[] {4}, new float[] {0.5f})));

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

            assertThat(unpacked(packed)).as("%s", decisions).isEqualTo(List.of(layers, ids, weights, entropies));
        }
    }

    @Test
    void theFlagsAreSetAsTheTokensSay() {
        assertThat(TOKENS.stream().map(d -> PackedRouting.encode(TokenView.of("r", "q", 0, 0, d))[0]).toList())
                .containsExactly((byte) 0x00, (byte) 0x03, (byte) 0x00, (byte) 0x00, (byte) 0x0c, (byte) 0x0f,
                        (byte) 0x04, (byte) 0x08);
    }

    @Test
    void unpackingTheFormBeforeTheFlagsInSqlGivesNaNWhereTheFlaggedFormLeavesTheValuesOut() throws SQLException {
        // layers 3, 4; top-2; ids (5, 9), (255, 0); every weight and entropy NaN, with and without flags 0c
        byte[] before = HexFormat.of().parseHex("00000200020003" + "0509ff00" + "7e007e007e007e00" + "7e007e00");
        byte[] flagged = HexFormat.of().parseHex("0c000200020003" + "0509ff00");

        assertThat(unpacked(flagged)).isEqualTo(unpacked(before))
                .isEqualTo(List.of(List.of((short) 3, (short) 4), List.of((short) 5, (short) 9, (short) 255, (short) 0),
                        List.of(Float.NaN, Float.NaN, Float.NaN, Float.NaN), List.of(Float.NaN, Float.NaN)));
    }

    @Test
    void packingInSqlTakesEveryNaNsBitsAsUnknownAsTheJavaCodecTakesEveryNaN() throws SQLException {
        // 0x7e00, 0x7c01 (a signalling NaN) and 0xfe00 (a negative one): every weight unknown, flag bit 2
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT moescope_routing_pack('{0}', '{1,2,3}', ARRAY[32256, 31745, -512]::smallint[], '{15360}')");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            assertThat(HexFormat.of().formatHex(rs.getBytes(1))).isEqualTo("04" + "0001" + "0003" + "0000" + "010203"
                    + "3c00");
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

    /** The layers, ids, weights and entropies the SQL functions read from {@code packed}. */
    private List<List<?>> unpacked(byte[] packed) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT moescope_routing_layers(?), moescope_routing_expert_ids(?), moescope_routing_weights(?),"
                        + " moescope_routing_entropies(?)")) {
            for (int i = 1; i <= 4; i++) {
                s.setBytes(i, packed);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                var columns = new ArrayList<List<?>>();
                for (int i = 1; i <= 4; i++) {
                    columns.add(List.of((Object[]) rs.getArray(i).getArray()));
                }
                return columns;
            }
        }
    }
}
