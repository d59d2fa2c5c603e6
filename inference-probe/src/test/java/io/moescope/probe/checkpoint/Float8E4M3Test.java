package io.moescope.probe.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.probe.checkpoint.SafetensorsWriter.Declaration;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** float8_e4m3fn bytes worked by hand, and DeepSeek-V3's block scales on a two-block weight. */
class Float8E4M3Test {

    @TempDir
    Path dir;

    @Test
    void knownBytesDecodeToTheirHandWorkedValues() {
        // 0x38: exponent 0111 = 7 (bias 7), mantissa 0 -> 1.0
        assertThat(Float8E4M3.toFloat((byte) 0x38)).isEqualTo(1.0f);
        // 0x3C: exponent 7, mantissa 100 -> 1.5
        assertThat(Float8E4M3.toFloat((byte) 0x3C)).isEqualTo(1.5f);
        // 0xC0: sign, exponent 1000 = 8 -> -2
        assertThat(Float8E4M3.toFloat((byte) 0xC0)).isEqualTo(-2.0f);
        // 0x7E: exponent 1111, mantissa 110 -> 1.75 * 2^8, the largest finite value
        assertThat(Float8E4M3.toFloat((byte) 0x7E)).isEqualTo(448.0f);
        assertThat(Float8E4M3.toFloat((byte) 0xFE)).isEqualTo(-448.0f);
        // 0x01: subnormal, 1 * 2^-9; 0x07: 7 * 2^-9; 0x08: smallest normal 2^-6
        assertThat(Float8E4M3.toFloat((byte) 0x01)).isEqualTo(0.001953125f);
        assertThat(Float8E4M3.toFloat((byte) 0x07)).isEqualTo(0.013671875f);
        assertThat(Float8E4M3.toFloat((byte) 0x08)).isEqualTo(0.015625f);
        assertThat(Float8E4M3.toFloat((byte) 0x00)).isEqualTo(0.0f);
        // "fn": no infinity, 0x7F is NaN
        assertThat(Float8E4M3.toFloat((byte) 0x7F)).isNaN();
        assertThat(Float8E4M3.toFloat((byte) 0x78)).isEqualTo(256.0f);
    }

    @Test
    void encodingRoundsToTheNearestCodeWithTiesToEven() {
        assertThat(Float8E4M3.fromFloat(1.0f)).isEqualTo((byte) 0x38);
        assertThat(Float8E4M3.fromFloat(448f)).isEqualTo((byte) 0x7E);
        // 1.0625 lies halfway between 1.0 (0x38, even) and 1.125 (0x39)
        assertThat(Float8E4M3.fromFloat(1.0625f)).isEqualTo((byte) 0x38);
        // 1.1875 lies halfway between 1.125 (0x39) and 1.25 (0x3A, even)
        assertThat(Float8E4M3.fromFloat(1.1875f)).isEqualTo((byte) 0x3A);
        assertThat(Float8E4M3.fromFloat(-0.001953125f)).isEqualTo((byte) 0x81);
        assertThatThrownBy(() -> Float8E4M3.fromFloat(449f)).hasMessageContaining("448");
    }

    @Test
    void blockScalesMultiplyEachBlockIncludingThePartialOne() {
        // A [2, 3] weight in blocks of 2 x 2: columns 0-1 form block 0, column 2 a partial block 1.
        var blocks = new BlockScales(2, 2);
        assertThat(blocks.scaleShape(2, 3)).containsExactly(1, 2);
        float[] weight = {1, 2, 3, -1, 0.5f, 448};
        float[] scaleInv = {0.25f, 10f};
        assertThat(blocks.apply(weight, 2, 3, scaleInv)).containsExactly(0.25f, 0.5f, 30f, -0.25f, 0.125f, 4480f);
        assertThat(BlockScales.DEEPSEEK_V3.scaleShape(300, 129)).containsExactly(3, 2);
    }

    @Test
    void f8E4M3TensorsRoundTripThroughASafetensorsFile() throws Exception {
        Path file = dir.resolve("fp8.safetensors");
        try (var out = SafetensorsWriter.create(file, List.of(new Declaration("w", DType.F8_E4M3, new long[] {4})))) {
            out.write("w", new float[] {1.5f, -448f, 0.001953125f, 3.3f});
        }
        try (var in = SafetensorsFile.open(file)) {
            assertThat(in.tensor("w").orElseThrow().byteSize()).isEqualTo(4);
            // 3.3 is between 3.25 (0x45) and 3.5 (0x46): nearer 3.25
            assertThat(in.floats("w")).containsExactly(1.5f, -448f, 0.001953125f, 3.25f);
        }
    }

    /** Quantising as DeepSeek did: each block's largest value becomes 448, and applying the scales undoes it. */
    @Test
    void blockQuantisationScalesEachBlocksLargestTo448AndApplyUndoesIt() {
        var blocks = new BlockScales(2, 3);
        float[] weight = {1, -2, 0.5f, 8, 3, 3, 0, 0, 0, 4};
        float[] original = weight.clone();
        // [2, 5] in blocks of 2 x 3: one full block and a partial one; the second row's own values join the first's
        float[] scaleInv = blocks.quantise(weight, 2, 5);
        assertThat(scaleInv).containsExactly(3 / 448f, 8 / 448f);
        assertThat(weight[5]).isCloseTo(448f, org.assertj.core.data.Offset.offset(1e-3f));
        assertThat(weight[3]).isCloseTo(448f, org.assertj.core.data.Offset.offset(1e-3f));
        float[] stored = new float[weight.length];
        for (int i = 0; i < weight.length; i++) {
            stored[i] = Float8E4M3.toFloat(Float8E4M3.fromFloat(weight[i]));
        }
        float[] back = blocks.apply(stored, 2, 5, scaleInv);
        for (int i = 0; i < back.length; i++) {
            // 3 mantissa bits: within 1/16 relative of the value
            assertThat(back[i]).as("value %d", i).isCloseTo(original[i], org.assertj.core.data.Offset.offset(
                    Math.abs(original[i]) / 16 + 1e-6f));
        }
    }
}
