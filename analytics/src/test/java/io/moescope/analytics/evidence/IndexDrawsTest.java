package io.moescope.analytics.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IndexDrawsTest {

    /**
     * Bounds of every kind: 1, powers of 2, just around them, token-vocabulary sizes and the largest ints, where the
     * JDK rejects candidates most often (half of them for 2^30 + 1).
     */
    private static final int[] BOUNDS = {1, 2, 3, 5, 7, 10, 31, 32, 33, 200, 1000, 24_500, 32_000, 32_768, 50_257,
        151_936, (1 << 30) - 1, 1 << 30, (1 << 30) + 1, Integer.MAX_VALUE - 1, Integer.MAX_VALUE};

    @Test
    void drawsTheSameIndicesAsTheJdksBoundedNextInt() {
        for (int bound : BOUNDS) {
            var jdk = new SplittableRandom(bound);
            var draws = new IndexDraws(bound, new SplittableRandom(bound));
            for (int i = 0; i < 100_000; i++) {
                assertThat(draws.next()).as("bound %d, draw %d", bound, i).isEqualTo(jdk.nextInt(bound));
            }
        }
    }

    @Test
    void leavesTheGeneratorWhereTheJdkLeavesIt() {
        for (int bound : BOUNDS) {
            var jdk = new SplittableRandom(-bound);
            var random = new SplittableRandom(-bound);
            var draws = new IndexDraws(bound, random);
            for (int i = 0; i < 10_000; i++) {
                draws.next();
                jdk.nextInt(bound);
            }
            assertThat(random.nextLong()).as("bound %d", bound).isEqualTo(jdk.nextLong());
        }
    }
}
