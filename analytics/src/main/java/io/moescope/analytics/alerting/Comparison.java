package io.moescope.analytics.alerting;

/** Which side of the threshold is bad. */
public enum Comparison {
    /** Breached when value &gt; threshold; cleared when value &lt;= clear threshold. */
    ABOVE,
    /** Breached when value &lt; threshold; cleared when value &gt;= clear threshold. */
    BELOW;

    public boolean breaches(double value, double threshold) {
        return this == ABOVE ? value > threshold : value < threshold;
    }

    public boolean clears(double value, double clearThreshold) {
        return this == ABOVE ? value <= clearThreshold : value >= clearThreshold;
    }

    /** The worse of two values: the larger for ABOVE, the smaller for BELOW. */
    public double worse(double a, double b) {
        return this == ABOVE ? Math.max(a, b) : Math.min(a, b);
    }
}
