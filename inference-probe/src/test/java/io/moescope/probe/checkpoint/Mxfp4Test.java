package io.moescope.probe.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Mxfp4Test {

    /**
     * Row 0: bytes 0x10, 0x32, ..., 0xFE then 0x01, 0x23, ..., 0xEF (low nibble first: codes 0..15, then the pairs
     * swapped) with scale byte 128 = 2^1; e2m1 codes 0..7 are 0, 0.5, 1, 1.5, 2, 3, 4, 6 and 8..15 their negatives.
     * Row 1: every byte 0x71 (code 1 = 0.5 low, code 7 = 6 high) with scale byte 124 = 2^-3.
     */
    @Test
    void aHandWorkedBlockDequantisesLowNibbleFirstTimesItsPowerOfTwo() {
        byte[] blocks = new byte[32];
        int[] row0 = {0x10, 0x32, 0x54, 0x76, 0x98, 0xBA, 0xDC, 0xFE, 0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF};
        for (int i = 0; i < 16; i++) {
            blocks[i] = (byte) row0[i];
            blocks[16 + i] = (byte) 0x71;
        }
        float[] values = Mxfp4.dequantise(blocks, new byte[] {(byte) 128, (byte) 124}, 2);
        assertThat(values).hasSize(64);
        float[] expected = {
            0, 1, 2, 3, 4, 6, 8, 12, -0f, -1, -2, -3, -4, -6, -8, -12,
            1, 0, 3, 2, 6, 4, 12, 8, -1, -0f, -3, -2, -6, -4, -12, -8,
            0.0625f, 0.75f, 0.0625f, 0.75f, 0.0625f, 0.75f, 0.0625f, 0.75f,
            0.0625f, 0.75f, 0.0625f, 0.75f, 0.0625f, 0.75f, 0.0625f, 0.75f,
            0.0625f, 0.75f, 0.0625f, 0.75f, 0.0625f, 0.75f, 0.0625f, 0.75f,
            0.0625f, 0.75f, 0.0625f, 0.75f, 0.0625f, 0.75f, 0.0625f, 0.75f};
        assertThat(values).containsExactly(expected);
    }

    /** The encoder inverts the decoder on every code times a block's power of two; ties go to the even code. */
    @Test
    void quantisingValuesTheFormatHoldsGivesThemBackExactly() {
        float[] codes = {0, 0.5f, 1, 1.5f, 2, 3, 4, 6, -0.5f, -1, -1.5f, -2, -3, -4, -6, 6};
        float[] weight = new float[64];
        for (int i = 0; i < 32; i++) {
            weight[i] = codes[i % 16] * 4;
            weight[32 + i] = codes[i % 16] / 8;
        }
        Mxfp4.Packed packed = Mxfp4.quantise(weight, 2);
        assertThat(packed.scales()).containsExactly((byte) 129, (byte) 124);
        assertThat(Mxfp4.dequantise(packed.blocks(), packed.scales(), 2)).containsExactly(weight);
        float[] ties = new float[32];
        ties[0] = 6;
        ties[1] = 0.25f;
        ties[2] = 2.5f;
        ties[3] = -5;
        float[] back = Mxfp4.dequantise(Mxfp4.quantise(ties, 1).blocks(), Mxfp4.quantise(ties, 1).scales(), 1);
        assertThat(back).startsWith(6, 0, 2, -4);
    }

    /** Seeded Gaussian weights come back within half a step of the block's e2m1 grid. */
    @Test
    void quantisedWeightsAreWithinHalfTheirBlocksLargestStep() {
        var random = new java.util.Random(3);
        float[] weight = new float[8 * 64];
        for (int i = 0; i < weight.length; i++) {
            weight[i] = (float) random.nextGaussian();
        }
        Mxfp4.Packed packed = Mxfp4.quantise(weight, 8);
        float[] back = Mxfp4.dequantise(packed.blocks(), packed.scales(), 8);
        for (int i = 0; i < weight.length; i++) {
            // the largest step between e2m1 values is 2 (4 to 6), times the block's scale
            float scale = Math.scalb(1f, (packed.scales()[i / 32] & 0xFF) - 127);
            assertThat(Math.abs(back[i] - weight[i])).as("value %d", i).isLessThanOrEqualTo(scale);
        }
    }
}
