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
}
