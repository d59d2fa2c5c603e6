package io.moescope.dashboard.run;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The token view (Mixtral paper, Figure 8): the run's text in order, each token coloured by its first-choice expert
 * at one layer, with a legend; hovering a token tells its id, position, expert and gate weight. Runs that recorded
 * token ids only (imported traces) show each token as its id, and say so.
 */
class TokenView extends Div {

    TokenView(List<TokenExperts.Token> tokens, int layer) {
        setId("token-view");
        setWidthFull();
        add(new H3("Tokens by first-choice expert at layer " + layer));
        if (tokens.isEmpty()) {
            add(new Paragraph("No stored tokens to show yet."));
            return;
        }
        boolean hasText = tokens.stream().anyMatch(t -> t.text() != null);
        add(new Paragraph("The first " + tokens.size() + " tokens of the run in request order, prompt and generated, "
                + "each coloured by the expert its router ranked first at layer " + layer + ". Hover a token for "
                + "its id, position, expert and gate weight."));
        if (!hasText) {
            Paragraph idsOnly = new Paragraph("This run recorded token ids only (an imported trace carries no "
                    + "tokenizer), so each token shows as #id.");
            idsOnly.setId("token-ids-only");
            add(idsOnly);
        }
        Div legend = new Div();
        legend.setId("token-legend");
        new TreeSet<>(tokens.stream().map(TokenExperts.Token::firstChoice).toList()).forEach(expert ->
                legend.add(chip(expert < 0 ? "no decision" : "expert " + expert, expert, null)));
        Div text = new Div();
        text.setId("token-text");
        text.getStyle().set("line-height", "1.9").set("font-family", "var(--lumo-font-family-monospace, monospace)");
        String request = null;
        for (TokenExperts.Token token : tokens) {
            if (!Objects.equals(request, token.requestId())) {
                request = token.requestId();
                Div start = new Div(new Span("request " + request));
                start.getStyle().set("font-weight", "600").set("margin-top", "6px");
                text.add(start);
            }
            Span chip = chip(shown(token), token.firstChoice(), title(token));
            chip.getElement().setAttribute("data-token-id", String.valueOf(token.tokenId()));
            text.add(chip);
        }
        add(legend, text);
    }

    /**
     * The token's text; spaces kept (pre-wrap), so words read as words; a newline as a visible mark and other
     * control characters by their code, since they draw as nothing or as boxes.
     */
    static String shown(TokenExperts.Token token) {
        if (token.text() == null) {
            return "#" + token.tokenId();
        }
        StringBuilder shown = new StringBuilder();
        token.text().chars().forEach(c -> {
            if (c == '\n') {
                shown.append('\u21b5');
            } else if (Character.isISOControl(c) && c != '\t') {
                shown.append(String.format(Locale.ROOT, "<0x%02X>", c));
            } else {
                shown.append((char) c);
            }
        });
        return shown.toString();
    }

    static String title(TokenExperts.Token token) {
        String expert = token.firstChoice() < 0 ? "no decision at this layer"
                : "expert " + token.firstChoice() + ", gate weight "
                + String.format(Locale.ROOT, "%.3f", token.gateWeight());
        return "token id " + token.tokenId() + ", request " + token.requestId() + ", position " + token.tokenIndex()
                + ": " + expert;
    }

    private static Span chip(String text, int expert, String title) {
        Span chip = new Span(text);
        chip.addClassName("token");
        chip.getStyle().set("background", TokenExperts.colour(expert)).set("padding", "1px 1px")
                .set("margin", "1px 0").set("border-radius", "3px").set("display", "inline-block")
                .set("white-space", "pre-wrap");
        if (title != null) {
            chip.setTitle(title);
        }
        return chip;
    }
}
