package io.moescope.dashboard.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.analytics.collapse.DeadExperts;
import io.moescope.analytics.collapse.DominantShare;
import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.evidence.Interval;
import io.moescope.analytics.judgement.Verdict;
import io.moescope.analytics.model.LayerAggregate;
import io.moescope.analytics.suite.LayerSuite;
import io.moescope.analytics.suite.ModelLoadSummary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LayerEvidenceRowsTest {

    private static final String METHOD = "bootstrap over 12 requests";
    private static final String TOO_FEW = "no interval from 1 unit(s) of resampling (bootstrap over 1 requests): it "
            + "needs at least 2";
    private static final Verdict TOO_FEW_TO_TELL = new Verdict(3, Verdict.Status.NEAR, "hot expert",
            "maxVio 0.412 is past rule 'hot expert' (fires when max_vio > 0.3), but a balanced router shows up to "
            + "0.650 at 2,400 decisions: too few to tell", 2_400);

    @Test
    void aFigureShowsItsValueWithTheBoundsOfItsInterval() {
        var row = LayerEvidenceRows.of(List.of(layer(every(interval(0.301, 0.530))))).get(0);

        assertThat(row.cells().get(0).text()).isEqualTo("0.412 [0.301, 0.530]");
    }

    @Test
    void eachFigureKeepsTheFormatOfTheScorecardsAndSharesShowInPerCent() {
        // intervals the value itself, so the formats alone show
        var intervals = new LinkedHashMap<String, Defined<Interval>>();
        Map.of("maxVio", 0.412, "cv", 0.25, "gini", 0.125, "normalisedEntropy", 0.9876, "effectiveExperts", 3.456,
                "deadExperts", 1.0, "dominantShare", 0.375, "minShare", 0.0625)
                .forEach((figure, value) -> intervals.put(figure, interval(value, value)));

        var row = LayerEvidenceRows.of(List.of(layer(intervals))).get(0);

        assertThat(row.cells()).extracting(LayerEvidenceRows.Cell::text).containsExactly(
                "0.412 [0.412, 0.412]",       // MaxVio %.3f
                "0.250 [0.250, 0.250]",       // CV %.3f
                "0.125 [0.125, 0.125]",       // Gini %.3f
                "0.988 [0.988, 0.988]",       // normalised entropy %.3f
                "3.46 [3.46, 3.46]",          // effective experts %.2f
                "1 [1, 1]",                   // dead experts, a count
                "37.50 % [37.50 %, 37.50 %]", // dominant share 0.375
                "6.25 % [6.25 %, 6.25 %]");   // min share 0.0625
    }

    @Test
    void theTooltipGivesTheIntervalsLevelAndMethod() {
        var row = LayerEvidenceRows.of(List.of(layer(every(interval(0.301, 0.530))))).get(0);

        assertThat(row.cells().get(0).tooltip()).isEqualTo("95 % interval 0.301 to 0.530, bootstrap over 12 requests");
    }

    @Test
    void anUndefinedIntervalIsADashWithItsReasonNeverANumber() {
        var row = LayerEvidenceRows.of(List.of(layer(every(Defined.undefined(TOO_FEW))))).get(0);

        assertThat(row.cells().get(0).text()).isEqualTo("0.412 [–]");
        assertThat(row.cells().get(0).tooltip()).isEqualTo("no interval: " + TOO_FEW);
    }

    @Test
    void theRowCarriesTheVerdictWithItsReasonAndTheSampleItRestsOn() {
        var row = LayerEvidenceRows.of(List.of(layer(every(interval(0.301, 0.530))))).get(0);

        assertThat(row.layer()).isEqualTo(3);
        assertThat(row.status()).isEqualTo(Verdict.Status.NEAR);
        assertThat(row.verdict()).isEqualTo("near");
        assertThat(row.reason()).isEqualTo(TOO_FEW_TO_TELL.reason());
        assertThat(row.tokens()).isEqualTo("1,200");
        assertThat(row.decisions()).isEqualTo("2,400");
    }

    @Test
    void aLayerWhoseIntervalsShareOneBootstrapNamesItOnce() {
        var row = LayerEvidenceRows.of(List.of(layer(every(interval(0.301, 0.530))))).get(0);

        assertThat(row.intervals()).isEqualTo("95 % intervals by bootstrap over 12 requests");
    }

    @Test
    void whenNoIntervalIsDefinedTheNoteGivesTheOneReason() {
        var row = LayerEvidenceRows.of(List.of(layer(every(Defined.undefined(TOO_FEW))))).get(0);

        assertThat(row.intervals()).isEqualTo("no intervals: " + TOO_FEW);
    }

    @Test
    void figuresMissingAnIntervalAmongDefinedOnesAreNamedWithTheReason() {
        var intervals = every(interval(0.301, 0.530));
        intervals.put("deadExperts", Defined.undefined("the figure is undefined in every resample"));

        var row = LayerEvidenceRows.of(List.of(layer(intervals))).get(0);

        assertThat(row.intervals()).isEqualTo("95 % intervals by bootstrap over 12 requests; no interval for Dead "
                + "experts: the figure is undefined in every resample");
    }

    @Test
    void theModelLineGivesTheMeansOverLayersWithTheirIntervalsAndTheWorstVerdict() {
        var intervals = every(interval(0.25, 0.75));
        intervals.remove("minShare");
        var mean = new LayerAggregate(0.5, 0.6, 3);
        var model = new ModelLoadSummary(mean, mean, mean, mean, mean, mean, mean, TOO_FEW_TO_TELL,
                List.of(TOO_FEW_TO_TELL), List.of(), 1_200, intervals);

        assertThat(LayerEvidenceRows.modelLine(Defined.of(model))).isEqualTo("Model, mean over layers (1,200 tokens): "
                + "MaxVio 0.500 [0.250, 0.750], CV 0.500 [0.250, 0.750], Gini 0.500 [0.250, 0.750], "
                + "Normalised entropy 0.500 [0.250, 0.750], Effective experts 0.50 [0.25, 0.75], "
                // a mean count of dead experts keeps its fraction
                + "Dead experts 0.50 [0.25, 0.75], Dominant share 50.00 % [25.00 %, 75.00 %]; "
                + "95 % intervals by bootstrap over 12 requests. Worst layer 3: near, " + TOO_FEW_TO_TELL.reason()
                + ".");
    }

    @Test
    void anUndefinedModelSummaryShowsItsReason() {
        assertThat(LayerEvidenceRows.modelLine(Defined.undefined("no routed token in the whole run")))
                .isEqualTo("No model summary: no routed token in the whole run");
    }

    private static Defined<Interval> interval(double low, double high) {
        return Defined.of(new Interval(low, high, Interval.LEVEL, METHOD, 12));
    }

    /** The same interval for every figure of a layer. */
    private static Map<String, Defined<Interval>> every(Defined<Interval> interval) {
        var intervals = new LinkedHashMap<String, Defined<Interval>>();
        for (String figure : List.of("maxVio", "cv", "gini", "normalisedEntropy", "effectiveExperts", "deadExperts",
                "dominantShare", "minShare")) {
            intervals.put(figure, interval);
        }
        return intervals;
    }

    /**
     * Layer 3 of a top-2 model over 1,200 tokens (counts 900, 750, 600, 150): the figures are set by hand, each to
     * show a format, not computed from the counts.
     */
    private static LayerSuite layer(Map<String, Defined<Interval>> intervals) {
        return new LayerSuite(3, new long[] {900, 750, 600, 150}, new double[] {0.375, 0.3125, 0.25, 0.0625},
                0.412, 0.9876, 0.25, 0.125, 0.0625, 3, 0.375, 0, 0.25, 3.456,
                new DeadExperts(3, 0.3, 0.075, new int[] {3}, new int[0]), new DominantShare(3, 0, 0.375, 0.25),
                TOO_FEW_TO_TELL, Defined.undefined("no consecutive pair"), 1_200, intervals);
    }
}
