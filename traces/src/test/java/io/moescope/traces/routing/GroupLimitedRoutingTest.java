package io.moescope.traces.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.moescope.traces.routing.GroupLimitedRouting.Method;
import io.moescope.traces.routing.GroupLimitedRouting.Scoring;
import org.junit.jupiter.api.Test;

/** 8 experts in 4 groups of 2: {0, 1}, {2, 3}, {4, 5}, {6, 7}. */
class GroupLimitedRoutingTest {

    /** Sigmoid scores of 8 experts. */
    private static final double[] SCORES = {0.9, 0.1, 0.6, 0.5, 0.7, 0.2, 0.3, 0.3};
    private static final float[] NO_BIAS = new float[8];

    private static GroupLimitedRouting noauxTc(int keptGroups, int topK) {
        return new GroupLimitedRouting(8, topK, Scoring.SIGMOID, Method.NOAUX_TC, 4, keptGroups, true, 2.5);
    }

    @Test
    void noauxTcKeepsTheBestGroupsAndScalesTheRenormalisedScores() {
        // group sums of the top two: 1.0, 1.1, 0.9, 0.6: groups 1 and 0 kept; best two in them: 0 (0.9), 2 (0.6)
        Choice choice = noauxTc(2, 2).choose(SCORES, NO_BIAS);
        assertThat(choice.ids()).containsExactly(0, 2);
        // 0.9 / 1.5 x 2.5, 0.6 / 1.5 x 2.5
        assertThat(choice.weights()).containsExactly(new float[] {1.5f, 1.0f}, within(1e-6f));
    }

    @Test
    void groupsAreScoredByTheSumOfTheirTwoBestScoresNotTheBestOne() {
        // by its best score group 0 (0.9) would win; by the sum of two, group 1 (0.6 + 0.5 = 1.1 > 1.0) does
        Choice choice = noauxTc(1, 2).choose(SCORES, NO_BIAS);
        assertThat(choice.ids()).containsExactly(2, 3);
        assertThat(choice.weights()).containsExactly(new float[] {1.3636364f, 1.1363636f}, within(1e-6f));
    }

    @Test
    void theCorrectionBiasChangesTheChoiceButTheWeightsAreTheUnbiasedScores() {
        float[] bias = {0, 0, 0, 0, 0, 0.6f, 0, 0};
        // biased: expert 5 at 0.8, group 2 sums 1.5 and is kept with group 1 (1.1); best two: 5 (0.8), 4 (0.7)
        Choice choice = noauxTc(2, 2).choose(SCORES, bias);
        assertThat(choice.ids()).containsExactly(5, 4);
        // unbiased 0.2 and 0.7: 0.2 / 0.9 x 2.5, 0.7 / 0.9 x 2.5
        assertThat(choice.weights()).containsExactly(new float[] {0.5555556f, 1.9444444f}, within(1e-6f));
    }

    @Test
    void groupLimitedGreedyScoresAGroupByItsBestScoreAndScalesWithoutRenormalising() {
        double[] softmax = {0.30, 0.05, 0.20, 0.15, 0.18, 0.04, 0.04, 0.04};
        var rule = new GroupLimitedRouting(8, 3, Scoring.SOFTMAX, Method.GROUP_LIMITED_GREEDY, 4, 2, false, 16);
        // group maxima 0.30, 0.20, 0.18, 0.04: groups 0 and 1 kept, so 4 (0.18) loses to 3 (0.15)
        Choice choice = rule.choose(softmax, null);
        assertThat(choice.ids()).containsExactly(0, 2, 3);
        assertThat(choice.weights()).containsExactly(new float[] {4.8f, 3.2f, 2.4f}, within(1e-6f));
    }

    @Test
    void greedyTakesTheLargestScoresAcrossAllGroups() {
        double[] softmax = {0.30, 0.05, 0.20, 0.15, 0.18, 0.04, 0.04, 0.04};
        var rule = new GroupLimitedRouting(8, 3, Scoring.SOFTMAX, Method.GREEDY, 1, 1, false, 1);
        assertThat(rule.choose(softmax, null).ids()).containsExactly(0, 2, 4);
    }

    @Test
    void sigmoidEntropyIsThatOfTheUnbiasedScoresNormalisedOverAllN() {
        var rule = noauxTc(2, 2);
        // every logit 0: every score 0.5, normalised 1/8 each
        assertThat(rule.route(new float[8], NO_BIAS).entropy()).isEqualTo((float) Math.log(8));
        // scores (0.9, 0.1, ...) / their sum 3.6
        assertThat(rule.entropy(SCORES)).isCloseTo(entropyOf(SCORES), within(1e-12));
    }

    @Test
    void noauxTcWithoutTheBiasIsRefusedNamingIt() {
        assertThatThrownBy(() -> noauxTc(2, 2).choose(SCORES, null)).hasMessage(
                "noaux_tc chooses with e_score_correction_bias: need 8 values but got none");
    }

    @Test
    void aGroupCountThatDoesNotDivideTheExpertsIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> new GroupLimitedRouting(8, 2, Scoring.SIGMOID, Method.NOAUX_TC, 3, 1, true, 2.5))
                .hasMessage("\"n_group\" must divide the 8 routed experts but is 3");
    }

    @Test
    void moreExpertsPerTokenThanTheKeptGroupsHoldAreRefused() {
        assertThatThrownBy(() -> new GroupLimitedRouting(8, 3, Scoring.SIGMOID, Method.NOAUX_TC, 4, 1, true, 2.5))
                .hasMessage("\"num_experts_per_tok\" (3) exceeds the 2 experts of topk_group (1) groups of 2");
    }

    private static double entropyOf(double[] scores) {
        double sum = 0;
        for (double s : scores) {
            sum += s;
        }
        double h = 0;
        for (double s : scores) {
            h -= s / sum * Math.log(s / sum);
        }
        return h;
    }
}
