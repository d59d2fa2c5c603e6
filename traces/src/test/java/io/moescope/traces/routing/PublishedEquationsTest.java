package io.moescope.traces.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.moescope.traces.routing.GroupLimitedRouting.Method;
import io.moescope.traces.routing.GroupLimitedRouting.Scoring;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Each rule against a direct transcription of the published equations (transformers' MixtralSparseMoeBlock,
 * GptOssTopKRouter, DeepseekV3TopkRouter and DeepSeek-V2's MoEGate), written as the Python does it: sort, mask with
 * -inf, gather. Random logits (fixed seeds), so no tie decides anything.
 */
class PublishedEquationsTest {

    private static final int TOKENS = 500;

    @Test
    void softmaxTopKMatchesMixtralsEquations() {
        var rule = new SoftmaxTopK(60, 4, true);
        Random random = new Random(1);
        for (int t = 0; t < TOKENS; t++) {
            double[] logits = logits(random, 60);
            double[] p = softmax(logits);
            int[] ids = topK(p, 4);
            double sum = IntStream.of(ids).mapToDouble(i -> p[i]).sum();
            assertMatches(rule.route(floats(logits), null), ids, IntStream.of(ids).mapToDouble(i -> p[i] / sum)
                    .toArray(), entropy(p));
        }
    }

    @Test
    void topKSoftmaxMatchesGptOssEquations() {
        var rule = new TopKSoftmax(32, 4);
        Random random = new Random(2);
        for (int t = 0; t < TOKENS; t++) {
            double[] logits = logits(random, 32);
            int[] ids = topK(logits, 4);
            double[] chosen = softmax(IntStream.of(ids).mapToDouble(i -> logits[i]).toArray());
            assertMatches(rule.route(floats(logits), null), ids, chosen, entropy(softmax(logits)));
        }
    }

    @Test
    void noauxTcMatchesDeepSeekV3Equations() {
        var rule = new GroupLimitedRouting(256, 8, Scoring.SIGMOID, Method.NOAUX_TC, 8, 4, true, 2.5);
        Random random = new Random(3);
        float[] bias = floats(IntStream.range(0, 256).mapToDouble(i -> random.nextGaussian() * 0.1).toArray());
        for (int t = 0; t < TOKENS; t++) {
            double[] logits = logits(random, 256);
            double[] s = IntStream.range(0, 256).mapToDouble(i -> 1 / (1 + Math.exp(-logits[i]))).toArray();
            double[] forChoice = IntStream.range(0, 256).mapToDouble(i -> s[i] + bias[i]).toArray();
            double[] groupScores = IntStream.range(0, 8).mapToDouble(g -> {
                double[] group = java.util.Arrays.copyOfRange(forChoice, g * 32, g * 32 + 32);
                int[] two = topK(group, 2);
                return group[two[0]] + group[two[1]];
            }).toArray();
            int[] ids = topK(masked(forChoice, topK(groupScores, 4), 32), 8);
            double sum = IntStream.of(ids).mapToDouble(i -> s[i]).sum() + 1e-20;
            double total = IntStream.range(0, 256).mapToDouble(i -> s[i]).sum();
            assertMatches(rule.route(floats(logits), bias), ids,
                    IntStream.of(ids).mapToDouble(i -> s[i] / sum * 2.5).toArray(),
                    entropy(IntStream.range(0, 256).mapToDouble(i -> s[i] / total).toArray()));
        }
    }

    @Test
    void groupLimitedGreedyMatchesDeepSeekV2Equations() {
        var rule = new GroupLimitedRouting(64, 6, Scoring.SOFTMAX, Method.GROUP_LIMITED_GREEDY, 8, 3, false, 16);
        Random random = new Random(4);
        for (int t = 0; t < TOKENS; t++) {
            double[] logits = logits(random, 64);
            double[] p = softmax(logits);
            double[] groupScores = IntStream.range(0, 8).mapToDouble(g -> IntStream.range(g * 8, g * 8 + 8)
                    .mapToDouble(i -> p[i]).max().orElseThrow()).toArray();
            int[] ids = topK(masked(p, topK(groupScores, 3), 8), 6);
            assertMatches(rule.route(floats(logits), null), ids, IntStream.of(ids).mapToDouble(i -> p[i] * 16)
                    .toArray(), entropy(p));
        }
    }

    private static void assertMatches(RouterRule.Routed routed, int[] ids, double[] weights, double entropy) {
        assertThat(routed.choice().ids()).containsExactly(ids);
        for (int r = 0; r < ids.length; r++) {
            assertThat((double) routed.choice().weights()[r]).isCloseTo(weights[r], within(1e-6 * weights[r]));
        }
        assertThat((double) routed.entropy()).isCloseTo(entropy, within(1e-6 * entropy));
    }

    /** torch.topk(sorted=True): indices by descending value. */
    private static int[] topK(double[] values, int k) {
        return IntStream.range(0, values.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -values[i])).limit(k).mapToInt(i -> i).toArray();
    }

    /** {@code masked_fill(~score_mask, -inf)}: experts outside the kept groups. */
    private static double[] masked(double[] scores, int[] keptGroups, int groupSize) {
        double[] masked = new double[scores.length];
        java.util.Arrays.fill(masked, Double.NEGATIVE_INFINITY);
        for (int g : keptGroups) {
            System.arraycopy(scores, g * groupSize, masked, g * groupSize, groupSize);
        }
        return masked;
    }

    private static double[] softmax(double[] x) {
        double max = java.util.Arrays.stream(x).max().orElseThrow();
        double sum = java.util.Arrays.stream(x).map(v -> Math.exp(v - max)).sum();
        return java.util.Arrays.stream(x).map(v -> Math.exp(v - max) / sum).toArray();
    }

    private static double entropy(double[] p) {
        return -java.util.Arrays.stream(p).map(v -> v * Math.log(v)).sum();
    }

    /** Logits as float32, the precision the traces carry, and back. */
    private static double[] logits(Random random, int n) {
        return IntStream.range(0, n).mapToDouble(i -> (float) (random.nextGaussian() * 2)).toArray();
    }

    private static float[] floats(double[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return f;
    }
}
