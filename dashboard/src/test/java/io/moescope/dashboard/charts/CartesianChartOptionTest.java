package io.moescope.dashboard.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.dashboard.charts.CartesianChartOption.Marker;
import io.moescope.dashboard.charts.CartesianChartOption.Point;
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

    @Test
    void aPointIsADotOnItsSeriesAtItsCategoryAndValue() {
        var option = twoLayers().addSeries("LRU, C = 2", Style.LINE, new double[] {0.25, 0.754321},
                new Point(1, "settles ~ 1")).build().toOption();

        assertThat(option.at("/series/0/markPoint/data/0/coord").toString()).isEqualTo("[\"1\",0.754]");
        assertThat(option.at("/series/0/markPoint/label/formatter").asText()).isEqualTo("settles ~ 1");
    }

    @Test
    void aPointOffTheAxisIsRefused() {
        assertThatThrownBy(() -> twoLayers().addSeries("LRU", Style.LINE, new double[] {0, 1}, new Point(2, "x"))
                .build()).hasMessage("point of series 'LRU' at index 2 is not on the axis");
    }

    @Test
    void aFittedAxisEndsAtARoundNumberJustAboveTheLargestValue() {
        var option = twoLayers().addSeries("JS divergence", Style.BAR, new double[] {0.012, 0.037})
                .optYMaxFitted(1).build().toOption();

        assertThat(option.at("/yAxis/min").asDouble()).isEqualTo(0);
        assertThat(option.at("/yAxis/max").asDouble()).isEqualTo(0.05);
    }

    @Test
    void aFittedAxisNeverPassesItsBoundAndFallsBackToItWithoutValues() {
        assertThat(twoLayers().addSeries("JSD", Style.BAR, new double[] {0.9, 1}).optYMaxFitted(1).build()
                .toOption().at("/yAxis/max").asDouble()).isEqualTo(1);
        assertThat(twoLayers().addSeries("JSD", Style.BAR, new double[] {0, Double.NaN}).optYMaxFitted(1).build()
                .toOption().at("/yAxis/max").asDouble()).isEqualTo(1);
    }

    @Test
    void roundAxisEndsAreOneTwoTwoAndAHalfOrFiveTimesAPowerOfTen() {
        assertThat(ChartOptions.roundUp(0.3)).isEqualTo(0.5);
        assertThat(ChartOptions.roundUp(0.02)).isEqualTo(0.02);
        assertThat(ChartOptions.roundUp(0.021)).isEqualTo(0.025);
        assertThat(ChartOptions.roundUp(3)).isEqualTo(5);
        assertThat(ChartOptions.roundUp(6)).isEqualTo(10);
    }
}
