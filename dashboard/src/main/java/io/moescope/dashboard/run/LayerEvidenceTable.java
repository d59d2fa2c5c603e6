package io.moescope.dashboard.run;

import com.vaadin.flow.component.Html;
import com.vaadin.flow.component.html.Div;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * One row per layer of an analysed suite: its verdict with the reason, the tokens and decisions it rests on, and
 * every load figure with its 95 % interval ({@link LayerEvidenceRows}); a figure's tooltip gives the interval's
 * method, or why it has none. A click on the Layer or Verdict header sorts by it (again: the other way).
 *
 * <p>One HTML table built with jsoup (so texts are escaped), sent as one {@link Html} fragment, as the scorecards
 * are: as a Vaadin grid of 14 columns and 32 rows it cost the browser about 600 ms of the run page's ~1.5 s
 * (1,587 DOM nodes, a grid column element and header renderer per column, a cell per row and column, each bound
 * and laid out in turn; measured with the panel removed, docs/benchmarks.md). A static table of 32 rows needs
 * none of the grid's virtual scrolling.
 */
class LayerEvidenceTable extends Div {

    /** Sortable columns: the key a header carries in {@code data-sort}, and the order it sorts rows in. */
    enum Sort {
        LAYER("layer", Comparator.comparingInt(LayerEvidenceRows.Row::layer)),
        VERDICT("verdict", Comparator.comparing(LayerEvidenceRows.Row::status));

        private final String key;
        private final Comparator<LayerEvidenceRows.Row> order;

        Sort(String key, Comparator<LayerEvidenceRows.Row> order) {
            this.key = key;
            this.order = order;
        }
    }

    private static final String TABLE_STYLE = "border-collapse: collapse; font-size: var(--lumo-font-size-s); "
            + "font-variant-numeric: tabular-nums";
    private static final String CELL_STYLE = "padding: 4px 8px; border-bottom: 1px solid var(--lumo-contrast-10pct);"
            + " vertical-align: top";
    private static final String NUMBER_STYLE = CELL_STYLE + "; text-align: right; white-space: nowrap";
    private static final String TEXT_STYLE = CELL_STYLE + "; min-width: 22em";
    private static final String HEADER_STYLE = CELL_STYLE + "; font-weight: 600; text-align: left; "
            + "white-space: nowrap";
    private static final String SORTABLE_STYLE = HEADER_STYLE
            + "; cursor: pointer; color: var(--lumo-primary-text-color)";

    private final List<LayerEvidenceRows.Row> rows;
    private Sort sort = Sort.LAYER;
    private boolean descending;

    LayerEvidenceTable(List<LayerEvidenceRows.Row> rows) {
        this.rows = List.copyOf(rows);
        setId("layer-evidence");
        setWidthFull();
        // wider than the page on a narrow window: it scrolls sideways rather than squeezing the figures
        getStyle().set("overflow-x", "auto");
        getElement().addEventListener("click", click -> {
            String key = click.getEventData().getString("event.target.dataset.sort");
            for (Sort s : Sort.values()) {
                if (s.key.equals(key)) {
                    sortBy(s);
                }
            }
        }).addEventData("event.target.dataset.sort");
        show();
    }

    /** As a click on the column's header: ascending, or descending when it is already sorted ascending by it. */
    void sortBy(Sort column) {
        descending = column == sort && !descending;
        sort = column;
        show();
    }

    private void show() {
        removeAll();
        Comparator<LayerEvidenceRows.Row> order = descending ? sort.order.reversed() : sort.order;
        add(new Html(html(rows.stream().sorted(order).toList(), sort, descending)));
    }

    /** The table as one HTML element, rows in the order given; the sorted column's header says which way. */
    static String html(List<LayerEvidenceRows.Row> rows, Sort sort, boolean descending) {
        Document document = Document.createShell("");
        document.outputSettings().prettyPrint(false);
        Element table = document.body().appendElement("table").attr("style", TABLE_STYLE);
        Element header = table.appendElement("thead").appendElement("tr");
        sortable(header, "Layer", Sort.LAYER, sort, descending);
        sortable(header, "Verdict", Sort.VERDICT, sort, descending);
        for (String text : List.of("Why", "Tokens", "Decisions")) {
            header.appendElement("th").attr("style", HEADER_STYLE).text(text);
        }
        for (LayerEvidenceRows.Figure figure : LayerEvidenceRows.Figure.values()) {
            header.appendElement("th").attr("style", HEADER_STYLE).text(figure.header());
        }
        header.appendElement("th").attr("style", HEADER_STYLE).text("95 % intervals");
        Element body = table.appendElement("tbody");
        for (LayerEvidenceRows.Row row : rows) {
            Element tr = body.appendElement("tr").attr("data-layer", String.valueOf(row.layer()));
            tr.appendElement("td").attr("style", NUMBER_STYLE).text(String.valueOf(row.layer()));
            tr.appendElement("td").attr("style", CELL_STYLE).attr("data-status",
                            row.status().name().toLowerCase(Locale.ROOT))
                    .appendElement("span").attr("style", "padding: 0 6px; border-radius: 4px; background: "
                            + Scorecards.background(row.status())).text(row.verdict());
            tr.appendElement("td").attr("style", TEXT_STYLE).text(row.reason());
            tr.appendElement("td").attr("style", NUMBER_STYLE).text(row.tokens());
            tr.appendElement("td").attr("style", NUMBER_STYLE).text(row.decisions());
            for (LayerEvidenceRows.Cell cell : row.cells()) {
                tr.appendElement("td").attr("style", NUMBER_STYLE).attr("title", cell.tooltip()).text(cell.text());
            }
            tr.appendElement("td").attr("style", TEXT_STYLE).text(row.intervals());
        }
        return table.outerHtml();
    }

    private static void sortable(Element header, String text, Sort column, Sort sort, boolean descending) {
        Element th = header.appendElement("th").attr("style", SORTABLE_STYLE).attr("data-sort", column.key)
                .attr("title", "Sort by " + text.toLowerCase(Locale.ROOT));
        th.text(column == sort ? text + (descending ? " \u25BC" : " \u25B2") : text);
    }
}
