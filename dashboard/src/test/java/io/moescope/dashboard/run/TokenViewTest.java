package io.moescope.dashboard.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.dom.Element;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenViewTest {

    private static final List<TokenExperts.Token> HELLO_WORLD = List.of(
            new TokenExperts.Token("req-1", 0, 1, 3, 0.5f, "<s>", false),
            new TokenExperts.Token("req-1", 1, 15043, 3, 0.625f, "Hello", false),
            new TokenExperts.Token("req-1", 2, 3186, 5, 0.75f, " world", false),
            new TokenExperts.Token("req-1", 3, 13, -1, Float.NaN, "\n", false));

    @Test
    void probeRunTokensShowTheirTextWithSpacesKept() {
        TokenView view = view(HELLO_WORLD, 2);

        assertThat(tokenChips(view)).extracting(Element::getText).containsExactly("<s>", "Hello", " world", "\u21b5");
        assertThat(view.getElement().getChildren().anyMatch(c -> "token-ids-only".equals(c.getAttribute("id"))))
                .isFalse();
    }

    @Test
    void eachTokensTooltipGivesItsIdPositionExpertAndGateWeight() {
        TokenView view = view(HELLO_WORLD, 2);

        assertThat(tokenChips(view)).extracting(chip -> chip.getAttribute("title")).containsExactly(
                "token id 1, request req-1, position 0: expert 3, gate weight 0.500",
                "token id 15043, request req-1, position 1: expert 3, gate weight 0.625",
                "token id 3186, request req-1, position 2: expert 5, gate weight 0.750",
                "token id 13, request req-1, position 3: no decision at this layer");
    }

    @Test
    void tokensAreColouredByTheirFirstChoiceExpert() {
        TokenView view = view(HELLO_WORLD, 2);

        assertThat(tokenChips(view)).extracting(chip -> chip.getStyle().get("background")).containsExactly(
                TokenExperts.colour(3), TokenExperts.colour(3), TokenExperts.colour(5), "#ffffff");
    }

    @Test
    void controlCharactersOtherThanNewlineAndTabShowByTheirCode() {
        TokenView view = view(List.of(new TokenExperts.Token("r", 0, 23, 1, 0.9f, "\u0014", false),
                new TokenExperts.Token("r", 1, 12, 1, 0.9f, "\t", false)), 0);

        assertThat(tokenChips(view)).extracting(Element::getText).containsExactly("<0x14>", "\t");
    }

    @Test
    void aRunWithoutTextShowsIdsAndSaysWhy() {
        TokenView view = view(List.of(new TokenExperts.Token("r", 0, 42, 1, 0.9f, null, false)), 0);

        assertThat(tokenChips(view)).extracting(Element::getText).containsExactly("#42");
        assertThat(view.getElement().getChildren().filter(c -> "token-ids-only".equals(c.getAttribute("id")))
                .map(Element::getText)).containsExactly("This run recorded token ids only (an imported trace "
                + "carries no tokenizer), so each token shows as #id.");
    }

    private static TokenView view(List<TokenExperts.Token> tokens, int layer) {
        return new TokenView(new TokenView.Page(0, 400, tokens, false, "no token"), layer, page -> {
            throw new AssertionError("a single page has no other");
        });
    }

    @Test
    void aPageWithoutTokensSaysWhyAsItsReaderTold() {
        TokenView view = view(List.of(), 0);
        assertThat(view.getChildren().filter(c -> c instanceof Paragraph).map(c -> c.getElement().getText()))
                .containsExactly("no token");
    }

    @Test
    void aMarkShowsWhereTheGeneratedTokensOfARequestBegin() {
        TokenView view = view(List.of(new TokenExperts.Token("r", 0, 1, 1, 0.9f, "Hi", false),
                new TokenExperts.Token("r", 1, 2, 1, 0.9f, " there", true),
                new TokenExperts.Token("r", 2, 3, 1, 0.9f, "!", true),
                new TokenExperts.Token("s", 0, 4, 1, 0.9f, "Yo", false)), 0);

        List<Element> text = find(view.getElement(), "token-text").getChildren().toList();
        assertThat(text).extracting(Element::getTextRecursively).containsExactly("request r", "Hi", "\u25b6 generated:",
                " there", "!", "request s", "Yo");
        assertThat(text.get(2).getClassList()).contains("generation-start");
    }

    @Test
    void theNextButtonShowsTheNextPageAndPreviousGoesBack() {
        List<TokenExperts.Token> second = List.of(new TokenExperts.Token("r", 400, 9, 1, 0.9f, "later", true));
        TokenView view = new TokenView(new TokenView.Page(0, 400, HELLO_WORLD, true, "none"), 2,
                page -> page == 1 ? new TokenView.Page(1, 400, second, false, "none")
                        : new TokenView.Page(0, 400, HELLO_WORLD, true, "none"));
        assertThat(button(view, "tokens-previous").isEnabled()).isFalse();

        button(view, "tokens-next").click();

        assertThat(tokenChips(view)).extracting(Element::getText).containsExactly("later");
        assertThat(view.getElement().getChildren().map(Element::getText)).contains("Tokens 401 to 401 of the run,"
                + " request by request as they arrived, prompt and generated (where generation starts is marked),"
                + " each coloured by the expert its router ranked first at layer 2. Hover a token for its id,"
                + " position, expert and gate weight.");
        assertThat(button(view, "tokens-next").isEnabled()).isFalse();
        button(view, "tokens-previous").click();
        assertThat(tokenChips(view)).hasSize(4);
    }

    private static com.vaadin.flow.component.button.Button button(TokenView view, String id) {
        return (com.vaadin.flow.component.button.Button) find(view.getElement(), id).getComponent().orElseThrow();
    }

    private static Element find(Element element, String id) {
        if (id.equals(element.getAttribute("id"))) {
            return element;
        }
        return element.getChildren().map(child -> find(child, id)).filter(java.util.Objects::nonNull).findFirst()
                .orElse(null);
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
