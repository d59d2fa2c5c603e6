package io.moescope.analytics.evidence;

import java.util.SplittableRandom;

/**
 * Draws indices in [0, bound) from a {@link SplittableRandom}: exactly the values, and the calls to
 * {@link SplittableRandom#nextInt()}, of {@code random.nextInt(bound)} (the JDK's rejection of over-represented
 * candidates, {@code jdk.internal.util.random.RandomSupport.boundedNextInt}), so a bootstrap's draws stay what they
 * always were. Only the remainder is computed otherwise: by a multiplication with a reciprocal fixed once for the
 * bound (Granlund and Montgomery 1994, theorem 4.2, exact for every 31-bit candidate), where the JDK divides, the
 * slowest step of a draw that a bootstrap over tens of thousands of token ids repeats tens of millions of times.
 * {@code IndexDrawsTest} checks the sequence against the JDK's.
 */
final class IndexDraws {

    private static final int CANDIDATE_BITS = 31;

    private final SplittableRandom random;
    private final int bound;
    private final boolean powerOfTwo;
    /** floor(2^shift / bound) + 1, at most 2^32: a candidate (&lt; 2^31) times it fits a long. */
    private final long reciprocal;
    private final int shift;

    IndexDraws(int bound, SplittableRandom random) {
        if (bound < 1) {
            throw new IllegalArgumentException("bound must be >= 1 but was " + bound);
        }
        this.random = random;
        this.bound = bound;
        this.powerOfTwo = (bound & (bound - 1)) == 0;
        int ceilLog2 = Integer.SIZE - Integer.numberOfLeadingZeros(bound - 1);
        this.shift = CANDIDATE_BITS + ceilLog2;
        this.reciprocal = powerOfTwo ? 0 : (1L << shift) / bound + 1;
    }

    int next() {
        int r = random.nextInt();
        int m = bound - 1;
        if (powerOfTwo) {
            return r & m;
        }
        for (int u = r >>> 1; u + m - (r = remainder(u)) < 0; u = random.nextInt() >>> 1) {
            // a candidate from the over-represented top of the range: the JDK draws again, so this does too
        }
        return r;
    }

    /** u % bound for 0 &lt;= u &lt; 2^31. */
    private int remainder(int u) {
        int quotient = (int) ((u * reciprocal) >>> shift);
        return u - quotient * bound;
    }
}
