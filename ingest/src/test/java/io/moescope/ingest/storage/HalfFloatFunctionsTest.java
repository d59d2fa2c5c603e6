package io.moescope.ingest.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.HalfFloat;
import io.moescope.ingest.support.TestPostgres;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * V47's SQL functions (used to convert the rows stored before it, and for ad-hoc queries) give exactly what the Java
 * codec every writer and reader uses gives.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HalfFloatFunctionsTest {

    private DataSource db;

    @BeforeAll
    void migrate() {
        db = TestPostgres.createMigratedDatabase("half_float");
    }

    @Test
    void encodingInSqlGivesTheJavaCodecsBits() throws SQLException {
        var values = new ArrayList<>(List.of(1.0f, 0.5f, -2.0f, 0.0f, -0.0f, 65504f, 65519f, 65520f, Float.MAX_VALUE,
                0x1p-14f, 0x1p-24f, 0x1p-25f, 1.5f * 0x1p-25f, Float.MIN_VALUE, 1f + 0x1p-11f, 1f + 3 * 0x1p-11f,
                0.1f, 0.6f, 0.4f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY));
        var random = new SplittableRandom(47);
        for (int i = 0; i < 20_000; i++) {
            values.add(Float.intBitsToFloat(random.nextInt())); // every exponent, both signs
            values.add((float) random.nextDouble());             // where gate weights are
        }
        Float[] input = values.toArray(Float[]::new);

        Short[] bits = (Short[]) query("SELECT moescope_fp16_array(?::real[])", input);

        for (int i = 0; i < input.length; i++) {
            assertThat(bits[i]).as("%s", input[i]).isEqualTo(HalfFloat.fromFloat(input[i]));
        }
    }

    @Test
    void decodingInSqlGivesTheJavaCodecsValueForEveryBitPattern() throws SQLException {
        Short[] all = new Short[0x10000];
        for (int h = 0; h < all.length; h++) {
            all[h] = (short) h;
        }

        Float[] values = (Float[]) query("SELECT moescope_fp16_real_array(?::smallint[])", all);

        for (int h = 0; h < all.length; h++) {
            assertThat(Float.floatToIntBits(values[h])).as("0x%04X", h)
                    .isEqualTo(Float.floatToIntBits(HalfFloat.toFloat(all[h])));
        }
    }

    @Test
    void aNullEntropyStaysNull() throws SQLException {
        assertThat((Short[]) query("SELECT moescope_fp16_array(?::real[])", new Float[] {2.25f, null}))
                .containsExactly((short) 0x4080, null);
        assertThat((Float[]) query("SELECT moescope_fp16_real_array(?::smallint[])", new Short[] {0x4080, null}))
                .containsExactly(2.25f, null);
    }

    private Object query(String sql, Object[] array) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setArray(1, c.createArrayOf(array instanceof Float[] ? "float4" : "int2", array));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                Array result = rs.getArray(1);
                return result.getArray();
            }
        }
    }
}
