package io.moescope.ui.charts;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** The ECharts option of a single-series vertical bar chart over categories, values rounded in Java. */
public final class BarChartOption {

    private final String title;
    private final String subtitle;
    private final String xName;
    private final String yName;
    private final List<String> categories;
    private final double[] values;
    private final int decimals;

    private BarChartOption(Builder builder) {
        this.title = builder.title;
        this.subtitle = builder.subtitle;
        this.xName = builder.xName;
        this.yName = builder.yName;
        this.categories = List.copyOf(builder.categories);
        this.values = builder.values.clone();
        this.decimals = builder.decimals;
    }

    public static Builder builder() {
        return new Builder();
    }

    public ObjectNode toOption() {
        ObjectNode option = JsonNodeFactory.instance.objectNode();
        option.put("animation", false);
        option.putObject("title").put("text", title).put("subtext", subtitle).put("left", "center");
        option.putObject("tooltip").put("trigger", "axis");
        option.putObject("grid").put("left", 70).put("right", 30).put("top", 70).put("bottom", 50);
        ObjectNode xAxis = option.putObject("xAxis").put("type", "category").put("name", xName)
                .put("nameLocation", "middle").put("nameGap", 28);
        ArrayNode labels = xAxis.putArray("data");
        categories.forEach(labels::add);
        option.putObject("yAxis").put("type", "value").put("name", yName).put("nameLocation", "middle")
                .put("nameGap", 50);
        ObjectNode series = option.putArray("series").addObject().put("type", "bar").put("name", yName);
        ArrayNode data = series.putArray("data");
        for (double value : values) {
            data.add(ExpertLoadHeatmap.round(value, decimals));
        }
        return option;
    }

    /** Builder in DJL's style: {@code setX} for what is required, {@code optX} for the rest. */
    public static final class Builder {
        private String title = "";
        private String subtitle = "";
        private String xName = "";
        private String yName = "";
        private List<String> categories = new ArrayList<>();
        private double[] values = new double[0];
        private int decimals = 3;

        private Builder() {
        }

        /** One label per bar, and one value per label. */
        public Builder setData(List<String> categories, double[] values) {
            this.categories = categories;
            this.values = values;
            return this;
        }

        public Builder optTitle(String title, String subtitle) {
            this.title = title;
            this.subtitle = subtitle;
            return this;
        }

        public Builder optAxisNames(String xName, String yName) {
            this.xName = xName;
            this.yName = yName;
            return this;
        }

        public Builder optDecimals(int decimals) {
            this.decimals = decimals;
            return this;
        }

        public BarChartOption build() {
            if (categories.size() != values.length) {
                throw new IllegalArgumentException(categories.size() + " categories but " + values.length + " values");
            }
            return new BarChartOption(this);
        }
    }
}
