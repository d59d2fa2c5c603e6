package io.moescope.benchmarks.tap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TapBenchResultTest {

    private static final long MS = 1_000_000;

    /**
     * The added columns are differences of two quantiles, each over its own requests: a tap quantile below the direct
     * one is noise (one slow direct request), not a tap that makes requests faster, and is marked so.
     */
    @Test
    void aNegativeDifferenceOfQuantilesIsKeptAndMarked() {
        long[] direct = {2 * MS, 3 * MS, 4 * MS, 900 * MS};
        long[] tapped = {5 * MS, 6 * MS, 7 * MS, 200 * MS};

        var result = new TapBenchResult(256, 1, direct, tapped, 100, 50, 0);

        assertThat(result.line()).isEqualTo(
                "      256       1      3.00    900.00      6.00    200.00      3.00   -700.00*     100.0       50.0"
                        + "  0.500            0");
    }

    @Test
    void aPositiveDifferenceIsUnmarked() {
        long[] direct = {2 * MS, 3 * MS, 4 * MS, 5 * MS};
        long[] tapped = {5 * MS, 6 * MS, 7 * MS, 9 * MS};

        var result = new TapBenchResult(4096, 16, direct, tapped, 100, 80, 2);

        assertThat(result.line()).isEqualTo(
                "     4096      16      3.00      5.00      6.00      9.00      3.00      4.00      100.0       80.0"
                        + "  0.800            2");
    }
}
