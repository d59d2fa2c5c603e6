package io.moescope.analytics.evidence;

/**
 * A share that is a ratio of sums over units, R = sum_u y_u / sum_u x_u (y_u of the unit's x_u events had the
 * property), with its analytic 95 % interval where a bootstrap would cost too much (one per cell of a matrix). The
 * units are clusters of correlated events (requests, blocks of tokens: {@link UnitBoundary}), so the variance is
 * the ratio estimator's linearised, cluster-robust one (Cochran 1977, "Sampling Techniques", section 6.4):
 * Var(R) = n / (n - 1) * sum_u (y_u - R x_u)^2 / (sum_u x_u)^2, with
 * sum_u (y_u - R x_u)^2 = Syy - 2 R Sxy + R^2 Sxx, so that five running sums suffice and the units need not be
 * kept. The sums of counts are exact in a double up to 2^53, so the expansion loses nothing to rounding on real
 * runs; a variance rounded below 0 is read as 0.
 *
 * @param units units added (n)
 * @param sumY  sum of y_u
 * @param sumX  sum of x_u
 * @param sumYY sum of y_u^2
 * @param sumXY sum of x_u y_u
 * @param sumXX sum of x_u^2
 */
public record RatioOfSums(long units, double sumY, double sumX, double sumYY, double sumXY, double sumXX) {

    /** No unit yet. */
    public static final RatioOfSums EMPTY = new RatioOfSums(0, 0, 0, 0, 0, 0);

    /** The half-width of a normal 95 % interval in standard errors (the 97.5th percentile, rounded as usual). */
    static final double Z_95 = 1.96;

    /** These sums with one more unit. */
    public RatioOfSums plus(double y, double x) {
        return new RatioOfSums(units + 1, sumY + y, sumX + x, sumYY + y * y, sumXY + x * y, sumXX + x * x);
    }

    /** @throws IllegalArgumentException when no unit has an event (sum of x is 0) */
    public double ratio() {
        if (sumX <= 0) {
            throw new IllegalArgumentException("the ratio is undefined: no event in " + units + " unit(s)");
        }
        return sumY / sumX;
    }

    /** @throws IllegalArgumentException with fewer than 2 units, or no event */
    public double standardError() {
        if (units < 2) {
            throw new IllegalArgumentException("no interval from " + units + " unit(s): it needs at least 2");
        }
        double r = ratio();
        double squaredResiduals = Math.max(0, sumYY - 2 * r * sumXY + r * r * sumXX);
        return Math.sqrt((double) units / (units - 1) * squaredResiduals) / sumX;
    }

    /**
     * The normal 95 % interval R +- 1.96 se, clipped to [0, 1], for a ratio that is a share (y_u <= x_u).
     *
     * @param unitsInWords the units, e.g. "12 requests" ({@link UnitBoundary#describe})
     * @throws IllegalArgumentException with fewer than 2 units, or no event
     */
    public Interval shareInterval95(String unitsInWords) {
        double r = ratio();
        double halfWidth = Z_95 * standardError();
        return new Interval(Math.max(0, r - halfWidth), Math.min(1, r + halfWidth), Interval.LEVEL,
                method(unitsInWords), Math.toIntExact(units));
    }

    /** How {@link #shareInterval95} was computed, over which units. */
    public static String method(String unitsInWords) {
        return "normal approximation over " + unitsInWords + " (ratio of sums, linearised)";
    }
}
