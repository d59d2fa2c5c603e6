package io.moescope.dashboard.run;

import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.data.renderer.LitRenderer;
import io.moescope.dashboard.GridColumns;
import java.util.List;

/**
 * One row per layer of an analysed suite: its verdict with the reason, the tokens and decisions it rests on, and
 * every load figure with its 95 % interval ({@link LayerEvidenceRows}); a figure's tooltip gives the interval's
 * method, or why it has none.
 */
class LayerEvidenceGrid extends Grid<LayerEvidenceRows.Row> {

    LayerEvidenceGrid(List<LayerEvidenceRows.Row> rows) {
        super(LayerEvidenceRows.Row.class, false);
        setId("layer-evidence");
        // The reasons run to a sentence or two: they wrap in a column of fixed width rather than widen the table.
        addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_WRAP_CELL_CONTENT);
        addColumn(LayerEvidenceRows.Row::layer).setHeader("Layer").setKey("layer").setSortable(true)
                .setTextAlign(ColumnTextAlign.END);
        addColumn(LitRenderer.<LayerEvidenceRows.Row>of("<span style=\"padding: 0 6px; border-radius: 4px; "
                        + "background: ${item.background}\">${item.verdict}</span>")
                .withProperty("verdict", LayerEvidenceRows.Row::verdict)
                .withProperty("background", row -> Scorecards.background(row.status())))
                .setHeader("Verdict").setKey("verdict").setComparator(LayerEvidenceRows.Row::status);
        addColumn(LayerEvidenceRows.Row::reason).setHeader("Why").setKey("reason").setWidth("28em").setFlexGrow(0);
        addColumn(LayerEvidenceRows.Row::tokens).setHeader("Tokens").setKey("tokens")
                .setTextAlign(ColumnTextAlign.END);
        addColumn(LayerEvidenceRows.Row::decisions).setHeader("Decisions").setKey("decisions")
                .setTextAlign(ColumnTextAlign.END);
        LayerEvidenceRows.Figure[] figures = LayerEvidenceRows.Figure.values();
        for (int f = 0; f < figures.length; f++) {
            int index = f;
            addColumn(row -> row.cells().get(index).text()).setHeader(figures[f].header())
                    .setKey(figures[f].name()).setTextAlign(ColumnTextAlign.END)
                    .setTooltipGenerator(row -> row.cells().get(index).tooltip());
        }
        addColumn(LayerEvidenceRows.Row::intervals).setHeader("95 % intervals").setKey("intervals")
                .setWidth("22em").setFlexGrow(0);
        GridColumns.fitToContent(this);
        setAllRowsVisible(true);
        setItems(rows);
    }
}
