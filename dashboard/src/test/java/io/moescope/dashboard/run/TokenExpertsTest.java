package io.moescope.dashboard.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenExpertsTest {

    private static TokenRouting token(int index, RouterDecision... decisions) {
        return new TokenRouting("run", "r1", index, 100 + index, Phase.DECODE, 0, List.of(decisions));
    }

    @Test
    void eachTokenTakesTheExpertRankedFirstAtTheChosenLayer() {
        var tokens = List.of(token(0, new RouterDecision(0, new int[] {3, 1}, new float[] {0.7f, 0.3f}, 1f),
                new RouterDecision(1, new int[] {5, 2}, new float[] {0.6f, 0.4f}, 1f)));

        assertThat(TokenExperts.at(tokens, 1, Map.of(100, " Hello")))
                .containsExactly(new TokenExperts.Token("r1", 0, 100, 5, 0.6f, " Hello", true));
    }

    @Test
    void aTokenWithoutADecisionAtTheLayerHasNoExpertAndIsWhite() {
        var tokens = List.of(token(0, new RouterDecision(0, new int[] {3, 1}, new float[] {0.7f, 0.3f}, 1f)));

        assertThat(TokenExperts.at(tokens, 7, Map.of()).get(0).firstChoice()).isEqualTo(-1);
        assertThat(TokenExperts.colour(-1)).isEqualTo("#ffffff");
    }

    @Test
    void aTokenWhoseIdHasNoRecordedTextHasNone() {
        var tokens = List.of(token(0, new RouterDecision(0, new int[] {3, 1}, new float[] {0.7f, 0.3f}, 1f)));

        assertThat(TokenExperts.at(tokens, 0, Map.of(7, "x")).get(0).text()).isNull();
    }

    @Test
    void expertsBeyondThePaletteReuseItsColours() {
        assertThat(TokenExperts.colour(21)).isEqualTo(TokenExperts.colour(1)).isEqualTo("#f28e2b");
    }
}
