package io.moescope.analytics.evidence;

/**
 * A share summed over independent units (hits of accesses over requests) with the sums its 95 % interval needs,
 * for figures too many for a {@link Bootstrap} (a warm-up curve has a point per token index: resampling a thousand
 * points a thousand times would cost seconds per layer). The interval is the normal approximation of the
 * ratio-of-sums estimator R = sum(y) / sum(x) with its linearised (cluster-robust) variance over the units,
 * n / (n - 1) * sum((y - R x)^2) / sum(x)^2, clipped to [0, 1] since R is a share. Add one unit at a time.
 *
 * @param units units added
 * @param y     sum of the numerators (hits)
 * @param x     sum of the denominators (accesses)
 * @param yy    sum of the squared numerators
 * @param xy    sum of numerator x denominator
 * @param xx    sum of the squared denominators
 */
public record RatioOfSums(long units, double y, double x, double yy, double xy, double xx) {

    /** The two-sided 97.5th percentile of the standard normal distribution. */
    private static final double Z_975 = 1.959963984540054;

    public static final RatioOfSums NONE = new RatioOfSums(0, 0, 0, 0, 0, 0);

    /** These sums with one more unit of {@code numerator} of {@code denominator}. */
    public RatioOfSums plus(double numerator, double denominator) {
        return new RatioOfSums(units + 1, y + numerator, x + denominator, yy + numerator * numerator,
                xy + numerator * denominator, xx + denominator * denominator);
    }

    /** sum(y) / sum(x); NaN when no unit has a denominator. */
    public double ratio() {
        return y / x;
    }

    /**
     * @param unitName the units in the method's words, plural ("requests")
     * @throws IllegalArgumentException with fewer than 2 units or no denominator, where no spread can be estimated
     */
    public Interval interval(String unitName) {
        if (units < 2 || x <= 0) {
            throw new IllegalArgumentException("no interval from " + units + " " + unitName + ": it needs at least"
                    + " 2 with an access");
        }
        double r = ratio();
        // sum((y - R x)^2) expanded; rounding may leave it a hair below 0 where every unit has the same share
        double residuals = Math.max(0, yy - 2 * r * xy + r * r * xx);
        double halfWidth = Z_975 * Math.sqrt((double) units / (units - 1) * residuals) / x;
        return new Interval(Math.max(0, r - halfWidth), Math.min(1, r + halfWidth), Interval.LEVEL,
                "normal approximation of a ratio of sums over " + units + " " + unitName
                        + " (linearised variance), clipped to [0, 1]", (int) Math.min(units, Integer.MAX_VALUE));
    }
}
