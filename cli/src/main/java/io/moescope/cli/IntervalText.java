package io.moescope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** A figure and its 95 % interval as the analysis commands print them. */
final class IntervalText {

    private IntervalText() {
    }

    /**
     * "  1.300 [1.210, 1.420]": the figure in its column and its interval in the figure's precision; the figure alone
     * where the interval is undefined (the caller prints the reason once).
     *
     * @param defined the API's {@code {"value": {low, high, ...}}} or {@code {"value": null, "reason": ...}}
     */
    static String withInterval(double value, JsonNode defined, String format) {
        JsonNode interval = defined.path("value");
        String figure = String.format(Locale.ROOT, format, value);
        String bound = "%." + format.substring(format.indexOf('.') + 1);
        return interval.isObject() ? figure + " [" + String.format(Locale.ROOT, bound, interval.path("low").asDouble())
                + ", " + String.format(Locale.ROOT, bound, interval.path("high").asDouble()) + "]" : figure;
    }

    /** How an interval was computed ("bootstrap over 12 requests"), or "undefined, REASON". */
    static String method(JsonNode defined) {
        JsonNode interval = defined.path("value");
        return interval.isObject() ? interval.path("method").asText() : UndefinedFigure.describe(defined);
    }
}
