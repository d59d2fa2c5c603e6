package io.moescope.dashboard.charts;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The ECharts option of a heatmap of any matrix (co-activation, a difference of shares) with a continuous colour
 * scale. A diverging scale is symmetric around 0 (blue below, red above), for signed differences; a sequential one
 * runs from white at {@code min} to dark red at {@code max}. Each cell is {@code [column, row, value]}.
 */
public final class MatrixHeatmapOption {

    private static final String[] SEQUENTIAL = {"#fff5f0", "#fcbba1", "#fb6a4a", "#cb181d", "#67000d"};
    private static final String[] DIVERGING = {"#2166ac", "#67a9cf", "#f7f7f7", "#ef8a62", "#b2182b"};

    private final String title;
    private final String subtitle;
    private final String xName;
    private final String yName;
    private final String valueName;
    private final List<String> columns;
    private final List<String> rows;
    private final double[][] values;
    private final boolean diverging;
    private final double min;
    private final double max;
    private final int decimals;

    private MatrixHeatmapOption(Builder b) {
        title = b.title;
        subtitle = b.subtitle;
        xName = b.xName;
        yName = b.yName;
        valueName = b.valueName;
        columns = List.copyOf(b.columns);
        rows = List.copyOf(b.rows);
        values = b.values;
        diverging = b.diverging;
        double extent = 0;
        for (double[] row : values) {
            for (double v : row) {
                extent = Math.max(extent, Math.abs(v));
            }
        }
        // An all-zero matrix still needs a non-empty colour range.
        extent = extent == 0 ? 1 : extent;
        min = diverging ? -extent : b.min;
        max = diverging ? extent : b.max;
        decimals = b.decimals;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The colour scale's range: symmetric for a diverging scale (the largest magnitude), as set otherwise. */
    public double[] range() {
        return new double[] {min, max};
    }

    public String suggestedHeight() {
        return Math.max(320, 18 * rows.size() + 190) + "px";
    }

    public ObjectNode toOption() {
        ObjectNode option = ChartOptions.titled(title, subtitle);
        ChartOptions.tooltip(option).put("position", "top").put("formatter", "@cell");
        ChartOptions.grid(option, 70, 30, 80, 100);
        ChartOptions.categoryAxis(option.putObject("xAxis"), xName, columns, 26).putObject("splitArea")
                .put("show", true);
        ChartOptions.categoryAxis(option.putObject("yAxis"), yName, rows, 40).put("inverse", true);
        ObjectNode visualMap = option.putObject("visualMap").put("type", "continuous").put("dimension", 2)
                .put("min", ChartOptions.round(min, decimals)).put("max", ChartOptions.round(max, decimals))
                .put("calculable", true).put("orient", "horizontal").put("left", "center").put("bottom", 8);
        visualMap.putArray("text").add(valueName + " " + ChartOptions.round(max, decimals))
                .add(String.valueOf(ChartOptions.round(min, decimals)));
        ArrayNode colours = visualMap.putObject("inRange").putArray("color");
        for (String colour : diverging ? DIVERGING : SEQUENTIAL) {
            colours.add(colour);
        }
        ObjectNode series = option.putArray("series").addObject().put("type", "heatmap").put("name", valueName);
        series.putArray("dimensions").add(xName).add(yName).add(valueName);
        ArrayNode data = series.putArray("data");
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < columns.size(); c++) {
                data.addArray().add(c).add(r).add(ChartOptions.round(values[r][c], decimals));
            }
        }
        return option;
    }


    /** Builder in DJL's style: {@code setX} for what is required, {@code optX} for the rest. */
    public static final class Builder {
        private String title = "";
        private String subtitle = "";
        private String xName = "";
        private String yName = "";
        private String valueName = "value";
        private List<String> columns;
        private List<String> rows;
        private double[][] values;
        private boolean diverging;
        private double min = 0;
        private double max = 1;
        private int decimals = 3;

        private Builder() {
        }

        /** values[row][column]. */
        public Builder setMatrix(List<String> rows, List<String> columns, double[][] values) {
            this.rows = rows;
            this.columns = columns;
            this.values = values;
            return this;
        }

        public Builder optTitle(String title, String subtitle) {
            this.title = title;
            this.subtitle = subtitle;
            return this;
        }

        /** Axis and value names, with units. */
        public Builder optNames(String xName, String yName, String valueName) {
            this.xName = xName;
            this.yName = yName;
            this.valueName = valueName;
            return this;
        }

        /** A sequential scale over [min, max]. */
        public Builder optSequential(double min, double max) {
            this.diverging = false;
            this.min = min;
            this.max = max;
            return this;
        }

        /** A diverging scale centred on 0, as wide as the largest magnitude. */
        public Builder optDiverging() {
            this.diverging = true;
            return this;
        }

        public Builder optDecimals(int decimals) {
            this.decimals = decimals;
            return this;
        }

        public MatrixHeatmapOption build() {
            if (rows == null || columns == null || values == null) {
                throw new IllegalArgumentException("the matrix, its rows and its columns are required");
            }
            if (values.length != rows.size()) {
                throw new IllegalArgumentException(values.length + " matrix rows for " + rows.size() + " row labels");
            }
            for (int r = 0; r < values.length; r++) {
                if (values[r].length != columns.size()) {
                    throw new IllegalArgumentException("matrix row " + r + " has " + values[r].length
                            + " values for " + columns.size() + " columns");
                }
            }
            if (!diverging && !(min < max)) {
                throw new IllegalArgumentException("colour range needs min < max but was [" + min + ", " + max + "]");
            }
            return new MatrixHeatmapOption(this);
        }
    }
}
