package io.moescope.analytics.evidence;

import io.moescope.analytics.load.ExpertLoad;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * What a perfectly balanced router shows at a given sample size: the loads it would produce with C decisions over N
 * experts, each decision an expert drawn uniformly. Small samples look imbalanced by chance alone (one token of a
 * top-2-of-8 model leaves 6 experts "dead"; 100 tokens of a top-8-of-128 model have a MaxVio above 1), so a figure
 * is evidence of imbalance or collapse only when it lies past what such a router shows in 95 % of samples of the
 * same size ({@link #quantile}: the 95th percentile of a figure that is bad when high, the 5th of one that is bad
 * when low).
 *
 * <p>The samples are simulated, {@value #SAMPLES} of them, with a seed fixed by (N, C), so a verdict is the same
 * on every call. Below {@value #EXACT_MEAN} decisions per expert every decision is drawn; above it the counts
 * follow the multinomial's normal approximation with its exact covariance (c_i = C/N + sqrt(C/N) (Z_i - mean Z)),
 * which keeps the cost at N draws per sample whatever C. Decisions are drawn independently, while a token's k
 * experts are distinct: the simulated loads vary slightly more than a real balanced router's, so the bound errs
 * towards "cannot tell", never towards a false alarm.
 *
 * <p>Keeps the simulations of the last {@value #CACHED} (N, C) pairs: the layers of a run usually share C, so a
 * run's verdicts cost one simulation. Not thread-safe; one instance per judgement or per alert evaluator.
 */
public final class BalancedRouter {

    static final int SAMPLES = 400;
    static final int EXACT_MEAN = 20;
    static final int CACHED = 16;
    private record Size(int numExperts, long decisions) {
    }

    private final Map<Size, ExpertLoad[]> simulations = new LinkedHashMap<>(CACHED, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Size, ExpertLoad[]> eldest) {
            return size() > CACHED;
        }
    };

    /**
     * The {@code q}-quantile (nearest rank) of {@code metric} over the balanced router's samples of this load's size
     * (its N and its C).
     *
     * @param load a load with at least one decision
     */
    public double quantile(ToDoubleFunction<ExpertLoad> metric, double q, ExpertLoad load) {
        if (load.total() == 0 || q <= 0 || q > 1) {
            throw new IllegalArgumentException("need a load with decisions and 0 < q <= 1, got " + load.total()
                    + " decisions and q=" + q);
        }
        ExpertLoad[] samples = simulations.computeIfAbsent(new Size(load.numExperts(), load.total()), this::simulate);
        double[] values = new double[samples.length];
        for (int i = 0; i < samples.length; i++) {
            values[i] = metric.applyAsDouble(samples[i]);
        }
        Arrays.sort(values);
        return values[Math.max(0, (int) Math.ceil(q * values.length) - 1)];
    }

    private ExpertLoad[] simulate(Size size) {
        var random = new SplittableRandom(31L * size.numExperts() + size.decisions());
        var samples = new ExpertLoad[SAMPLES];
        for (int s = 0; s < SAMPLES; s++) {
            long[] counts = size.decisions() < (long) EXACT_MEAN * size.numExperts()
                    ? drawn(size, random) : approximated(size, random);
            samples[s] = new ExpertLoad(-1, counts);
        }
        return samples;
    }

    private static long[] drawn(Size size, SplittableRandom random) {
        long[] counts = new long[size.numExperts()];
        for (long d = 0; d < size.decisions(); d++) {
            counts[random.nextInt(size.numExperts())]++;
        }
        return counts;
    }

    private static long[] approximated(Size size, SplittableRandom random) {
        int n = size.numExperts();
        double mean = (double) size.decisions() / n;
        double scale = Math.sqrt(mean);
        double[] z = new double[n];
        double zMean = 0;
        for (int i = 0; i < n; i++) {
            z[i] = gaussian(random);
            zMean += z[i] / n;
        }
        long[] counts = new long[n];
        for (int i = 0; i < n; i++) {
            counts[i] = Math.max(0, Math.round(mean + scale * (z[i] - zMean)));
        }
        return counts;
    }

    /** A standard normal draw (Box-Muller; SplittableRandom has no nextGaussian on Java 17). */
    private static double gaussian(SplittableRandom random) {
        double u = 1.0 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
