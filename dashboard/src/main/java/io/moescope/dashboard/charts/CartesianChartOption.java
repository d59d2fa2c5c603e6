package io.moescope.dashboard.charts;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The ECharts option of bars and lines over one category axis (layers, token indices), several named series with a
 * legend, values rounded in Java, optionally a vertical marker at one category (a stabilisation point) and a marked
 * point on a series (where that series settles).
 */
public final class CartesianChartOption {

    /** How a series is drawn; a dashed line is a reference (a random baseline). */
    public enum Style { BAR, LINE, DASHED_LINE, MARKED_LINE }

    /** One named series: one value per category; NaN leaves a gap (undefined for that category). */
    public record Series(String name, Style style, double[] values, Optional<Point> point) {
        public Series {
            values = values.clone();
        }
    }

    /** A dot on a series at the category with index {@code index}, labelled, in the series' colour. */
    public record Point(int index, String label) {
    }

    /** A vertical line at {@code category}, labelled. */
    public record Marker(String category, String label) {
    }

    private final String title;
    private final String subtitle;
    private final String xName;
    private final String yName;
    private final List<String> categories;
    private final List<Series> series;
    private final Optional<Marker> marker;
    private final int decimals;
    private final Double yMax;

    private CartesianChartOption(Builder builder) {
        title = builder.title;
        subtitle = builder.subtitle;
        xName = builder.xName;
        yName = builder.yName;
        categories = List.copyOf(builder.categories);
        series = List.copyOf(builder.series);
        marker = builder.marker;
        decimals = builder.decimals;
        yMax = builder.yMax;
    }

    public static Builder builder() {
        return new Builder();
    }

    public ObjectNode toOption() {
        ObjectNode option = ChartOptions.titled(title, subtitle);
        ChartOptions.tooltip(option).put("trigger", "axis");
        // One series needs no legend: the title and the value axis name it.
        boolean legend = series.size() > 1;
        if (legend) {
            ArrayNode names = option.putObject("legend").put("bottom", 0).putArray("data");
            series.forEach(s -> names.add(s.name()));
        }
        ChartOptions.grid(option, 70, 40, 70, legend ? 80 : 50);
        ChartOptions.categoryAxis(option.putObject("xAxis"), xName, categories, 28);
        ObjectNode yAxis = option.putObject("yAxis").put("type", "value").put("name", yName)
                .put("nameLocation", "middle").put("nameGap", 50);
        if (yMax != null) {
            yAxis.put("min", 0).put("max", yMax);
        }
        ArrayNode all = option.putArray("series");
        for (Series s : series) {
            ObjectNode node = all.addObject().put("name", s.name()).put("type", s.style() == Style.BAR ? "bar" : "line");
            if (s.style() != Style.BAR) {
                // MARKED_LINE keeps its points visible: a value between gaps is a point, not a line.
                node.put("showSymbol", s.style() == Style.MARKED_LINE);
            }
            if (s.style() == Style.DASHED_LINE) {
                node.putObject("lineStyle").put("type", "dashed");
            }
            ArrayNode data = node.putArray("data");
            for (double value : s.values()) {
                if (Double.isNaN(value)) {
                    data.addNull();
                } else {
                    data.add(ChartOptions.round(value, decimals));
                }
            }
            s.point().ifPresent(p -> markPoint(node, p, s.values()[p.index()]));
        }
        marker.ifPresent(m -> markLine(all, m));
        return option;
    }

    private static void markLine(ArrayNode series, Marker marker) {
        if (series.isEmpty()) {
            return;
        }
        ObjectNode line = ((ObjectNode) series.get(0)).putObject("markLine").put("symbol", "none");
        line.putObject("lineStyle").put("color", "#333").put("type", "solid").put("width", 2);
        line.putObject("label").put("formatter", marker.label()).put("position", "insideEndTop");
        line.putArray("data").addObject().put("xAxis", marker.category());
    }

    private void markPoint(ObjectNode series, Point point, double value) {
        ObjectNode mark = series.putObject("markPoint").put("symbol", "circle").put("symbolSize", 12);
        mark.putObject("label").put("show", true).put("position", "top").put("formatter", point.label());
        mark.putArray("data").addObject().put("name", point.label()).putArray("coord")
                .add(categories.get(point.index())).add(ChartOptions.round(value, decimals));
    }

    /** Builder in DJL's style: {@code setX} for what is required, {@code optX} for the rest. */
    public static final class Builder {
        private String title = "";
        private String subtitle = "";
        private String xName = "";
        private String yName = "";
        private List<String> categories = List.of();
        private final List<Series> series = new ArrayList<>();
        private Optional<Marker> marker = Optional.empty();
        private int decimals = 3;
        private Double yMax;

        private Builder() {
        }

        public Builder setCategories(List<String> categories) {
            this.categories = categories;
            return this;
        }

        public Builder addSeries(String name, Style style, double[] values) {
            series.add(new Series(name, style, values, Optional.empty()));
            return this;
        }

        /** A series with a dot at {@code point}. */
        public Builder addSeries(String name, Style style, double[] values, Point point) {
            series.add(new Series(name, style, values, Optional.of(point)));
            return this;
        }

        public Builder optTitle(String title, String subtitle) {
            this.title = title;
            this.subtitle = subtitle;
            return this;
        }

        /** Axis names carry the unit, e.g. "hit rate (fraction of accesses)". */
        public Builder optAxisNames(String xName, String yName) {
            this.xName = xName;
            this.yName = yName;
            return this;
        }

        public Builder optMarker(Marker marker) {
            this.marker = Optional.of(marker);
            return this;
        }

        public Builder optDecimals(int decimals) {
            this.decimals = decimals;
            return this;
        }

        /** Fixes the value axis to [0, max], for fractions that should not be zoomed into. */
        public Builder optYMax(double max) {
            this.yMax = max;
            return this;
        }

        /**
         * Fixes the value axis to [0, a round number just above the largest value], never beyond {@code bound}: for
         * a figure whose values use a small part of its range (a divergence of 0.02 bit of at most 1), which a
         * fixed [0, bound] axis would flatten. Call after the series are added.
         */
        public Builder optYMaxFitted(double bound) {
            double largest = series.stream().flatMapToDouble(s -> Arrays.stream(s.values()))
                    .filter(v -> !Double.isNaN(v)).max().orElse(0);
            this.yMax = largest > 0 ? Math.min(bound, ChartOptions.roundUp(largest)) : bound;
            return this;
        }

        public CartesianChartOption build() {
            for (Series s : series) {
                if (s.values().length != categories.size()) {
                    throw new IllegalArgumentException("series '" + s.name() + "' has " + s.values().length
                            + " values for " + categories.size() + " categories");
                }
            }
            for (Series s : series) {
                if (s.point().isPresent() && (s.point().get().index() < 0
                        || s.point().get().index() >= categories.size())) {
                    throw new IllegalArgumentException("point of series '" + s.name() + "' at index "
                            + s.point().get().index() + " is not on the axis");
                }
            }
            if (marker.isPresent() && !categories.contains(marker.get().category())) {
                throw new IllegalArgumentException("marker category '" + marker.get().category()
                        + "' is not on the axis");
            }
            return new CartesianChartOption(this);
        }
    }
}
