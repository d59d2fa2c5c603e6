package io.moescope.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.events.validation.TokenView;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackedRoutingTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void consecutiveLayersAreStoredAsTheFirstLayerAndSmallIdsAsOneByte() {
        // layers 3, 4; top-2; ids (5, 9), (255, 0); weights 0.5 = 0x3800, 0.25 = 0x3400, 1 = 0x3C00, 0 = 0x0000;
        // entropies 2 = 0x4000, 1.5 = 0x3E00
        var decisions = List.of(new RouterDecision(3, new int[] {5, 9}, new float[] {0.5f, 0.25f}, 2f),
                new RouterDecision(4, new int[] {255, 0}, new float[] {1f, 0f}, 1.5f));

        assertThat(hex(decisions)).isEqualTo("00" + "0002" + "0002" + "0003" + "0509" + "ff00"
                + "3800" + "3400" + "3c00" + "0000" + "4000" + "3e00");
    }

    @Test
    void nonConsecutiveLayersAreListed() {
        // layers 1, 3; top-1; ids 7, 8; weights 1; entropies 0.5 = 0x3800, 0.25 = 0x3400
        var decisions = List.of(new RouterDecision(1, new int[] {7}, new float[] {1f}, 0.5f),
                new RouterDecision(3, new int[] {8}, new float[] {1f}, 0.25f));

        assertThat(hex(decisions)).isEqualTo("02" + "0002" + "0001" + "0001" + "0003" + "07" + "08"
                + "3c00" + "3c00" + "3800" + "3400");
    }

    @Test
    void anIdAbove255MakesEveryIdOfTheRowTwoBytes() {
        // layer 300 (0x012c); top-2; ids 256 = 0x0100, 1; weights 0.5; entropy 1
        var decisions = List.of(new RouterDecision(300, new int[] {256, 1}, new float[] {0.5f, 0.5f}, 1f));

        assertThat(hex(decisions)).isEqualTo("01" + "0001" + "0002" + "012c" + "0100" + "0001"
                + "3800" + "3800" + "3c00");
    }

    @Test
    void topEightAtThirtyTwoLayersTakesSevenHeaderBytesAndFourBytesAChoiceAndTwoALayer() {
        var decisions = new ArrayList<RouterDecision>();
        for (int layer = 0; layer < 32; layer++) {
            decisions.add(new RouterDecision(layer, new int[] {0, 1, 2, 3, 4, 5, 6, 7}, new float[8], 1f));
        }

        byte[] packed = PackedRouting.encode(TokenView.of("r", "q", 0, 0, decisions));

        assertThat(packed).hasSize(7 + 32 * 8 * 3 + 32 * 2);
        assertThat(PackedRouting.decode(packed)).usingRecursiveFieldByFieldElementComparator()
                .containsExactlyElementsOf(decisions);
    }

    @Test
    void aTokenOfIdsOnlyHasNeitherWeightsNorEntropiesButFlagsThemUnknown() {
        // flags 0c (bit 2: no weights, bit 3: no entropies); layers 3, 4; top-2; ids (5, 9), (255, 0): 13 bytes,
        // where 4 NaN weights and 2 NaN entropies took 12 more
        float[] unknown = {Float.NaN, Float.NaN};
        var decisions = List.of(RouterDecision.withoutEntropy(3, new int[] {5, 9}, unknown),
                RouterDecision.withoutEntropy(4, new int[] {255, 0}, unknown));

        assertThat(hex(decisions)).isEqualTo("0c" + "0002" + "0002" + "0003" + "0509" + "ff00");
    }

    @Test
    void unknownWeightsAndEntropiesStayUnknown() {
        var decisions = List.of(RouterDecision.withoutEntropy(0, new int[] {2}, new float[] {Float.NaN}));

        assertThat(hex(decisions)).isEqualTo("0c" + "0001" + "0001" + "0000" + "02");
        RouterDecision back = PackedRouting.decode(PackedRouting.encode(TokenView.of("r", "q", 0, 0, decisions)))
                .get(0);
        assertThat(back.weights()[0]).isNaN();
        assertThat(back.hasRouterEntropy()).isFalse();
    }

    @Test
    void unknownWeightsWithKnownEntropiesLeaveOutOnlyTheWeights() {
        // flags 04; layers 3, 4; top-2; ids (5, 9), (255, 0); entropies 2 = 0x4000, 1.5 = 0x3e00
        var decisions = List.of(new RouterDecision(3, new int[] {5, 9}, new float[] {Float.NaN, Float.NaN}, 2f),
                new RouterDecision(4, new int[] {255, 0}, new float[] {Float.NaN, Float.NaN}, 1.5f));

        assertThat(hex(decisions)).isEqualTo("04" + "0002" + "0002" + "0003" + "0509" + "ff00" + "4000" + "3e00");
    }

    @Test
    void unknownEntropiesWithKnownWeightsLeaveOutOnlyTheEntropies() {
        // flags 08; layers 3, 4; top-2; ids (5, 9), (255, 0); weights 0.5 = 0x3800, 0.25 = 0x3400, 1 = 0x3c00, 0
        var decisions = List.of(RouterDecision.withoutEntropy(3, new int[] {5, 9}, new float[] {0.5f, 0.25f}),
                RouterDecision.withoutEntropy(4, new int[] {255, 0}, new float[] {1f, 0f}));

        assertThat(hex(decisions)).isEqualTo("08" + "0002" + "0002" + "0003" + "0509" + "ff00"
                + "3800" + "3400" + "3c00" + "0000");
    }

    @Test
    void aTokenWithSomeKnownWeightsKeepsEveryWeightNaNWhereUnknown() {
        // flags 08 (entropies unknown, weights not all); layer 3's weights 0.5, 0.25, layer 4's unknown (0x7e00)
        var decisions = List.of(RouterDecision.withoutEntropy(3, new int[] {5, 9}, new float[] {0.5f, 0.25f}),
                RouterDecision.withoutEntropy(4, new int[] {255, 0}, new float[] {Float.NaN, Float.NaN}));

        assertThat(hex(decisions)).isEqualTo("08" + "0002" + "0002" + "0003" + "0509" + "ff00"
                + "3800" + "3400" + "7e00" + "7e00");
    }

    @Test
    void everyNaNWhateverItsSignOrPayloadIsAnUnknownWeight() {
        float negativeNaN = Float.intBitsToFloat(0xFFC0_0001);
        var decisions = List.of(new RouterDecision(0, new int[] {2, 3}, new float[] {negativeNaN, Float.NaN}, 1f));

        assertThat(hex(decisions)).isEqualTo("04" + "0001" + "0002" + "0000" + "0203" + "3c00");
    }

    @Test
    void theOldLayoutWithNaNWeightsAndEntropiesReadsAsTheFlaggedOne() {
        List<RouterDecision> old = PackedRouting.decode(HEX.parseHex("00" + "0002" + "0002" + "0003" + "0509" + "ff00"
                + "7e00" + "7e00" + "7e00" + "7e00" + "7e00" + "7e00"));
        List<RouterDecision> flagged = PackedRouting.decode(HEX.parseHex("0c" + "0002" + "0002" + "0003" + "0509"
                + "ff00"));

        assertThat(flagged).isEqualTo(old); // RouterDecision's equals holds NaN equal to NaN
        assertThat(flagged.get(1).expertIds()).containsExactly(255, 0);
        assertThat(flagged.get(1).weights()).containsExactly(Float.NaN, Float.NaN);
        assertThat(flagged.get(1).hasRouterEntropy()).isFalse();
    }

    @Test
    void theViewGivesTheBitsOfNaNForEveryWeightAndEntropyALeftOutSectionHeld() {
        PackedRouting.View view = new PackedRouting.View().at(HEX.parseHex("ff" + "0c" + "0001" + "0002" + "0007"
                + "0102"), 1);

        assertThat(view.weightBits(0, 1)).isEqualTo(0x7e00);
        assertThat(view.weight(0, 0)).isNaN();
        assertThat(view.entropyBits(0)).isEqualTo(0x7e00);
        assertThat(view.entropy(0)).isNaN();
        assertThat(view.expert(0, 1)).isEqualTo(2);
        assertThat(view.layer(0)).isEqualTo(7);
        assertThat(view.hasWeights()).isFalse();
    }

    @Test
    void anIdsOnlyTokenOfDeepSeekV3sShapeIsItsIdsAndSevenBytes() {
        // 58 MoE layers (3 to 60), top-8 of 256: ids of one byte, 464 of them; weights and entropies would take
        // 58 * 8 * 2 + 58 * 2 = 1044 bytes more
        var decisions = new ArrayList<RouterDecision>();
        float[] unknown = {Float.NaN, Float.NaN, Float.NaN, Float.NaN, Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        for (int layer = 3; layer <= 60; layer++) {
            decisions.add(RouterDecision.withoutEntropy(layer, new int[] {0, 32, 64, 96, 128, 160, 192, 255},
                    unknown));
        }

        byte[] packed = PackedRouting.encode(TokenView.of("r", "q", 0, 0, decisions));

        assertThat(packed).hasSize(7 + 58 * 8);
        assertThat(PackedRouting.decode(packed)).isEqualTo(decisions);
    }

    @Test
    void aTokenWithoutDecisionsIsItsHeader() {
        assertThat(hex(List.of())).isEqualTo("00" + "0000" + "0000" + "0000");
        assertThat(PackedRouting.decode(HEX.parseHex("00000000000000"))).isEmpty();
    }

    @Test
    void decodesWhatItEncodedWithWeightsRoundedToHalfPrecision() {
        var decisions = List.of(new RouterDecision(10, new int[] {1000, 3}, new float[] {0.7f, 0.3f}, 2.3f),
                new RouterDecision(12, new int[] {40, 32767}, new float[] {0.6f, 0.4f}, 0.1f));

        List<RouterDecision> back = PackedRouting.decode(PackedRouting.encode(TokenView.of("r", "q", 0, 0,
                decisions)));

        assertThat(back).extracting(RouterDecision::layer).containsExactly(10, 12);
        assertThat(back.get(0).expertIds()).containsExactly(1000, 3);
        assertThat(back.get(1).expertIds()).containsExactly(40, 32767);
        assertThat(back.get(0).weights()).containsExactly(HalfFloat.round(0.7f), HalfFloat.round(0.3f));
        assertThat(back.get(1).routerEntropy()).isEqualTo(HalfFloat.round(0.1f));
    }

    @Test
    void refusesBytesThatAreNotAPackedValue() {
        assertThatThrownBy(() -> PackedRouting.decode(HEX.parseHex("0000010001000005")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("packed routing of 8 bytes, but its header (flags 0, 1 layers, top-1) makes 12");
        assertThatThrownBy(() -> PackedRouting.decode(new byte[3]))
                .hasMessage("packed routing of 3 bytes: shorter than its 7-byte header");
        assertThatThrownBy(() -> PackedRouting.decode(HEX.parseHex("10000000000000")))
                .hasMessage("packed routing with unknown flags 16: only bits 0 to 3 are defined");
        assertThatThrownBy(() -> PackedRouting.decode(HEX.parseHex("0c00010001000005" + "7e00")))
                .hasMessage("packed routing of 10 bytes, but its header (flags 12, 1 layers, top-1) makes 8");
    }

    @Test
    void theEncoderTakesWeightsAndEntropiesThatComeAfterTheIdsAsARecordCarriesThem() {
        // layers 1, 3 (listed); top-2; ids 300 = 0x012c, 2 (two bytes each); weights 0.5 = 0x3800, 0.25 = 0x3400,
        // 1 = 0x3c00, 0 = 0x0000; entropy of layer 1 unknown (0x7e00), of layer 3 2 = 0x4000
        var encoder = new PackedRouting.Encoder();
        encoder.begin();
        encoder.decision(1, Float.NaN);
        encoder.expert(300, 0f);
        encoder.expert(2, 0f);
        encoder.weight(0, 0.5f);
        encoder.weight(1, 0.25f);
        encoder.decision(3, Float.NaN);
        encoder.expert(7, 0f);
        encoder.expert(8, 0f);
        encoder.weight(0, 1f);
        encoder.weight(1, 0f);
        encoder.entropy(2f);
        encoder.end();

        assertThat(HEX.formatHex(written(encoder))).isEqualTo("03" + "0002" + "0002" + "0001" + "0003"
                + "012c" + "0002" + "0007" + "0008" + "3800" + "3400" + "3c00" + "0000" + "7e00" + "4000");
        assertThat(encoder.maxLayer()).isEqualTo(3);
        assertThat(encoder.maxExpertId()).isEqualTo(300);
    }

    @Test
    void theEncoderLeavesOutWeightsSetUnknownAfterTheIdsAndKeepsWeightsSetKnownAfterUnknownIds() {
        // layer 1, top-2, ids 7, 8 as a record without weights gives them: weight 0 at first, then NaN
        var encoder = new PackedRouting.Encoder();
        encoder.begin();
        encoder.decision(1, Float.NaN);
        encoder.expert(7, 0f);
        encoder.expert(8, 0f);
        encoder.weight(0, Float.NaN);
        encoder.weight(1, Float.NaN);
        encoder.end();
        assertThat(HEX.formatHex(written(encoder))).isEqualTo("0c" + "0001" + "0002" + "0001" + "0708");

        encoder.begin();
        encoder.decision(1, Float.NaN);
        encoder.expert(7, Float.NaN);
        encoder.expert(8, Float.NaN);
        encoder.weight(0, 0.5f);
        encoder.weight(1, 0.25f);
        encoder.entropy(2f);
        encoder.end();
        assertThat(HEX.formatHex(written(encoder))).isEqualTo("00" + "0001" + "0002" + "0001" + "0708"
                + "3800" + "3400" + "4000");
    }

    @Test
    void aReusedEncoderForgetsTheTokenBefore() {
        var encoder = new PackedRouting.Encoder();
        encoder.begin();
        encoder.decision(5, 1f);
        encoder.expert(1000, 1f);
        encoder.decision(9, 1f);
        encoder.expert(1, 1f);
        encoder.decision(10, 1f);
        encoder.end();
        encoder.begin();
        encoder.decision(0, 2f);
        encoder.expert(5, 0.5f);
        encoder.expert(9, 0.25f);
        encoder.end();

        assertThat(HEX.formatHex(written(encoder))).isEqualTo("00" + "0001" + "0002" + "0000" + "0509"
                + "3800" + "3400" + "4000");
    }

    @Test
    void theEncoderRefusesALayerBeyondSixteenBitsNamingItAndTheBound() {
        var encoder = new PackedRouting.Encoder();
        encoder.begin();
        encoder.decision(65_536, 1f);
        encoder.expert(1, 1f);
        encoder.end();

        assertThat(encoder.problem()).isEqualTo("layer 65536 is outside the packed routing's 0..65535");
        assertThatThrownBy(encoder::size).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("layer 65536 is outside the packed routing's 0..65535");
        assertThatThrownBy(() -> encoder.write(ByteBuffer.allocate(64)))
                .hasMessage("layer 65536 is outside the packed routing's 0..65535");
    }

    @Test
    void theEncoderRefusesANegativeOrTooLargeExpertIdNamingItsLayer() {
        var encoder = new PackedRouting.Encoder();
        encoder.begin();
        encoder.decision(4, 1f);
        encoder.expert(65_536, 1f);
        encoder.end();
        assertThat(encoder.problem()).isEqualTo("layer 4: expert id 65536 is outside the packed routing's 0..65535");

        encoder.begin();
        encoder.decision(2, 1f);
        encoder.expert(-1, 1f);
        encoder.end();
        assertThat(encoder.problem()).isEqualTo("layer 2: expert id -1 is outside the packed routing's 0..65535");
    }

    @Test
    void theEncoderRefusesLayersOfUnequalTopK() {
        var encoder = new PackedRouting.Encoder();
        encoder.begin();
        encoder.decision(0, 1f);
        encoder.expert(1, 0.5f);
        encoder.expert(2, 0.5f);
        encoder.decision(1, 1f);
        encoder.expert(3, 1f);
        encoder.end();

        assertThatThrownBy(encoder::size).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("layer 1 has top-1 but layer 0 has top-2: the packed routing holds one top-k per token");
    }

    @Test
    void theEncoderWritesAtTheBuffersPositionWhereverItsArrayStarts() {
        // layer 0, entropy 1 = 0x3c00; expert 1, weight 0.5 = 0x3800: 12 bytes
        PackedRouting.Encoder encoder = oneDecision();
        ByteBuffer out = ByteBuffer.wrap(new byte[20]).position(3).slice().position(2);

        encoder.write(out);

        assertThat(out.position()).isEqualTo(14);
        assertThat(HEX.formatHex(out.array())).isEqualTo("0000000000" + "00" + "0001" + "0001" + "0000" + "01"
                + "3800" + "3c00" + "000000");
    }

    @Test
    void theEncoderRefusesABufferWithTooLittleRoomAndWritesNothingIntoIt() {
        PackedRouting.Encoder encoder = oneDecision();
        ByteBuffer out = ByteBuffer.allocate(11);

        assertThatThrownBy(() -> encoder.write(out)).isInstanceOf(BufferOverflowException.class);
        assertThat(out.position()).isZero();
        assertThat(out.array()).containsOnly(0);
    }

    private static PackedRouting.Encoder oneDecision() {
        var encoder = new PackedRouting.Encoder();
        encoder.begin();
        encoder.decision(0, 1f);
        encoder.expert(1, 0.5f);
        encoder.end();
        return encoder;
    }

    private static byte[] written(PackedRouting.Encoder encoder) {
        ByteBuffer out = ByteBuffer.allocate(encoder.size());
        encoder.write(out);
        assertThat(out.hasRemaining()).isFalse();
        return out.array();
    }

    private static String hex(List<RouterDecision> decisions) {
        return HEX.formatHex(PackedRouting.encode(TokenView.of("r", "q", 0, 0, decisions)));
    }
}
