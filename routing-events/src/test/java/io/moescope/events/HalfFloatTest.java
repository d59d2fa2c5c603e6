package io.moescope.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HalfFloatTest {

    @Test
    void encodesHandComputedValues() {
        assertThat(bits(1.0f)).isEqualTo(0x3C00);
        assertThat(bits(0.5f)).isEqualTo(0x3800);
        assertThat(bits(-2.0f)).isEqualTo(0xC000);
        assertThat(bits(0.0f)).isEqualTo(0x0000);
        assertThat(bits(-0.0f)).isEqualTo(0x8000);
        assertThat(bits(65504f)).isEqualTo(0x7BFF);                // the largest finite binary16
        assertThat(bits(0x1p-14f)).isEqualTo(0x0400);              // the smallest normal
        assertThat(bits(0x1p-14f - 0x1p-24f)).isEqualTo(0x03FF);   // the largest subnormal
        assertThat(bits(0x1p-24f)).isEqualTo(0x0001);              // the smallest subnormal
        assertThat(bits(-0x1p-24f)).isEqualTo(0x8001);
        // 0.1f = 1.6 x 2^-4: exponent field 11, 0.6 x 1024 = 614.4 -> 614 = 0x266
        assertThat(bits(0.1f)).isEqualTo(0x2E66);
        // 1/3 = 1.333 x 2^-2: exponent field 13, 0.333 x 1024 = 341.3 -> 341 = 0x155
        assertThat(bits(1f / 3)).isEqualTo(0x3555);
        assertThat(bits(Float.POSITIVE_INFINITY)).isEqualTo(0x7C00);
        assertThat(bits(Float.NEGATIVE_INFINITY)).isEqualTo(0xFC00);
    }

    @Test
    void roundsToNearestAndTiesToEven() {
        assertThat(bits(1f + 0x1p-11f)).isEqualTo(0x3C00);               // halfway between 0x3C00 and 0x3C01: even
        assertThat(bits(1f + 0x1p-11f + 0x1p-20f)).isEqualTo(0x3C01);    // just above halfway
        assertThat(bits(1f + 3 * 0x1p-11f)).isEqualTo(0x3C02);           // halfway between 0x3C01 and 0x3C02: even
        assertThat(bits(65519f)).isEqualTo(0x7BFF);                      // below halfway to 65536
        assertThat(bits(65520f)).isEqualTo(0x7C00);                      // halfway: even is 65536, infinity
        assertThat(bits(Float.MAX_VALUE)).isEqualTo(0x7C00);
        assertThat(bits(0x1p-25f)).isEqualTo(0x0000);                    // halfway between 0 and 2^-24: even
        assertThat(bits(1.5f * 0x1p-25f)).isEqualTo(0x0001);
        assertThat(bits(0x1p-26f)).isEqualTo(0x0000);
        assertThat(bits(Float.MIN_VALUE)).isEqualTo(0x0000);             // a float32 subnormal
        assertThat(bits(0x1p-14f - 0x1p-25f)).isEqualTo(0x0400);         // halfway from 0x03FF up to the smallest normal
    }

    @Test
    void everyNanIsTheOneQuietNanAndReadsBackAsNan() {
        assertThat(bits(Float.NaN)).isEqualTo(0x7E00);
        assertThat(bits(Float.intBitsToFloat(0x7F80_0001))).isEqualTo(0x7E00);
        assertThat(bits(Float.intBitsToFloat(0xFFC0_0000))).isEqualTo(0x7E00);
        assertThat(HalfFloat.toFloat(HalfFloat.NaN)).isNaN();
        assertThat(HalfFloat.toFloat((short) 0xFE01)).isNaN();
    }

    @Test
    void decodesHandComputedValues() {
        assertThat(HalfFloat.toFloat((short) 0x3C00)).isEqualTo(1.0f);
        assertThat(HalfFloat.toFloat((short) 0x7BFF)).isEqualTo(65504f);
        assertThat(HalfFloat.toFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(HalfFloat.toFloat((short) 0x8001)).isEqualTo(-0x1p-24f);
        assertThat(HalfFloat.toFloat((short) 0x2E66)).isEqualTo(0.0999755859375f);
        assertThat(HalfFloat.toFloat((short) 0x3555)).isEqualTo(0.333251953125f);
        assertThat(HalfFloat.toFloat((short) 0xFC00)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(Float.floatToRawIntBits(HalfFloat.toFloat((short) 0x8000))).isEqualTo(0x8000_0000);
    }

    @Test
    void everyBinary16ValueSurvivesTheRoundTrip() {
        for (int h = 0; h < 0x10000; h++) {
            float value = HalfFloat.toFloat((short) h);
            if (!Float.isNaN(value)) {
                assertThat(bits(value)).as("0x%04X", h).isEqualTo(h);
            }
        }
    }

    @Test
    void everyBf16ValueFromTheSmallestNormalUpIsKeptExactly() {
        // bf16 is the top half of a float32; its 8 significant bits fit binary16's 11.
        for (int b = 0; b < 0x10000; b++) {
            float value = Float.intBitsToFloat(b << 16);
            float magnitude = Math.abs(value);
            if (magnitude >= 0x1p-14f && magnitude <= 65504f) {
                assertThat(HalfFloat.round(value)).as("bf16 0x%04X", b).isEqualTo(value);
            }
        }
    }

    @Test
    void aFloat32WeightIsKeptToARelative2ToTheMinus11() {
        var random = new SplittableRandom(47);
        for (int i = 0; i < 100_000; i++) {
            float weight = (float) random.nextDouble(0x1p-14, 1.0);
            assertThat(Math.abs(HalfFloat.round(weight) - weight)).as("%s", weight)
                    .isLessThanOrEqualTo(weight * 0x1p-11f);
        }
    }

    private static int bits(float value) {
        return HalfFloat.fromFloat(value) & 0xFFFF;
    }
}
