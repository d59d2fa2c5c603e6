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

        // 3 B of 4-bit cells beat 1 bit (1 B + 4 escaped), 2 bits (2 + 2), 3 bits (3 + 1) and 5 or more (4 B or more)
        // bits 4 | 3 experts | 2 layers | no escaped count | layer ids 0, 2 | cells (1,0) (2,0) (3,14)
        assertThat(HEX.formatHex(grid.encoded())).isEqualTo("04" + "0003" + "0002" + "00" + "00000002" + "10203e");
    }

    @Test
    void aCountOfFifteenOrMoreIsEscapedAndFollowsTheCells() {
        var grid = new CountGrid(new int[] {0, 2}, 3, new long[] {1, 0, 2, 0, 3, 200});

        // 2, 3 and 4 bits all take 3 + 1 B: the most bits | escaped counts 1 byte wide | cells (1,0) (2,0) (3,15) | 200
        assertThat(HEX.formatHex(grid.encoded())).isEqualTo("04" + "0003" + "0002" + "01" + "00000002" + "10203f" + "c8");
    }

    @Test
    void escapedCountsAreAllAsWideAsTheLargestNeedsAndCellsMaySpanTwoBytes() {
        var grid = new CountGrid(new int[] {0}, 4, new long[] {1, 300, 2, 15});

        // 1 bit: 1+8 B, 2 bits: 1+4, 3: 2+4, 4: 2+4, 5: 3+2, 6: 3+2, 7: 4+2, 8: 4+2, 16-bit counts: 8; the most bits
        // among the smallest: 6-bit cells 000001 111111 000010 001111, then 300 in two bytes
        assertThat(HEX.formatHex(grid.encoded())).isEqualTo("06" + "0004" + "0001" + "02" + "0000" + "07f08f" + "012c");
    }

    @Test
    void theLastByteOfPackedCellsIsPaddedWithZeroBits() {
        var grid = new CountGrid(new int[] {1}, 3, new long[] {1, 2, 3});

        // 2 to 5 bits all take 2 bytes; 5-bit cells 00001 00010 00011 and one zero bit
        assertThat(HEX.formatHex(grid.encoded())).isEqualTo("05" + "0003" + "0001" + "00" + "0001" + "0886");
    }

    @Test
    void cellsTakeTheFewestBytesWithTheCountsTheyEscape() {
        var grid = new CountGrid(new int[] {0}, 3, new long[] {20, 30, 16});

        // 1 or 2 bits and three escaped bytes: 4 B; 5 bits hold all three in 2 B: 10100 11110 10000 0
        assertThat(HEX.formatHex(grid.encoded())).isEqualTo("05" + "0003" + "0001" + "00" + "0000" + "a7a0");
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

    /** Cells of 1 to 8 bits at every offset in a byte, the last one in the last byte or spanning into escapes. */
    @Test
    void decodingGivesBackGridsOfEveryPackedWidthAndLength() {
        var random = new SplittableRandom(49);
        for (int bits = 1; bits <= 8; bits++) {
            for (int experts = 1; experts <= 17; experts++) {
                long[] counts = new long[2 * experts];
                for (int c = 0; c < counts.length; c++) {
                    counts[c] = random.nextLong(1L << bits);
                }
                var grid = new CountGrid(new int[] {2, 5}, experts, counts);

                assertThat(CountGrid.decode(grid.encoded())).as("%d bits, %d experts", bits, experts).isEqualTo(grid);
            }
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
