package io.moescope.dashboard;

import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.evidence.Interval;
import java.util.function.DoubleFunction;

/** A figure with its 95 % interval, as every view words it: "37.5 % [25.0 %, 50.0 %]". */
public final class IntervalText {

    /** What stands for an interval the data cannot give (its reason is said once, beside the table). */
    public static final String NO_INTERVAL = "[–]";

    private IntervalText() {
    }

    /** The figure and its interval in the figure's format, or the figure and {@link #NO_INTERVAL}. */
    public static String withInterval(double value, Defined<Interval> interval, DoubleFunction<String> format) {
        Interval i = interval.value();
        return format.apply(value) + " " + (i == null ? NO_INTERVAL
                : "[" + format.apply(i.low()) + ", " + format.apply(i.high()) + "]");
    }
}
