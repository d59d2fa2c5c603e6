package io.moescope.ui.run;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import java.util.List;
import java.util.Locale;

/**
 * Scorecards: one row per layer, one card per figure, green / amber / red by the alert rules (the tooltip names the
 * rule). Cards carry ids {@code score-LAYER-FIGURE} (e.g. {@code score-3-max_vio}) for tests and links.
 */
class Scorecards extends Div {

    private static final String OK = "#e6f4ea";
    private static final String NEAR = "#fef3c7";
    private static final String BREACH = "#fde2e1";

    private final Div table = new Div();

    Scorecards() {
        setId("scorecards");
        setWidthFull();
        table.getStyle().set("display", "grid").set("grid-template-columns", "5em repeat(5, minmax(8em, 1fr))")
                .set("gap", "2px").set("font-variant-numeric", "tabular-nums");
        add(new H3("Scorecards per layer"), new Paragraph("Coloured by the enabled alert rules: red = breaches a "
                + "rule's threshold, amber = near it (inside the rule's clear band), green = clear. Hover a card to "
                + "see which rule judged it; edit rules under Alerts."), table);
    }

    void show(List<ScorecardRows.Row> rows) {
        table.removeAll();
        table.add(header("Layer"));
        for (ScorecardRows.Figure figure : ScorecardRows.Figure.values()) {
            table.add(header(figure.header()));
        }
        for (ScorecardRows.Row row : rows) {
            table.add(header(String.valueOf(row.layer())));
            row.cards().forEach(card -> table.add(card(row.layer(), card)));
        }
    }

    private static Span header(String text) {
        Span header = new Span(text);
        header.getStyle().set("font-weight", "600").set("padding", "4px 8px");
        return header;
    }

    private static Span card(int layer, ScorecardRows.Card card) {
        Span span = new Span(card.text());
        span.setId("score-" + layer + "-" + card.figure().metric().id());
        ScorecardRules.Verdict verdict = card.verdict();
        span.addClassNames("scorecard", verdict.status().cssClass());
        span.setTitle(card.figure().header() + " of layer " + layer + " = " + card.text() + ": " + verdict.reason());
        span.getStyle().set("padding", "4px 8px").set("text-align", "right").set("border-radius", "4px")
                .set("background", switch (verdict.status()) {
                    case OK -> OK;
                    case NEAR -> NEAR;
                    case BREACH -> BREACH;
                });
        span.getElement().setAttribute("data-status", verdict.status().name().toLowerCase(Locale.ROOT));
        return span;
    }
}
