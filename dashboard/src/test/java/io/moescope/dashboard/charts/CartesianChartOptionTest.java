package io.moescope.dashboard.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.dashboard.charts.CartesianChartOption.Marker;
import io.moescope.dashboard.charts.CartesianChartOption.Style;
import java.util.List;
import org.junit.jupiter.api.Test;

class CartesianChartOptionTest {

    private static CartesianChartOption.Builder twoLayers() {
        return CartesianChartOption.builder().setCategories(List.of("0", "1"))
                .optTitle("Routing consistency", "all tokens").optAxisNames("layer", "fraction of pairs");
    }

    @Test
    void everySeriesIsDrawnInItsStyleWithRoundedValuesAndALegendEntry() {
        var option = twoLayers().addSeries("same first choice", Style.BAR, new double[] {0.123456, 0.5})
                .addSeries("by chance", Style.DASHED_LINE, new double[] {0.125, 0.125}).build().toOption();

        assertThat(option.at("/legend/data").toString()).isEqualTo("[\"same first choice\",\"by chance\"]");
        assertThat(option.at("/series/0/type").asText()).isEqualTo("bar");
        assertThat(option.at("/series/0/data").toString()).isEqualTo("[0.123,0.5]");
        assertThat(option.at("/series/1/type").asText()).isEqualTo("line");
        assertThat(option.at("/series/1/lineStyle/type").asText()).isEqualTo("dashed");
        assertThat(option.at("/xAxis/name").asText()).isEqualTo("layer");
        assertThat(option.at("/yAxis/name").asText()).isEqualTo("fraction of pairs");
    }

    @Test
    void anUndefinedValueLeavesAGap() {
        var option = twoLayers().addSeries("overlap", Style.BAR, new double[] {Double.NaN, 0.25}).build().toOption();

        assertThat(option.at("/series/0/data").toString()).isEqualTo("[null,0.25]");
    }

    @Test
    void theMarkerIsAVerticalLineAtItsCategory() {
        var option = twoLayers().addSeries("LRU", Style.LINE, new double[] {0, 0.5})
                .optMarker(new Marker("1", "load stabilises ~ token 1")).build().toOption();

        assertThat(option.at("/series/0/markLine/data/0/xAxis").asText()).isEqualTo("1");
        assertThat(option.at("/series/0/markLine/label/formatter").asText()).isEqualTo("load stabilises ~ token 1");
    }

    @Test
    void aSeriesOfTheWrongLengthIsRefusedNamingIt() {
        assertThatThrownBy(() -> twoLayers().addSeries("LRU", Style.LINE, new double[] {1}).build())
                .hasMessage("series 'LRU' has 1 values for 2 categories");
    }

    @Test
    void aSingleSeriesHasNoLegendAndKeepsTheRoomBelowThePlot() {
        var option = twoLayers().addSeries("MaxVio", Style.BAR, new double[] {0.123456, 2.0 / 3}).build().toOption();

        assertThat(option.has("legend")).isFalse();
        assertThat(option.at("/grid/bottom").asInt()).isEqualTo(50);
        assertThat(option.at("/series/0/data").toString()).isEqualTo("[0.123,0.667]");
    }
}
