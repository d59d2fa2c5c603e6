package io.moescope.dashboard.charts;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The parts every chart option shares: a still, titled chart, labelled category axes and values rounded in Java. */
final class ChartOptions {

    private ChartOptions() {
    }

    /** A chart without animation (redrawn on every live refresh) and a centred title over its subtitle. */
    static ObjectNode titled(String title, String subtitle) {
        ObjectNode option = JsonNodeFactory.instance.objectNode();
        option.put("animation", false);
        option.putObject("title").put("text", title).put("subtext", subtitle).put("left", "center");
        return option;
    }

    /**
     * The chart's tooltip, kept inside the chart: near an edge ECharts would place it partly outside, where the
     * page's layout clips it.
     */
    static ObjectNode tooltip(ObjectNode option) {
        return option.putObject("tooltip").put("confine", true);
    }

    /** Margins in pixels, room for the axis names and whatever sits below the plot (legend, colour scale). */
    static void grid(ObjectNode option, int left, int right, int top, int bottom) {
        option.putObject("grid").put("left", left).put("right", right).put("top", top).put("bottom", bottom);
    }

    /** A category axis named (with its unit) in the middle, {@code gap} pixels from the labels. */
    static ObjectNode categoryAxis(ObjectNode axis, String name, List<String> labels, int gap) {
        axis.put("type", "category").put("name", name).put("nameLocation", "middle").put("nameGap", gap);
        ArrayNode data = axis.putArray("data");
        labels.forEach(data::add);
        return axis;
    }

    /** Rounded here so the page carries short numbers and tooltips show what tables show. */
    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    /** The smallest of 1, 2, 2.5, 5 times a power of ten that is at least {@code value} (> 0): an axis end. */
    static double roundUp(double value) {
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * power >= value * (1 - 1e-12)) {
                // Rounded: 3 x 0.1 is not 0.3 in binary, and the axis would print the difference.
                return round(step * power, 12);
            }
        }
        return 10 * power;
    }
}
