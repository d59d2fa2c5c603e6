package io.moescope.dashboard.run;

import com.vaadin.flow.component.Html;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import io.moescope.analytics.judgement.Verdict;
import java.util.List;
import java.util.Locale;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Scorecards: one row per layer, one card per figure, green / amber / red by the alert rules (the tooltip names the
 * rule), judged by {@link io.moescope.analytics.judgement.RoutingJudge} as the API's and the CLI's verdicts are. Cards carry ids {@code score-LAYER-FIGURE} (e.g. {@code score-3-max_vio}) for tests and links.
 *
 * <p>The table is one {@link Html} fragment, not a component per card: 32 layers made ~400 Flow nodes, most of a
 * 227 kB first response of the run view, each bound to the DOM one by one in the browser. As one fragment the
 * browser parses it in a single innerHTML. jsoup builds it, so rule names in the tooltips are escaped.
 */
class Scorecards extends Div {

    private static final String OK = "#e6f4ea";
    private static final String NEAR = "#fef3c7";
    private static final String BREACH = "#fde2e1";

    private static final String TABLE_STYLE = "display: grid; grid-template-columns: 5em repeat(5, minmax(8em, 1fr));"
            + " gap: 2px; font-variant-numeric: tabular-nums";
    private static final String HEADER_STYLE = "font-weight: 600; padding: 4px 8px";
    private static final String CARD_STYLE = "padding: 4px 8px; text-align: right; border-radius: 4px; background: ";

    private final Div table = new Div();

    Scorecards() {
        setId("scorecards");
        setWidthFull();
        add(new H3("Scorecards per layer"), new Paragraph("Coloured by the enabled alert rules: red = breaches a "
                + "rule's threshold, amber = near it (inside the rule's clear band), green = clear. Hover a card to "
                + "see which rule judged it; edit rules under Alerts."), table);
    }

    void show(List<ScorecardRows.Row> rows) {
        table.removeAll();
        table.add(new Html(html(rows)));
    }

    /** The scorecard table as one HTML element. */
    static String html(List<ScorecardRows.Row> rows) {
        Document document = Document.createShell("");
        document.outputSettings().prettyPrint(false);
        Element grid = document.body().appendElement("div").attr("style", TABLE_STYLE);
        header(grid, "Layer");
        for (ScorecardRows.Figure figure : ScorecardRows.Figure.values()) {
            header(grid, figure.header());
        }
        for (ScorecardRows.Row row : rows) {
            header(grid, String.valueOf(row.layer()));
            row.cards().forEach(card -> card(grid, row.layer(), card));
        }
        return grid.outerHtml();
    }

    private static void header(Element grid, String text) {
        grid.appendElement("span").attr("style", HEADER_STYLE).text(text);
    }

    private static void card(Element grid, int layer, ScorecardRows.Card card) {
        Verdict verdict = card.verdict();
        grid.appendElement("span")
                .id("score-" + layer + "-" + card.figure().metric().id())
                .addClass("scorecard").addClass("scorecard-" + verdict.status().name().toLowerCase(Locale.ROOT))
                .attr("title", card.figure().header() + " of layer " + layer + " = " + card.text() + ": "
                        + verdict.reason())
                .attr("style", CARD_STYLE + background(verdict.status()))
                .attr("data-status", verdict.status().name().toLowerCase(Locale.ROOT))
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
