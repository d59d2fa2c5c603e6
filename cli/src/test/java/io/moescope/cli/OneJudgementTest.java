package io.moescope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.analytics.judgement.RoutingJudge;
import io.moescope.analytics.judgement.Verdict;
import io.moescope.analytics.judgement.Verdict.Status;
import io.moescope.dashboard.run.ScorecardRows;
import io.moescope.dashboard.run.ScorecardRows.Card;
import io.moescope.platform.EmbeddedPlatformTest;
import io.moescope.platform.StoredRuns;
import io.moescope.platform.alerts.AlertRuleService;
import io.moescope.platform.metrics.RunMetricsService;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import picocli.CommandLine;

/**
 * Issue 19, item 4: the command line, the API and the scorecards give the same layer the same verdict, by the
 * seeded alert rules (dead experts > 0; hot expert MaxVio > 1, clears at 0.8; routing collapse entropy < 0.7,
 * clears at 0.75).
 *
 * <p>The layer is Mixtral-shaped (8 experts, top-2, 400 tokens) with counts 230 169 109 104 84 49 42 13 of 800:
 * MaxVio = 230 / 100 - 1 = 1.300, normalised entropy 0.891, smallest share 13 / 800 = 0.01625 above the dead
 * bound 0.1 / 8 = 0.0125. The old CLI called this DEGRADED for entropy 0.891 &lt; 0.900 and ignored MaxVio, while the
 * scorecard showed MaxVio red: now all three say BREACH by 'hot expert', with entropy clear.
 */
@TestPropertySource(properties = "moescope.demo.enabled=false")
class OneJudgementTest extends EmbeddedPlatformTest {

    private static final String RUN = "hot-but-spread";
    private static final String REASON = "max_vio 1.300 breaches rule 'hot expert' (fires when max_vio > 1)";

    @LocalServerPort
    private int port;
    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private TestRestTemplate http;
    @Autowired
    private RunMetricsService runMetrics;
    @Autowired
    private AlertRuleService alertRules;

    @BeforeEach
    void storeTheRun() {
        new StoredRuns(jdbc).store(RUN, RUN, 8, 400, hotButSpread());
    }

    /**
     * Token t's top-2: the 800 choices 0x230 1x169 2x109 3x104 4x84 5x49 6x42 7x13 in order, token t taking choice
     * t and choice 400 + t (first half: experts 0, 1 and one 2; second half: 2 to 7), so no token repeats an expert.
     */
    private static int[][][] hotButSpread() {
        long[] counts = {230, 169, 109, 104, 84, 49, 42, 13};
        int[] choices = new int[800];
        int i = 0;
        for (int e = 0; e < counts.length; e++) {
            for (int c = 0; c < counts[e]; c++) {
                choices[i++] = e;
            }
        }
        int[][][] topK = new int[400][1][];
        for (int t = 0; t < 400; t++) {
            topK[t][0] = new int[] {choices[t], choices[400 + t]};
        }
        return topK;
    }

    @Test
    void theApiAnswersBreachByTheHotExpertRule() throws Exception {
        JsonNode verdict = new ObjectMapper().readTree(http.getForObject("/api/runs/" + RUN + "/metrics", String.class))
                .path("layers").get(0).path("verdict");

        assertThat(verdict.path("status").asText()).isEqualTo("BREACH");
        assertThat(verdict.path("rule").asText()).isEqualTo("hot expert");
        assertThat(verdict.path("reason").asText()).isEqualTo(REASON);
    }

    @Test
    void theCommandLinePrintsTheSameVerdictForTheLayer() {
        var out = new StringWriter();
        CommandLine cli = MoescopeCli.commandLine();
        cli.setOut(new PrintWriter(out, true));

        assertThat(cli.execute("metrics", "--run", RUN, "--server", "http://localhost:" + port)).isZero();

        // layer 0's row: its MaxVio and normalised entropy, however wide the table's columns are
        assertThat(out.toString()).containsPattern("(?m)^ +0 +1\\.300 .* 0\\.891 ").contains("BREACH: " + REASON);
    }

    @Test
    void theScorecardShowsMaxVioRedAndEntropyGreen() {
        var layers = runMetrics.metrics(RUN, Optional.empty()).orElseThrow().layers();
        var row = ScorecardRows.of(layers, new RoutingJudge(alertRules.rules(), RUN)).get(0);

        assertThat(card(row, ScorecardRows.Figure.MAX_VIO).verdict())
                .isEqualTo(new Verdict(0, Status.BREACH, "hot expert",
                        "breaches rule 'hot expert' (fires when max_vio > 1)", 800));
        assertThat(card(row, ScorecardRows.Figure.NORMALISED_ENTROPY).verdict().status()).isEqualTo(Status.OK);
        assertThat(card(row, ScorecardRows.Figure.NORMALISED_ENTROPY).text()).isEqualTo("0.891");
        assertThat(card(row, ScorecardRows.Figure.DEAD_EXPERTS).verdict().status()).isEqualTo(Status.OK);
    }

    @Test
    void theLayerVerdictIsTheWorstOfItsScorecards() {
        var layers = runMetrics.metrics(RUN, Optional.empty()).orElseThrow().layers();
        var judge = new RoutingJudge(alertRules.rules(), RUN);
        var worstCard = ScorecardRows.of(layers, judge).get(0).cards().stream().map(Card::verdict)
                .reduce(Verdict::worse).orElseThrow();

        assertThat(worstCard.status()).isEqualTo(Status.BREACH);
        assertThat(worstCard.rule()).isEqualTo("hot expert");
    }

    private static Card card(ScorecardRows.Row row, ScorecardRows.Figure figure) {
        return row.cards().stream().filter(c -> c.figure() == figure).findFirst().orElseThrow();
    }
}
