package io.moescope.dashboard.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.analytics.judgement.Verdict.Status;
import java.util.Collections;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

class LayerEvidenceTableTest {

    private static LayerEvidenceRows.Row row(int layer, Status status, String verdict) {
        return new LayerEvidenceRows.Row(layer, status, verdict, "MaxVio 1.200 > 1.000", "1,000", "2,000",
                "95 % intervals by bootstrap over 6 requests",
                Collections.nCopies(LayerEvidenceRows.Figure.values().length, new LayerEvidenceRows.Cell(
                        "0.412 [0.301, 0.530]", "95 % interval, bootstrap over 6 requests")));
    }

    private static final List<LayerEvidenceRows.Row> ROWS = List.of(row(0, Status.BREACH, "breach"),
            row(1, Status.OK, "clear"), row(2, Status.NEAR, "near"));

    private static Element table(LayerEvidenceTable table) {
        return Jsoup.parseBodyFragment(table.html()).body().child(0);
    }

    private static List<String> layers(LayerEvidenceTable table) {
        return table(table).select("tbody tr").stream().map(tr -> tr.child(0).text()).toList();
    }

    @Test
    void theVerdictAndItsSampleComeBeforeEveryFigureAndTheIntervalsNoteLast() {
        Element table = table(new LayerEvidenceTable(List.of()));

        assertThat(table.select("th").eachText()).containsExactly("Layer", "Verdict", "Why", "Tokens",
                "Decisions", "MaxVio", "CV", "Gini", "Normalised entropy", "Effective experts", "Dead experts",
                "Dominant share", "Min share", "95 % intervals");
    }

    @Test
    void aRowShowsEveryFigureWithItsIntervalAndTheMethodInItsTooltip() {
        Element row = table(new LayerEvidenceTable(List.of(row(3, Status.BREACH, "breach")))).selectFirst("tbody tr");

        assertThat(row.select("td").eachText()).containsExactly("3", "breach", "MaxVio 1.200 > 1.000", "1,000",
                "2,000", "0.412 [0.301, 0.530]", "0.412 [0.301, 0.530]", "0.412 [0.301, 0.530]",
                "0.412 [0.301, 0.530]", "0.412 [0.301, 0.530]", "0.412 [0.301, 0.530]", "0.412 [0.301, 0.530]",
                "0.412 [0.301, 0.530]", "95 % intervals by bootstrap over 6 requests");
        assertThat(row.select("td").get(5).attr("title")).isEqualTo("95 % interval, bootstrap over 6 requests");
        assertThat(row.select("td").get(1).attr("data-status")).isEqualTo("breach");
    }

    @Test
    void rowsComeByLayerAndAClickOnVerdictSortsByItThenTheOtherWay() {
        var table = new LayerEvidenceTable(ROWS);
        assertThat(layers(table)).containsExactly("0", "1", "2");

        table.sortBy(LayerEvidenceTable.VERDICT);
        assertThat(layers(table)).containsExactly("1", "2", "0");
        assertThat(table(table).select("th").get(1).text()).isEqualTo("Verdict \u25B2");

        table.sortBy(LayerEvidenceTable.VERDICT);
        assertThat(layers(table)).containsExactly("0", "2", "1");
        assertThat(table(table).select("th").get(1).text()).isEqualTo("Verdict \u25BC");
    }

    @Test
    void textsAreEscapedNotParsed() {
        Element table = table(new LayerEvidenceTable(List.of(row(0, Status.OK, "<b>clear</b>"))));

        assertThat(table.select("tbody b")).isEmpty();
        assertThat(table.selectFirst("tbody td span").text()).isEqualTo("<b>clear</b>");
    }
}
