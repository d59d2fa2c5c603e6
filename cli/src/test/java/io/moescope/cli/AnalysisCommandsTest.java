package io.moescope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.cli.MoescopeCli;
import io.moescope.platform.EmbeddedPlatformTest;
import io.moescope.platform.StoredRuns;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import picocli.CommandLine;

/** {@code moescope metrics | compare | placement} as thin clients of a running platform's JSON API. */
@TestPropertySource(properties = "moescope.demo.enabled=false")
class AnalysisCommandsTest extends EmbeddedPlatformTest {

    @LocalServerPort
    private int port;
    @Autowired
    private JdbcTemplate jdbc;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void storeRuns() {
        var runs = new StoredRuns(jdbc);
        runs.store("suite-a", "suite-run-a", 4, 2, StoredRuns.RUN_A);
        runs.store("suite-b", "suite-run-b", 4, 2, StoredRuns.RUN_B);
        runs.storeNotSeparable("suite-c", "suite-run-c", 4, 2, StoredRuns.RUN_B, "one req_id for every prompt");
        runs.store("suite-two", "suite-run-two", 4, 2, StoredRuns.RUN_A, 2);
    }

    private int run(String... args) {
        CommandLine cli = MoescopeCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] withServer = new String[args.length + 2];
        System.arraycopy(args, 0, withServer, 0, args.length);
        withServer[args.length] = "--server";
        withServer[args.length + 1] = "http://localhost:" + port;
        return cli.execute(withServer);
    }

    @Test
    void metricsByRunNamePrintsTheSuiteAsJson() throws Exception {
        assertThat(run("metrics", "--run", "suite-run-a", "--phase", "decode", "--json")).isZero();
        JsonNode suite = new ObjectMapper().readTree(out.toString());
        assertThat(suite.path("runId").asText()).isEqualTo("suite-a");
        assertThat(suite.path("layers").get(0).path("counts").toString()).isEqualTo("[1,1,1,1]");
    }

    @Test
    void metricsPrintsTheModelRowAndTheLayersPooledRoutingConsistency() {
        assertThat(run("metrics", "--run", "suite-a")).isZero();
        assertThat(out.toString()).contains("model  0.750 ").contains("routing consistency (layers pooled, 6 pairs):"
                + " same first choice 0.667 (random 0.250), top-k intersect 0.833 (random 0.833)");
    }

    /** Layer 0 of run A's two requests: MaxVio 1 alone, 0 alone, 0.5 together (the hand-worked API example). */
    @Test
    void metricsPrintsEachFigureWithIts95PercentIntervalAndHowItWasResampled() {
        assertThat(run("metrics", "--run", "suite-two")).isZero();
        assertThat(out.toString()).contains("    0  0.500 [0.000, 1.000]  ")
                .contains("95 % intervals: bootstrap over 2 requests");
    }

    /** Each column's header starts where its cells start, also where the cells carry intervals. */
    @Test
    void metricsTableHeadersStandOverTheirColumnsWithIntervals() {
        assertThat(run("metrics", "--run", "suite-two")).isZero();
        List<String> lines = out.toString().lines().toList();
        String header = lines.stream().filter(l -> l.startsWith("layer")).findFirst().orElseThrow();
        String layer0 = lines.get(lines.indexOf(header) + 1);
        for (String column : List.of("cv", "gini", "entropy", "effective", "dead", "verdict")) {
            int at = header.indexOf(" " + column) + 1;
            assertThat(layer0.charAt(at - 1)).as(column + " in\n" + header + "\n" + layer0).isEqualTo(' ');
            assertThat(layer0.charAt(at)).as(column + " in\n" + header + "\n" + layer0).isNotEqualTo(' ');
        }
    }

    @Test
    void metricsOfOneRequestPrintsTheFiguresAloneAndWhyThereIsNoInterval() {
        assertThat(run("metrics", "--run", "suite-a")).isZero();
        assertThat(out.toString()).contains("95 % intervals: undefined, no interval from 1 unit(s) of resampling"
                + " (bootstrap over 1 requests): it needs at least 2");
    }

    /** Run A's token ids are all distinct: none is seen 10 times. */
    @Test
    void metricsPrintsVocabularySpecialisationAsUndefinedWithTheReason() {
        assertThat(run("metrics", "--run", "suite-a")).isZero();
        assertThat(out.toString()).contains("vocabulary specialisation: undefined, vocabulary specialisation is"
                + " undefined for layer 0: no token id occurs at least 10 times");
    }

    /** Run A: 4 tokens x 2 MoE layers. One phase of it is never stored: each request computes it. */
    @Test
    void metricsSaysTheAnswerWasComputedNowAndHowManyDecisionsTheRunHolds() {
        assertThat(run("metrics", "--run", "suite-a", "--phase", "decode")).isZero();
        assertThat(out.toString().lines()).contains("computed now; the run holds 8 decisions");
    }

    /** The first request for the ended run's whole suite stores it; the next is answered from the store. */
    @Test
    void metricsSaysTheAnswerWasTheStoredAnalysisAndWhenItWasComputed() {
        assertThat(run("metrics", "--run", "suite-b")).isZero();
        assertThat(run("metrics", "--run", "suite-b")).isZero();
        Instant at = jdbc.queryForObject("SELECT computed_at FROM run_metric_suite WHERE run_id = 'suite-b'",
                Timestamp.class).toInstant();

        assertThat(out.toString().lines()).contains("stored analysis, computed " + at + " over 8 decisions");
    }

    @Test
    void compareTakesTwoRunsAndPrintsOverlapPerLayer() {
        assertThat(run("compare", "--run", "suite-run-a", "--run", "suite-b")).isZero();
        assertThat(out.toString()).contains("suite-a vs suite-b").contains("    0  ").contains("0.7500")
                .contains("0.8750  (mean over layers)");
    }

    @Test
    void metricsOfARunWhoseRequestsCannotBeToldApartPrintsRoutingConsistencyAsUndefinedWithTheReason() {
        assertThat(run("metrics", "--run", "suite-c")).isZero();
        assertThat(out.toString()).contains("routing consistency (layers pooled): undefined, requests cannot be told"
                + " apart: one req_id for every prompt");
    }

    @Test
    void compareWithARunWhoseRequestsCannotBeToldApartPrintsTheOverlapAsUndefinedWithTheReason() {
        assertThat(run("compare", "--run", "suite-a", "--run", "suite-c")).isZero();
        assertThat(out.toString()).contains("top-k overlap: undefined, requests cannot be told apart: run suite-c:"
                + " one req_id for every prompt").doesNotContain("JSD: undefined");
    }

    @Test
    void placementPrintsBalancednessBeforeAndAfter() {
        assertThat(run("placement", "--run", "suite-a", "--gpus", "2")).isZero();
        assertThat(out.toString()).contains("balancedness mean 0.650 -> 1.000");
    }

    /**
     * Layer 0 of run A's two requests sits 3 | 1 on the GPUs before with the first alone (0.667), 2 | 2 with the
     * second (1); the plan balances both (the hand-worked API example).
     */
    @Test
    void placementPrintsBalancednessWithIts95PercentIntervalAndTheTokensOfEachLayer() {
        assertThat(run("placement", "--run", "suite-two", "--gpus", "2")).isZero();
        assertThat(out.toString()).contains("balancedness mean 0.650 [0.583, 0.750] -> 1.000 [1.000, 1.000]")
                .contains("layer 0: 0.800 [0.667, 1.000] -> 1.000 [1.000, 1.000]  4 tokens")
                .contains("95 % intervals (this placement on resampled traffic): bootstrap over 2 requests");
    }

    @Test
    void placementOfOneRequestSaysWhyThereIsNoInterval() {
        assertThat(run("placement", "--run", "suite-a", "--gpus", "2")).isZero();
        assertThat(out.toString()).contains("95 % intervals (this placement on resampled traffic): undefined, no"
                + " interval from 1 unit(s) of resampling (bootstrap over 1 requests): it needs at least 2");
    }

    @Test
    void anUnknownRunIsOneLineNamingIt() {
        assertThat(run("metrics", "--run", "no-such-run")).isEqualTo(2);
        assertThat(err.toString().strip()).startsWith("moescope: ").contains("no-such-run");
    }
}
