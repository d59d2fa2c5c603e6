package io.moescope.dashboard.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.analytics.load.ExpertLoad;
import io.moescope.analytics.summary.LayerLoadMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpertLoadHeatmapTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** 3 MoE layers (numbered 1, 3, 5: every other layer is MoE) of 8 experts, top-2 over 100 tokens. */
    private static List<LayerLoadMetrics> layers() {
        return List.of(
                LayerLoadMetrics.of(new ExpertLoad(1, new long[] {25, 25, 25, 25, 25, 25, 25, 25})),
                LayerLoadMetrics.of(new ExpertLoad(3, new long[] {100, 50, 20, 10, 10, 5, 5, 0})),
                LayerLoadMetrics.of(new ExpertLoad(5, new long[] {1, 2, 3, 4, 40, 50, 60, 40})));
    }

    private static JsonNode option(List<LayerLoadMetrics> layers, int numExperts) throws Exception {
        String json = ExpertLoadHeatmap.builder().setNumExperts(numExperts).setLayers(layers)
                .optSubtitle("all tokens of the run").build().toOption().toString();
        return JSON.readTree(json); // also proves the option is valid JSON
    }

    @Test
    void hasOneCellPerLayerAndExpert() throws Exception {
        JsonNode option = option(layers(), 8);
        assertThat(option.at("/series/0/type").asText()).isEqualTo("heatmap");
        assertThat(option.at("/series/0/data")).hasSize(3 * 8);
        assertThat(option.at("/xAxis/data")).hasSize(8);
        assertThat(option.at("/yAxis/data").toString()).isEqualTo("[\"1\",\"3\",\"5\"]");
        assertThat(option.at("/xAxis/name").asText()).isEqualTo("expert");
        assertThat(option.at("/yAxis/name").asText()).isEqualTo("layer");
    }

    @Test
    void sharesOfEveryLayerSumToOneHundredPercent() throws Exception {
        Map<Integer, Double> perRow = new HashMap<>();
        for (JsonNode cell : option(layers(), 8).at("/series/0/data")) {
            perRow.merge(cell.get(1).asInt(), cell.get(2).asDouble(), Double::sum);
        }
        assertThat(perRow).hasSize(3);
        perRow.values().forEach(sum -> assertThat(sum).isCloseTo(100.0, within(0.01)));
    }

    @Test
    void cellCarriesShareCountAndRatioToUniform() throws Exception {
        JsonNode cells = option(layers(), 8).at("/series/0/data");
        JsonNode expert0OfLayer3 = cells.get(8); // row 1, expert 0: 100 of 200 routings
        assertThat(expert0OfLayer3.get(0).asInt()).isZero();
        assertThat(expert0OfLayer3.get(1).asInt()).isEqualTo(1);
        assertThat(expert0OfLayer3.get(2).asDouble()).isEqualTo(50.0);
        assertThat(expert0OfLayer3.get(3).asLong()).isEqualTo(100);
        assertThat(expert0OfLayer3.get(4).asDouble()).isEqualTo(4.0); // 0.5 / (1/8)
    }

    @Test
    void colourScaleIsCentredOnTheUniformShare() throws Exception {
        ExpertLoadHeatmap heatmap = ExpertLoadHeatmap.builder().setNumExperts(8).setLayers(layers()).build();
        assertThat(heatmap.uniformShare()).isEqualTo(1.0 / 8);

        JsonNode visualMap = option(layers(), 8).at("/visualMap");
        assertThat(visualMap.get("dimension").asInt()).isEqualTo(ExpertLoadHeatmap.COLOUR_DIMENSION);
        List<JsonNode> bands = new ArrayList<>();
        visualMap.get("pieces").forEach(bands::add);
        bands.remove(0); // "never chosen"
        JsonNode middle = bands.get(bands.size() / 2);
        assertThat(middle.get("gte").asDouble()).isLessThan(1.0);
        assertThat(middle.get("lt").asDouble()).isGreaterThan(1.0);
        // Symmetric in ratio: each under-load edge is the reciprocal of its over-load partner.
        double[] edges = ExpertLoadHeatmap.RATIO_EDGES;
        for (int i = 0; i < edges.length; i++) {
            assertThat(edges[i] * edges[edges.length - 1 - i]).isCloseTo(1.0, within(1e-9));
        }
    }

    @Test
    void expertThatWasNeverChosenGetsItsOwnColour() throws Exception {
        JsonNode option = option(layers(), 8);
        JsonNode unused = option.at("/series/0/data").get(8 + 7); // layer 3, expert 7: count 0
        assertThat(unused.get(3).asLong()).isZero();
        assertThat(unused.get(4).asDouble()).isZero();
        assertThat(option.at("/visualMap/pieces/0/value").asDouble()).isZero();
        assertThat(option.at("/visualMap/pieces/1/gt").asDouble()).isZero();
    }

    @Test
    void tooltipUsesTheNamedFormatterBecauseFunctionsCannotTravelAsJson() throws Exception {
        assertThat(option(layers(), 8).at("/tooltip/formatter").asText()).isEqualTo("@cell");
    }

    @Test
    void zoomAppearsOnlyForManyExperts() throws Exception {
        assertThat(option(layers(), 8).has("dataZoom")).isFalse();
        long[] counts = new long[256];
        counts[3] = 8;
        JsonNode wide = option(List.of(LayerLoadMetrics.of(new ExpertLoad(0, counts))), 256);
        assertThat(wide.at("/dataZoom")).hasSize(1);
        assertThat(wide.at("/series/0/data")).hasSize(256);
    }

    @Test
    void rejectsMissingShape() {
        assertThatThrownBy(() -> ExpertLoadHeatmap.builder().setLayers(layers()).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExpertLoadHeatmap.builder().setNumExperts(8).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theColourLegendStandsRightOfThePlotInsideTheMarginKeptForIt() throws Exception {
        JsonNode option = option(layers(), 8);

        assertThat(option.at("/visualMap/orient").asText()).isEqualTo("vertical");
        assertThat(option.at("/visualMap/right").asInt()).isEqualTo(8);
        assertThat(option.at("/visualMap/top").asInt()).isEqualTo(90);
        assertThat(option.at("/visualMap/left").isMissingNode()).isTrue();
        assertThat(option.at("/grid/right").asInt()).isEqualTo(190);
    }

    @Test
    void theHeightGrowsWithTheLayersAndAFewLayersStillGetTallRows() {
        assertThat(ExpertLoadHeatmap.builder().setNumExperts(8).setLayers(layers()).build().suggestedHeight())
                .isEqualTo((90 + 210 + 60) + "px");
        var many = java.util.Collections.nCopies(32, LayerLoadMetrics.of(new ExpertLoad(0, new long[] {1, 1})));
        assertThat(ExpertLoadHeatmap.builder().setNumExperts(2).setLayers(many).build().suggestedHeight())
                .isEqualTo((90 + 32 * 18 + 60) + "px");
    }

    @Test
    void theTooltipStaysInsideTheChart() throws Exception {
        assertThat(option(layers(), 8).at("/tooltip/confine").asBoolean()).isTrue();
    }
}
