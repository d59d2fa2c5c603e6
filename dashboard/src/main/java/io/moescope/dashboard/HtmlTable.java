package io.moescope.dashboard;

import com.vaadin.flow.component.Html;
import com.vaadin.flow.component.html.Div;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * A table of a few dozen rows, read whole: one HTML table built with jsoup (texts escaped) and sent as one
 * {@link Html} fragment. A click on a sortable column's header sorts by it, a second click the other way; the server
 * re-sorts and sends the table again. Wider than the page, it scrolls sideways rather than squeezing its figures.
 *
 * <p>Not a Vaadin grid: on the run page two grids of 32 rows (a column element and header renderer per column, a
 * bound cell per row and column, each measured for its width) took most of the browser's ~1.5 s to draw the page;
 * a table of this size needs none of the grid's virtual scrolling (docs/benchmarks.md, Dashboard).
 *
 * @param <T> one row
 */
public class HtmlTable<T> extends Div {

    /** How a column's cells sit. */
    public enum Style {
        /** Figures: right-aligned, on one line. */
        NUMBER("text-align: right; white-space: nowrap"),
        /** Short words: left-aligned, on one line. */
        WORD("white-space: nowrap"),
        /** Sentences: they wrap at a readable width rather than widen the table. */
        SENTENCE("min-width: 22em");

        private final String css;

        Style(String css) {
            this.css = css;
        }
    }

    /**
     * @param header  the header's text
     * @param style   how its cells sit
     * @param cell    fills a row's cell (text, and a tooltip as {@code title} where the cell has one)
     * @param order   the order a header click sorts rows in, or null where the column does not sort
     * @param tooltip the header's tooltip (what the figure is), or null
     */
    public record Column<T>(String header, Style style, BiConsumer<T, Element> cell, Comparator<T> order,
                            String tooltip) {

        public static <T> Column<T> of(String header, Style style, Function<T, String> text) {
            return new Column<>(header, style, (row, td) -> td.text(text.apply(row)), null, null);
        }

        public static <T> Column<T> of(String header, Style style, BiConsumer<T, Element> cell) {
            return new Column<>(header, style, cell, null, null);
        }

        public Column<T> sortedBy(Comparator<T> by) {
            return new Column<>(header, style, cell, Objects.requireNonNull(by, "by"), tooltip);
        }

        public Column<T> withTooltip(String text) {
            return new Column<>(header, style, cell, order, text);
        }
    }

    private static final String TABLE_STYLE = "border-collapse: collapse; font-size: var(--lumo-font-size-s); "
            + "font-variant-numeric: tabular-nums";
    private static final String CELL_STYLE = "padding: 4px 8px; vertical-align: top; "
            + "border-bottom: 1px solid var(--lumo-contrast-10pct); ";
    private static final String HEADER_STYLE = CELL_STYLE + "font-weight: 600; white-space: nowrap; ";
    private static final String SORTABLE_STYLE = HEADER_STYLE
            + "cursor: pointer; color: var(--lumo-primary-text-color); ";

    private static final String SORT_DATA = "event.target.dataset.sort";

    private final List<Column<T>> columns;
    private List<T> rows = List.of();
    /** The column rows are sorted by, or -1: in the order given. */
    private int sortedBy = -1;
    private boolean descending;

    public HtmlTable(String id, List<Column<T>> columns) {
        this.columns = List.copyOf(columns);
        setId(id);
        setWidthFull();
        getStyle().set("overflow-x", "auto");
        // only clicks on a sortable header reach the server; they carry its column
        getElement().addEventListener("click", click -> sortBy(Integer.parseInt(click.getEventData()
                        .getString(SORT_DATA))))
                .setFilter(SORT_DATA + " !== undefined").addEventData(SORT_DATA);
    }

    /** Shows these rows, sorted as the user last chose. */
    public void setRows(List<T> rows) {
        this.rows = List.copyOf(rows);
        show();
    }

    /** As a click on the header of column {@code column}: ascending, or descending when sorted ascending by it. */
    public void sortBy(int column) {
        if (columns.get(column).order() == null) {
            throw new IllegalArgumentException("column " + column + " (" + columns.get(column).header()
                    + ") does not sort");
        }
        descending = column == sortedBy && !descending;
        sortedBy = column;
        show();
    }

    /** The table as the browser gets it. */
    public String html() {
        Document document = Document.createShell("");
        document.outputSettings().prettyPrint(false);
        Element table = document.body().appendElement("table").attr("style", TABLE_STYLE);
        Element header = table.appendElement("thead").appendElement("tr");
        for (int c = 0; c < columns.size(); c++) {
            Column<T> column = columns.get(c);
            Element th = header.appendElement("th").attr("style", (column.order() == null ? HEADER_STYLE
                    : SORTABLE_STYLE) + column.style().css);
            String arrow = c != sortedBy ? "" : descending ? " \u25BC" : " \u25B2";
            th.text(column.header() + arrow);
            if (column.order() != null) {
                th.attr("data-sort", String.valueOf(c));
            }
            if (column.tooltip() != null) {
                th.attr("title", column.tooltip());
            }
        }
        Element body = table.appendElement("tbody");
        for (T row : sorted()) {
            Element tr = body.appendElement("tr");
            for (Column<T> column : columns) {
                column.cell().accept(row, tr.appendElement("td").attr("style", CELL_STYLE + column.style().css));
            }
        }
        return table.outerHtml();
    }

    private List<T> sorted() {
        if (sortedBy < 0) {
            return rows;
        }
        Comparator<T> order = columns.get(sortedBy).order();
        var sorted = new ArrayList<>(rows);
        sorted.sort(descending ? order.reversed() : order);
        return sorted;
    }

    private void show() {
        removeAll();
        add(new Html(html()));
    }
}
