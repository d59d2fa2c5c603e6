package io.moescope.dashboard.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.analytics.load.ExpertLoad;
import io.moescope.analytics.summary.LayerLoadMetrics;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

class LayerMetricsTableTest {

    private static LayerLoadMetrics layer(int layer, long... counts) {
        return LayerLoadMetrics.of(new ExpertLoad(layer, counts));
    }

    private static Element table(LayerMetricsTable table) {
        return Jsoup.parseBodyFragment(table.html()).body().child(0);
    }

    @Test
    void aLayerShowsItsFiguresUnderTheirHeaders() {
        Element table = table(new LayerMetricsTable(List.of(layer(3, 3, 1, 0, 0))));

        assertThat(table.select("th").eachText()).containsExactly("Layer", "MaxVio", "Normalised entropy",
                "Min share", "Max share", "Unused experts");
        assertThat(table.select("tbody td").eachText()).containsExactly("3", "2.000", "0.406", "0.00 %",
                "75.00 %", "2");
        assertThat(table.select("th").get(1).attr("title")).isEqualTo("(max c_i - mean) / mean; 0 = perfectly "
                + "balanced");
    }

    @Test
    void aColumnSortsOnTheNumberNotTheText() {
        var table = new LayerMetricsTable(List.of(layer(10, 1, 1), layer(9, 1, 1), layer(2, 1, 1)));

        table.sortBy(0);
        assertThat(table(table).select("tbody tr").stream().map(tr -> tr.child(0).text()))
                .containsExactly("2", "9", "10");
        table.sortBy(0);
        assertThat(table(table).select("tbody tr").stream().map(tr -> tr.child(0).text()))
                .containsExactly("10", "9", "2");
        assertThat(table(table).select("th").get(0).text()).isEqualTo("Layer \u25BC");
    }

    @Test
    void newRowsKeepTheChosenOrder() {
        var table = new LayerMetricsTable(List.of(layer(0, 1, 1), layer(1, 4, 0)));
        table.sortBy(1);
        table.sortBy(1);

        table.setRows(List.of(layer(0, 1, 1), layer(1, 4, 0), layer(2, 3, 1)));

        assertThat(table(table).select("tbody tr").stream().map(tr -> tr.child(0).text()))
                .containsExactly("1", "2", "0");
    }
}
