package io.moescope.dashboard.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.dashboard.run.ScorecardRows.Card;
import io.moescope.dashboard.run.ScorecardRows.Figure;
import io.moescope.analytics.judgement.Verdict.Status;
import io.moescope.analytics.judgement.Verdict;
import io.moescope.dashboard.HtmlTable;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

class ScorecardsTest {

    private static final Verdict CLEAR = new Verdict(7, Status.OK, null, "no enabled alert rule watches it", 800);

    private static ScorecardRows.Row layerSeven(Verdict maxVio) {
        return new ScorecardRows.Row(7, List.of(new Card(Figure.MAX_VIO, 1.5, "1.500", maxVio),
                new Card(Figure.CV, 0.25, "0.250", CLEAR),
                new Card(Figure.NORMALISED_ENTROPY, 0.9, "0.900", CLEAR),
                new Card(Figure.EFFECTIVE_EXPERTS, 6.5, "6.50", CLEAR),
                new Card(Figure.DEAD_EXPERTS, 0, "0", CLEAR)));
    }

    private static Element table(ScorecardRows.Row... rows) {
        HtmlTable<ScorecardRows.Row> table = Scorecards.table();
        table.setRows(List.of(rows));
        return Jsoup.parseBodyFragment(table.html()).body().child(0);
    }

    @Test
    void theTableHasAHeaderRowThenTheLayerAndItsFiveCards() {
        Element table = table(layerSeven(CLEAR));

        assertThat(table.select("th, td").eachText()).containsExactly("Layer", "MaxVio", "CV",
                "Normalised entropy", "Effective experts", "Dead experts", "7", "1.500", "0.250", "0.900", "6.50",
                "0");
    }

    @Test
    void aCardCarriesItsIdStatusAndTheRuleThatJudgedItInItsTooltip() {
        var breach = new Verdict(7, Status.BREACH, "hot expert", "breaches rule 'hot expert' (fires when max_vio > 1)",
                800);

        Element card = table(layerSeven(breach)).getElementById("score-7-max_vio");

        assertThat(card.text()).isEqualTo("1.500");
        assertThat(card.classNames()).containsExactlyInAnyOrder("scorecard", "scorecard-breach");
        assertThat(card.attr("data-status")).isEqualTo("breach");
        assertThat(card.attr("title"))
                .isEqualTo("MaxVio of layer 7 = 1.500: breaches rule 'hot expert' (fires when max_vio > 1)");
        assertThat(card.attr("style")).endsWith("background: #fde2e1");
    }

    @Test
    void aRuleNameWithMarkupStaysTextInTheTooltip() {
        var verdict = new Verdict(7, Status.NEAR, "<b>x</b>\"", "near rule '<b>x</b>\"'", 800);

        Element table = table(layerSeven(verdict));

        assertThat(table.getElementsByTag("b")).isEmpty();
        assertThat(table.getElementById("score-7-max_vio").attr("title"))
                .isEqualTo("MaxVio of layer 7 = 1.500: near rule '<b>x</b>\"'");
    }
}
