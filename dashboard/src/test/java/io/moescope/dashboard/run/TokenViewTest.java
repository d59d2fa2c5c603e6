package io.moescope.dashboard.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.dom.Element;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenViewTest {

    private static final List<TokenExperts.Token> HELLO_WORLD = List.of(
            new TokenExperts.Token("req-1", 0, 1, 3, 0.5f, "<s>"),
            new TokenExperts.Token("req-1", 1, 15043, 3, 0.625f, "Hello"),
            new TokenExperts.Token("req-1", 2, 3186, 5, 0.75f, " world"),
            new TokenExperts.Token("req-1", 3, 13, -1, Float.NaN, "\n"));

    @Test
    void probeRunTokensShowTheirTextWithSpacesKept() {
        TokenView view = new TokenView(HELLO_WORLD, 2);

        assertThat(tokenChips(view)).extracting(Element::getText).containsExactly("<s>", "Hello", " world", "\u21b5");
        assertThat(view.getElement().getChildren().anyMatch(c -> "token-ids-only".equals(c.getAttribute("id"))))
                .isFalse();
    }

    @Test
    void eachTokensTooltipGivesItsIdPositionExpertAndGateWeight() {
        TokenView view = new TokenView(HELLO_WORLD, 2);

        assertThat(tokenChips(view)).extracting(chip -> chip.getAttribute("title")).containsExactly(
                "token id 1, request req-1, position 0: expert 3, gate weight 0.500",
                "token id 15043, request req-1, position 1: expert 3, gate weight 0.625",
                "token id 3186, request req-1, position 2: expert 5, gate weight 0.750",
                "token id 13, request req-1, position 3: no decision at this layer");
    }

    @Test
    void tokensAreColouredByTheirFirstChoiceExpert() {
        TokenView view = new TokenView(HELLO_WORLD, 2);

        assertThat(tokenChips(view)).extracting(chip -> chip.getStyle().get("background")).containsExactly(
                TokenExperts.colour(3), TokenExperts.colour(3), TokenExperts.colour(5), "#ffffff");
    }

    @Test
    void controlCharactersOtherThanNewlineAndTabShowByTheirCode() {
        TokenView view = new TokenView(List.of(new TokenExperts.Token("r", 0, 23, 1, 0.9f, "\u0014"),
                new TokenExperts.Token("r", 1, 12, 1, 0.9f, "\t")), 0);

        assertThat(tokenChips(view)).extracting(Element::getText).containsExactly("<0x14>", "\t");
    }

    @Test
    void aRunWithoutTextShowsIdsAndSaysWhy() {
        TokenView view = new TokenView(List.of(new TokenExperts.Token("r", 0, 42, 1, 0.9f, null)), 0);

        assertThat(tokenChips(view)).extracting(Element::getText).containsExactly("#42");
        assertThat(view.getElement().getChildren().filter(c -> "token-ids-only".equals(c.getAttribute("id")))
                .map(Element::getText)).containsExactly("This run recorded token ids only (an imported trace "
                + "carries no tokenizer), so each token shows as #id.");
    }

    /** The token chips of the text, in order (the legend's chips have no token id). */
    private static List<Element> tokenChips(TokenView view) {
        var chips = new ArrayList<Element>();
        collect(view.getElement(), chips);
        return chips;
    }

    private static void collect(Element element, List<Element> chips) {
        if (element.hasAttribute("data-token-id")) {
            chips.add(element);
        }
        element.getChildren().forEach(child -> collect(child, chips));
    }
}
