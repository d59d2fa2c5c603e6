package io.moescope.dashboard.charts;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moescope.analytics.summary.LayerLoadMetrics;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The ECharts option of a layer x expert heatmap of load share.
 *
 * <p>x = expert i, y = MoE layer (first layer on top), cell = p_i = c_i / C of that layer (docs/metrics.md), so each
 * row sums to 1. Colour encodes p_i relative to the uniform share 1/N on a diverging scale whose neutral band
 * is centred on 1/N and whose bands are symmetric in ratio (0.8-1.25x, 1/2-2x, 1/4-4x): blue = under-loaded,
 * red = over-loaded, darkest blue = never chosen. A ratio scale, not a linear one, because an over-loaded expert
 * can reach many times the uniform share while an under-loaded one can only fall to zero.
 *
 * <p>Each cell is {@code [expert, layerRow, share %, count, share / uniform]}; the tooltip lists the last three.
 */
public final class ExpertLoadHeatmap {

    /** Dimension of a cell that the colour encodes: share / uniform share. */
    static final int COLOUR_DIMENSION = 4;

    /** Band edges in multiples of the uniform share; symmetric around 1 in log scale. */
    static final double[] RATIO_EDGES = {0.25, 0.5, 0.8, 1.25, 2, 4};
    private static final String[] BAND_LABELS = {"< 1/4 x", "1/4 - 1/2 x", "1/2 - 0.8 x", "0.8 - 1.25 x (uniform)",
        "1.25 - 2 x", "2 - 4 x", "> 4 x"};
    /** ColorBrewer RdBu, 7 classes, blue (under) to red (over); the neutral middle is the uniform band. */
    private static final String[] BAND_COLOURS = {"#2166ac", "#67a9cf", "#d1e5f0", "#f7f7f7", "#fddbc7", "#ef8a62",
        "#b2182b"};
    private static final String UNUSED_COLOUR = "#08306b";

    /**
     * Margins of the plot. The colour legend stands to the right of the plot, one band a line, in a margin as wide
     * as its longest label: laid out in a row below the plot it is wider than a half-width chart (Compare) and was
     * clipped on both sides.
     */
    static final int TOP = 90;
    static final int RIGHT = 190;
    static final int BOTTOM = 60;
    static final int BOTTOM_WITH_ZOOM = 90;
    static final int LEGEND_RIGHT = 8;
    /** A row tall enough for its label; the plot at least as tall as the colour legend (8 bands). */
    static final int MIN_ROW_HEIGHT = 18;
    static final int MIN_PLOT_HEIGHT = 210;

    private final int numExperts;
    private final List<LayerLoadMetrics> layers;
    private final String title;
    private final String subtitle;

    private ExpertLoadHeatmap(Builder builder) {
        this.numExperts = builder.numExperts;
        this.layers = List.copyOf(builder.layers);
        this.title = builder.title;
        this.subtitle = builder.subtitle;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The share every expert would get under perfectly even routing: 1/N, the colour scale's centre. */
    public double uniformShare() {
        return 1.0 / numExperts;
    }

    /**
     * A CSS height that grows with the layers: every row has room for its label, and a model with a few layers still
     * gets square-ish cells rather than a strip (4 rows in 105 px were hard to read).
     */
    public String suggestedHeight() {
        return TOP + Math.max(MIN_PLOT_HEIGHT, MIN_ROW_HEIGHT * layers.size()) + bottom() + "px";
    }

    /** Hundreds of experts make cells a few pixels wide: then the user zooms along the expert axis. */
    private boolean zoomable() {
        return numExperts > 64;
    }

    private int bottom() {
        return zoomable() ? BOTTOM_WITH_ZOOM : BOTTOM;
    }

    public ObjectNode toOption() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        String scale = String.format(Locale.ROOT, "colour: share / uniform share 1/N = %.3g%%", uniformShare() * 100);
        ObjectNode option = ChartOptions.titled(title, subtitle.isEmpty() ? scale : subtitle + "\n" + scale);
        ((ObjectNode) option.get("title")).putObject("subtextStyle").put("lineHeight", 16);
        ChartOptions.tooltip(option).put("position", "top").put("formatter", "@cell");
        ChartOptions.grid(option, 70, RIGHT, TOP, bottom());
        List<String> experts = IntStream.range(0, numExperts).mapToObj(String::valueOf).toList();
        ChartOptions.categoryAxis(option.putObject("xAxis"), "expert", experts, 26).putObject("splitArea")
                .put("show", true);
        List<String> layerLabels = layers.stream().map(l -> String.valueOf(l.layer())).toList();
        ChartOptions.categoryAxis(option.putObject("yAxis"), "layer", layerLabels, 40).put("inverse", true);

        option.set("visualMap", visualMap(json));
        if (zoomable()) {
            option.putArray("dataZoom").addObject().put("type", "slider").put("xAxisIndex", 0).put("bottom", 8)
                    .put("height", 16);
        }

        ObjectNode series = option.putArray("series").addObject().put("type", "heatmap").put("name", "load share");
        ArrayNode dimensions = series.putArray("dimensions");
        dimensions.add("expert").add("layer").add("share (%)").add("routings (c_i)").add("share / uniform");
        series.putObject("emphasis").putObject("itemStyle").put("borderColor", "#333").put("borderWidth", 1);
        ArrayNode data = series.putArray("data");
        double uniform = uniformShare();
        for (int row = 0; row < layers.size(); row++) {
            LayerLoadMetrics layer = layers.get(row);
            for (int expert = 0; expert < numExperts; expert++) {
                double share = expert < layer.shares().length ? layer.shares()[expert] : 0;
                long count = expert < layer.counts().length ? layer.counts()[expert] : 0;
                // Keep a chosen expert off the "unused" colour even when its ratio rounds to 0.
                double ratio = count == 0 ? 0 : Math.max(0.001, ChartOptions.round(share / uniform, 3));
                data.addArray().add(expert).add(row).add(ChartOptions.round(share * 100, 3)).add(count).add(ratio);
            }
        }
        return option;
    }

    private ObjectNode visualMap(JsonNodeFactory json) {
        ObjectNode visualMap = json.objectNode().put("type", "piecewise").put("dimension", COLOUR_DIMENSION)
                .put("seriesIndex", 0).put("orient", "vertical").put("right", LEGEND_RIGHT).put("top", TOP)
                .put("itemGap", 10);
        ArrayNode pieces = visualMap.putArray("pieces");
        pieces.addObject().put("value", 0).put("label", "never chosen").put("color", UNUSED_COLOUR);
        for (int band = 0; band < BAND_COLOURS.length; band++) {
            ObjectNode piece = pieces.addObject();
            if (band == 0) {
                piece.put("gt", 0);
            } else {
                piece.put("gte", RATIO_EDGES[band - 1]);
            }
            if (band < RATIO_EDGES.length) {
                piece.put("lt", RATIO_EDGES[band]);
            }
            piece.put("label", BAND_LABELS[band]).put("color", BAND_COLOURS[band]);
        }
        return visualMap;
    }


    /** Builder in DJL's style: {@code setX} for what is required, {@code optX} for the rest. */
    public static final class Builder {
        private int numExperts;
        private List<LayerLoadMetrics> layers;
        private String title = "Load share per layer and expert";
        private String subtitle = "";

        private Builder() {
        }

        /** N, the number of routed experts per layer. */
        public Builder setNumExperts(int numExperts) {
            this.numExperts = numExperts;
            return this;
        }

        /** One entry per MoE layer, in display order (top to bottom). */
        public Builder setLayers(List<LayerLoadMetrics> layers) {
            this.layers = layers;
            return this;
        }

        public Builder optTitle(String title) {
            this.title = title;
            return this;
        }

        /** Say here which token set the figures cover. */
        public Builder optSubtitle(String subtitle) {
            this.subtitle = subtitle;
            return this;
        }

        public ExpertLoadHeatmap build() {
            if (numExperts < 1) {
                throw new IllegalArgumentException("numExperts must be at least 1, was " + numExperts);
            }
            if (layers == null) {
                throw new IllegalArgumentException("layers are required");
            }
            return new ExpertLoadHeatmap(this);
        }
    }
}
