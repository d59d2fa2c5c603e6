package io.moescope.ui.run;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The token view (Mixtral paper, Figure 8): the run's tokens in order, each coloured by its first-choice expert at
 * one layer, with a legend. Runs store token ids, not text, so each token shows as its id.
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
        add(new Paragraph("The first " + tokens.size() + " tokens of the run in request order, each coloured by the "
                + "expert its router ranked first at layer " + layer + ". moescope stores token ids, not text: hover "
                + "a token for its request and position."));
        Div legend = new Div();
        legend.setId("token-legend");
        new TreeSet<>(tokens.stream().map(TokenExperts.Token::firstChoice).toList()).forEach(expert ->
                legend.add(chip(expert < 0 ? "no decision" : "expert " + expert, expert, null)));
        Div text = new Div();
        text.getStyle().set("line-height", "1.9").set("font-family", "var(--lumo-font-family-monospace, monospace)");
        String request = null;
        for (TokenExperts.Token token : tokens) {
            if (!Objects.equals(request, token.requestId())) {
                request = token.requestId();
                Div start = new Div(new Span("request " + request));
                start.getStyle().set("font-weight", "600").set("margin-top", "6px");
                text.add(start);
            }
            text.add(chip("#" + token.tokenId(), token.firstChoice(), "request " + token.requestId() + ", token "
                    + token.tokenIndex() + ", id " + token.tokenId() + ": expert "
                    + (token.firstChoice() < 0 ? "none" : token.firstChoice())));
        }
        add(legend, text);
    }

    private static Span chip(String text, int expert, String title) {
        Span chip = new Span(text);
        chip.addClassName("token");
        chip.getStyle().set("background", TokenExperts.colour(expert)).set("padding", "1px 4px")
                .set("margin", "1px").set("border-radius", "3px").set("display", "inline-block");
        if (title != null) {
            chip.setTitle(title);
        }
        return chip;
    }
}
