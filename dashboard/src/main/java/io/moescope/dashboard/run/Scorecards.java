package io.moescope.dashboard.run;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import io.moescope.analytics.judgement.Verdict;
import io.moescope.dashboard.HtmlTable;
import io.moescope.dashboard.HtmlTable.Column;
import io.moescope.dashboard.HtmlTable.Style;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jsoup.nodes.Element;

/**
 * Scorecards: one row per layer, one card per figure, green / amber / red by the alert rules (the tooltip names the
 * rule), judged by {@link io.moescope.analytics.judgement.RoutingJudge} as the API's and the CLI's verdicts are.
 * Cards carry ids {@code score-LAYER-FIGURE} (e.g. {@code score-3-max_vio}) for tests and links.
 *
 * <p>An {@link HtmlTable}, as the run page's other tables: one fragment, not a component per card (32 layers made
 * ~400 Flow nodes, most of a 227 kB first response of the run view, each bound to the DOM one by one in the browser),
 * and jsoup escapes the rule names in the tooltips.
 */
class Scorecards extends Div {

    private static final String OK = "#e6f4ea";
    private static final String NEAR = "#fef3c7";
    private static final String BREACH = "#fde2e1";

    private static final String CARD_STYLE = "display: block; padding: 0 6px; border-radius: 4px; background: ";

    private final HtmlTable<ScorecardRows.Row> table = table();

    Scorecards() {
        setId("scorecards");
        setWidthFull();
        add(new H3("Scorecards per layer"), new Paragraph("Coloured by the enabled alert rules: red = breaches a "
                + "rule's threshold, amber = near it (inside the rule's clear band), green = clear. Hover a card to "
                + "see which rule judged it; edit rules under Alerts."), table);
    }

    void show(List<ScorecardRows.Row> rows) {
        table.setRows(rows);
    }

    /** The layer, then its card of each figure; a row holds its cards in the order of {@link ScorecardRows.Figure}. */
    static HtmlTable<ScorecardRows.Row> table() {
        var columns = new ArrayList<Column<ScorecardRows.Row>>();
        columns.add(Column.of("Layer", Style.NUMBER, row -> String.valueOf(row.layer())));
        for (ScorecardRows.Figure figure : ScorecardRows.Figure.values()) {
            columns.add(Column.of(figure.header(), Style.NUMBER,
                    (row, td) -> card(td, row.layer(), row.cards().get(figure.ordinal()))));
        }
        return new HtmlTable<>("scorecard-table", columns);
    }

    private static void card(Element td, int layer, ScorecardRows.Card card) {
        Verdict verdict = card.verdict();
        String status = verdict.status().name().toLowerCase(Locale.ROOT);
        td.appendElement("span")
                .id("score-" + layer + "-" + card.figure().metric().id())
                .addClass("scorecard").addClass("scorecard-" + status)
                .attr("title", card.figure().header() + " of layer " + layer + " = " + card.text() + ": "
                        + verdict.reason())
                .attr("style", CARD_STYLE + background(verdict.status()))
                .attr("data-status", status)
                .text(card.text());
    }

    /** The colour of a verdict, shared with the evidence table so that both read alike. */
    static String background(Verdict.Status status) {
        return switch (status) {
            case OK -> OK;
            case NEAR -> NEAR;
            case BREACH -> BREACH;
        };
    }
}
