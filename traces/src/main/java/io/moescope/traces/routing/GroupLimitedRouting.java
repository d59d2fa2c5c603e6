package io.moescope.traces.routing;

import io.moescope.analytics.collapse.ShannonEntropy;
import java.util.Arrays;

/**
 * DeepSeek's router (DeepSeek-V2/V3, GLM4-MoE): scores by {@code scoring_func}, experts chosen by {@code
 * topk_method}, weights from the scores of the chosen experts.
 * <ul>
 *   <li>{@code noaux_tc} (V3): the choice is made on {@code scores + e_score_correction_bias}; experts form
 *   {@code n_group} groups of N / n_group consecutive ids, each scored by the sum of its two largest biased scores;
 *   the {@code topk_group} best groups are kept and the k best experts among them chosen. The bias only chooses: it is
 *   not in the weights.</li>
 *   <li>{@code group_limited_greedy} (V2): the same with unbiased scores and a group scored by its largest score.</li>
 *   <li>{@code greedy} (V2-Lite): the k largest scores.</li>
 * </ul>
 * Experts outside the kept groups cannot be chosen (vLLM, SGLang and transformers 5 mask them with -inf; DeepSeek's
 * own code with 0, which differs only when fewer than k kept scores are positive). The weights are the unbiased
 * scores of the chosen experts, divided by their sum + 1e-20 when {@code norm_topk_prob}, times {@code
 * routed_scaling_factor}. The entropy is that of the scores over all N, normalised to sum 1 for sigmoid scores
 * (which do not) and the softmax itself for softmax scores. Computed in double precision, where transformers uses
 * float32: a choice can differ only between scores equal to float32 precision.
 *
 * @param groups        {@code n_group} (unused by greedy)
 * @param keptGroups    {@code topk_group} (unused by greedy)
 * @param normalise     {@code norm_topk_prob}
 * @param scalingFactor {@code routed_scaling_factor}
 */
public record GroupLimitedRouting(int numExperts, int topK, Scoring scoring, Method method, int groups,
                                  int keptGroups, boolean normalise, double scalingFactor) implements RouterRule {

    /** HF DeepseekV3's guard against a zero sum of the chosen scores. */
    static final double NORMALISATION_EPSILON = 1e-20;

    /** {@code scoring_func}, spelled in config.json as the lower-case name. */
    public enum Scoring {
        SIGMOID, SOFTMAX
    }

    /** {@code topk_method}, spelled in config.json as the lower-case name. */
    public enum Method {
        NOAUX_TC, GREEDY, GROUP_LIMITED_GREEDY
    }

    public GroupLimitedRouting {
        RouterRules.requireTopK(numExperts, topK);
        if (method != Method.GREEDY) {
            requireGroups(numExperts, topK, method, groups, keptGroups);
        }
        if (!(scalingFactor > 0) || Double.isInfinite(scalingFactor)) {
            throw new IllegalArgumentException("\"routed_scaling_factor\" must be a positive number but is "
                    + scalingFactor);
        }
    }

    @Override
    public boolean needsCorrectionBias() {
        return method == Method.NOAUX_TC;
    }

    @Override
    public double[] scores(float[] logits) {
        double[] x = Scores.checked(logits, numExperts);
        return scoring == Scoring.SIGMOID ? Scores.sigmoid(x) : Scores.softmax(x);
    }

    @Override
    public Choice choose(double[] scores, float[] correctionBias) {
        double[] forChoice = needsCorrectionBias() ? biased(scores, correctionBias) : scores;
        boolean[] eligible = method == Method.GREEDY ? null : keptExperts(forChoice);
        int[] ids = TopK.largest(forChoice, topK, eligible);
        double sum = 0;
        for (int id : ids) {
            sum += scores[id];
        }
        double divisor = normalise ? sum + NORMALISATION_EPSILON : 1;
        float[] weights = new float[topK];
        for (int r = 0; r < topK; r++) {
            weights[r] = (float) (scores[ids[r]] / divisor * scalingFactor);
        }
        return new Choice(ids, weights);
    }

    @Override
    public double entropy(double[] scores) {
        return scoring == Scoring.SIGMOID ? Scores.normalisedEntropy(scores) : ShannonEntropy.nats(scores);
    }

    private double[] biased(double[] scores, float[] bias) {
        if (bias == null || bias.length != numExperts) {
            throw new IllegalArgumentException("noaux_tc chooses with e_score_correction_bias: need " + numExperts
                    + " values but got " + (bias == null ? "none" : bias.length));
        }
        double[] b = new double[numExperts];
        for (int i = 0; i < numExperts; i++) {
            b[i] = scores[i] + bias[i];
        }
        return b;
    }

    /** Which experts lie in the {@code topk_group} best groups. */
    private boolean[] keptExperts(double[] forChoice) {
        int size = numExperts / groups;
        double[] groupScore = new double[groups];
        for (int g = 0; g < groups; g++) {
            double[] members = Arrays.copyOfRange(forChoice, g * size, (g + 1) * size);
            groupScore[g] = method == Method.NOAUX_TC ? sumOfTopTwo(members) : members[TopK.largest(members, 1,
                    null)[0]];
        }
        boolean[] eligible = new boolean[numExperts];
        for (int g : TopK.largest(groupScore, keptGroups, null)) {
            Arrays.fill(eligible, g * size, (g + 1) * size, true);
        }
        return eligible;
    }

    private static double sumOfTopTwo(double[] members) {
        int[] two = TopK.largest(members, 2, null);
        return members[two[0]] + members[two[1]];
    }

    private static void requireGroups(int numExperts, int topK, Method method, int groups, int keptGroups) {
        if (groups < 1 || numExperts % groups != 0) {
            throw new IllegalArgumentException("\"n_group\" must divide the " + numExperts + " routed experts but is "
                    + groups);
        }
        if (keptGroups < 1 || keptGroups > groups) {
            throw new IllegalArgumentException("\"topk_group\" must be between 1 and n_group (" + groups + ") but is "
                    + keptGroups);
        }
        int size = numExperts / groups;
        if (method == Method.NOAUX_TC && size < 2) {
            throw new IllegalArgumentException("noaux_tc scores a group by its two best experts: n_routed_experts / "
                    + "n_group must be at least 2 but is " + size);
        }
        if (topK > keptGroups * size) {
            throw new IllegalArgumentException("\"num_experts_per_tok\" (" + topK + ") exceeds the " + keptGroups * size
                    + " experts of topk_group (" + keptGroups + ") groups of " + size);
        }
    }
}
