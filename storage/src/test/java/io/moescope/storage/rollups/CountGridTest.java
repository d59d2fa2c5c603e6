package io.moescope.storage.rollups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The packed minute grid: its bytes worked out by hand from the layout in {@link CountGrid}'s documentation. */
class CountGridTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void countsBelowFifteenTakeFourBitsEachTwoToAByte() {
        var grid = new CountGrid(new int[] {0, 2}, 3, new long[] {1, 0, 2, 0, 3, 14});

        // bits 4 | 3 experts | 2 layers | no escaped count | layer ids 0, 2 | cells (1,0) (2,0) (3,14)
        assertThat(HEX.formatHex(grid.encoded())).isEqualTo("04" + "0003" + "0002" + "00" + "00000002" + "10203e");
    }

    @Test
    void aCountOfFifteenOrMoreIsEscapedAndFollowsTheCells() {
        var grid = new CountGrid(new int[] {0, 2}, 3, new long[] {1, 0, 2, 0, 3, 200});

        // escaped counts 1 byte wide | cells (1,0) (2,0) (3,escaped) | 200
        assertThat(HEX.formatHex(grid.encoded())).isEqualTo("04" + "0003" + "0002" + "01" + "00000002" + "10203f" + "c8");
    }

    @Test
    void escapedCountsAreAllAsWideAsTheLargestNeeds() {
        var grid = new CountGrid(new int[] {0}, 4, new long[] {1, 300, 2, 15});

        assertThat(HEX.formatHex(grid.encoded())).isEqualTo("04" + "0004" + "0001" + "02" + "0000" + "1f2f" + "012c000f");
    }

    @Test
    void anOddNumberOfCellsLeavesTheLastLowNibbleZero() {
        var grid = new CountGrid(new int[] {1}, 3, new long[] {1, 2, 3});

        assertThat(HEX.formatHex(grid.encoded())).isEqualTo("04" + "0003" + "0001" + "00" + "0001" + "1230");
    }

    @Test
    void whenEscapingCostsMoreEveryCellTakesTheWidthOfTheLargestCount() {
        var grid = new CountGrid(new int[] {0}, 3, new long[] {20, 30, 16});

        // 4-bit cells and three escaped bytes would be 5 bytes; a byte per cell is 3
        assertThat(HEX.formatHex(grid.encoded())).isEqualTo("08" + "0003" + "0001" + "00" + "0000" + "141e10");
    }

    @Test
    void widerCountsTakeTwoFourOrEightBytesBigEndian() {
        assertThat(HEX.formatHex(new CountGrid(new int[] {7}, 1, new long[] {256}).encoded()))
                .isEqualTo("10" + "0001" + "0001" + "00" + "0007" + "0100");
        assertThat(HEX.formatHex(new CountGrid(new int[] {7}, 1, new long[] {65_536}).encoded()))
                .isEqualTo("20" + "0001" + "0001" + "00" + "0007" + "00010000");
        assertThat(HEX.formatHex(new CountGrid(new int[] {7}, 1, new long[] {1L << 32}).encoded()))
                .isEqualTo("40" + "0001" + "0001" + "00" + "0007" + "0000000100000000");
    }

    @Test
    void decodingGivesBackTheGridAtEveryWidth() {
        for (long largest : new long[] {14, 15, 255, 65_535, 4_294_967_295L, Long.MAX_VALUE}) {
            var escaped = new CountGrid(new int[] {0, 3, 60}, 2, new long[] {0, 1, largest, 2, 3, 0});
            var wide = new CountGrid(new int[] {0, 3}, 2, new long[] {largest, largest, largest, 1});

            assertThat(CountGrid.decode(escaped.encoded())).as("one count of %d", largest).isEqualTo(escaped);
            assertThat(CountGrid.decode(wide.encoded())).as("most counts %d", largest).isEqualTo(wide);
        }
    }

    @Test
    void decodingIgnoresNothingOfAGridOfRandomCounts() {
        var random = new SplittableRandom(48);
        for (long bound : new long[] {8, 40, 300, 100_000, Long.MAX_VALUE}) {
            long[] counts = new long[3 * 7];
            for (int c = 0; c < counts.length; c++) {
                counts[c] = random.nextLong(bound);
            }
            var grid = new CountGrid(new int[] {1, 4, 9}, 7, counts);

            assertThat(CountGrid.decode(grid.encoded())).as("counts below %d", bound).isEqualTo(grid);
        }
    }

    @Test
    void addingTakesTheLayersOfBothAndTheWiderExpertCount() {
        var first = new CountGrid(new int[] {0, 2}, 2, new long[] {1, 2, 3, 4});
        var second = new CountGrid(new int[] {1, 2}, 3, new long[] {5, 0, 6, 10, 20, 30});

        assertThat(first.plus(second))
                .isEqualTo(new CountGrid(new int[] {0, 1, 2}, 3, new long[] {1, 2, 0, 5, 0, 6, 13, 24, 30}));
    }

    @Test
    void aGridOfVectorsPadsTheShorterOnesWithZeros() {
        var vectors = new TreeMap<Integer, long[]>();
        vectors.put(4, new long[] {1, 2, 3});
        vectors.put(1, new long[] {7});

        assertThat(CountGrid.of(vectors)).isEqualTo(new CountGrid(new int[] {1, 4}, 3, new long[] {7, 0, 0, 1, 2, 3}));
        assertThat(CountGrid.of(vectors).count(4, 2)).isEqualTo(3);
        assertThat(CountGrid.of(vectors).count(3, 0)).isZero();
    }

    @Test
    void layersOutOfOrderAreRefusedByName() {
        assertThatThrownBy(() -> new CountGrid(new int[] {2, 1}, 1, new long[] {1, 1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("layer ids must ascend within 0..65535: [2, 1]");
    }

    @Test
    void aCountMissingForALayerIsRefused() {
        assertThatThrownBy(() -> new CountGrid(new int[] {0, 1}, 2, new long[] {1, 1, 1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a count grid needs 1..65535 experts, at most 65535 layers and a count per layer and"
                        + " expert, not 2 layers x 2 experts with 3 counts");
    }
}
