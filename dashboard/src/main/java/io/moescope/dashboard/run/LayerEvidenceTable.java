package io.moescope.dashboard.run;

import io.moescope.dashboard.HtmlTable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * One row per layer of an analysed suite: its verdict with the reason, the tokens and decisions it rests on, and
 * every load figure with its 95 % interval ({@link LayerEvidenceRows}); a figure's tooltip gives the interval's
 * method, or why it has none. Sorts by Layer and by Verdict.
 *
 * <p>An {@link HtmlTable}: it was a Vaadin grid of 14 columns (1,587 DOM nodes at 32 layers); with the layer table's
 * grid it took ~670 ms of the ~1.56 s the browser needed to draw the run page (docs/benchmarks.md, Dashboard).
 */
class LayerEvidenceTable extends HtmlTable<LayerEvidenceRows.Row> {

    /** The Verdict column's place, for {@link #sortBy}. */
    static final int VERDICT = 1;

    LayerEvidenceTable(List<LayerEvidenceRows.Row> rows) {
        super("layer-evidence", columns());
        setRows(rows);
    }

    private static List<Column<LayerEvidenceRows.Row>> columns() {
        var columns = new ArrayList<Column<LayerEvidenceRows.Row>>();
        columns.add(Column.<LayerEvidenceRows.Row>of("Layer", Style.NUMBER, row -> String.valueOf(row.layer()))
                .sortedBy(Comparator.comparingInt(LayerEvidenceRows.Row::layer)));
        columns.add(Column.<LayerEvidenceRows.Row>of("Verdict", Style.WORD, (row, td) -> td
                        .attr("data-status", row.status().name().toLowerCase(Locale.ROOT)).appendElement("span")
                        .attr("style", "padding: 0 6px; border-radius: 4px; background: "
                                + Scorecards.background(row.status())).text(row.verdict()))
                .sortedBy(Comparator.comparing(LayerEvidenceRows.Row::status)));
        columns.add(Column.of("Why", Style.SENTENCE, LayerEvidenceRows.Row::reason));
        columns.add(Column.of("Tokens", Style.NUMBER, LayerEvidenceRows.Row::tokens));
        columns.add(Column.of("Decisions", Style.NUMBER, LayerEvidenceRows.Row::decisions));
        LayerEvidenceRows.Figure[] figures = LayerEvidenceRows.Figure.values();
        for (int f = 0; f < figures.length; f++) {
            int index = f;
            columns.add(Column.of(figures[f].header(), Style.NUMBER, (row, td) -> td
                    .text(row.cells().get(index).text()).attr("title", row.cells().get(index).tooltip())));
        }
        columns.add(Column.of("95 % intervals", Style.SENTENCE, LayerEvidenceRows.Row::intervals));
        return columns;
    }
}
