package io.moescope.analytics.warmup;

import io.moescope.analytics.evidence.Bootstrap;
import io.moescope.analytics.evidence.Interval;
import io.moescope.analytics.evidence.ResamplingUnits;
import io.moescope.analytics.suite.Defined;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Expert-cache warm-up of one layer over many requests, one request at a time: every request starts with an empty
 * cache (a cold start), as in mixtral-offloading (arXiv:2312.17238). Per policy it sums hits by token index (the
 * warm-up curve: mean hit rate of the t-th token over the requests that have one), hits per cache size (hit rate
 * vs C), and collects each request's settling index ({@link HitRateCurve#settlingIndex}) and stabilisation point
 * ({@link StabilisationPoint}). Memory: the curve (at most {@code maxCurveTokens} points) and a few counters per
 * policy and size; a request's own sequence is the caller's. Not thread-safe.
 */
public final class WarmupAccumulator {

    /**
     * @param numExperts     N
     * @param capacity       C of the warm-up curve and the settling index
     * @param capacities     the sizes of the hit-rate-vs-C curve
     * @param window         W tokens, for the settling index and the stabilisation point
     * @param tolerance      settling tolerance of the windowed hit rate (absolute)
     * @param jsdThreshold   stabilisation threshold in nats, in (0, ln 2]
     * @param maxCurveTokens the warm-up curve covers token indices [0, maxCurveTokens)
     */
    public record Settings(int numExperts, int capacity, int[] capacities, int window, double tolerance,
                           double jsdThreshold, int maxCurveTokens) {

        public Settings {
            if (numExperts < 1 || capacity < 1 || window < 1 || maxCurveTokens < 1) {
                throw new IllegalArgumentException("numExperts, capacity, window and maxCurveTokens must be >= 1 but"
                        + " were " + numExperts + ", " + capacity + ", " + window + ", " + maxCurveTokens);
            }
            // C itself is always one of the sizes, so the hit rate at C is read off the same curve.
            capacities = IntStream.concat(Arrays.stream(capacities), IntStream.of(capacity))
                    .distinct().sorted().toArray();
            if (capacities[0] < 1) {
                throw new IllegalArgumentException("cache sizes must be >= 1 but one was " + capacities[0]);
            }
        }

        @Override
        public int[] capacities() {
            return capacities.clone();
        }

        /** C in {1, 2, 4, ...} below N, then N: a few points even for 256 experts. */
        public static int[] doublingCapacities(int numExperts) {
            var sizes = new ArrayList<Integer>();
            for (int c = 1; c < numExperts; c *= 2) {
                sizes.add(c);
            }
            sizes.add(numExperts);
            return sizes.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    private final Settings settings;
    private final Map<CachePolicy, PolicySums> sums = new EnumMap<>(CachePolicy.class);
    private final List<Integer> stabilisation = new ArrayList<>();
    private final ResamplingUnits units = ResamplingUnits.requests(1);
    private int requests;
    private int topK;

    public WarmupAccumulator(Settings settings) {
        this.settings = settings;
        for (CachePolicy policy : CachePolicy.values()) {
            sums.put(policy, new PolicySums(settings.maxCurveTokens(), settings.capacities().length));
        }
    }

    /** One request's top-k ids at the layer, in token order ({@link LayerSequence}); empty requests are ignored. */
    public void addRequest(List<int[]> sequence) {
        if (sequence.isEmpty()) {
            return;
        }
        requests++;
        topK = sequence.get(0).length;
        int[] capacities = settings.capacities();
        var hits = new TreeMap<Integer, long[]>();
        for (CachePolicy policy : CachePolicy.values()) {
            PolicySums s = sums.get(policy);
            CacheTrace trace = ExpertCacheSimulator.simulate(sequence, settings.numExperts(), settings.capacity(),
                    policy);
            long hitsAtC = 0;
            for (int t = 0; t < trace.tokens(); t++) {
                hitsAtC += trace.hitsAt(t);
            }
            hits.put(policy.ordinal(), new long[] {hitsAtC, (long) trace.tokens() * topK});
            s.addCurve(trace);
            HitRateCurve.settlingIndex(trace, settings.window(), settings.tolerance()).ifPresent(s.settling::add);
            for (int i = 0; i < capacities.length; i++) {
                CacheTrace sized = capacities[i] == settings.capacity() ? trace
                        : ExpertCacheSimulator.simulate(sequence, settings.numExperts(), capacities[i], policy);
                s.addCapacity(i, sized);
            }
        }
        OptionalInt point = StabilisationPoint.find(sequence, settings.numExperts(), settings.window(),
                settings.jsdThreshold());
        point.ifPresent(stabilisation::add);
        units.acceptRatios(hits);
    }

    public int requests() {
        return requests;
    }

    /** @throws IllegalArgumentException when no request with a token was added (every rate would be 0/0) */
    public WarmupSummary result() {
        if (requests == 0) {
            throw new IllegalArgumentException("warm-up is undefined: no request routed a token at this layer");
        }
        var policies = new ArrayList<WarmupSummary.PolicyWarmup>();
        sums.forEach((policy, s) -> policies.add(s.result(policy, settings, topK)));
        return new WarmupSummary(settings, requests, policies, IndexStats.of(stabilisation, requests),
                hitRateIntervals());
    }

    /**
     * Each policy's hit rate at C with its 95 % interval: a percentile bootstrap over the requests (a request's
     * tokens share a prompt and are not independent), with the same resampling as the load figures'.
     */
    private Map<CachePolicy, Defined<Interval>> hitRateIntervals() {
        Defined<Bootstrap.Resamples> resamples = Defined.compute(() -> Bootstrap.resample(units, resample -> {
            double[] rates = new double[CachePolicy.values().length];
            resample.ratios().forEach((policy, h) -> rates[policy] = h[1] == 0 ? Double.NaN : (double) h[0] / h[1]);
            return rates;
        }));
        var intervals = new EnumMap<CachePolicy, Defined<Interval>>(CachePolicy.class);
        for (CachePolicy policy : CachePolicy.values()) {
            intervals.put(policy, resamples.value() == null ? Defined.undefined(resamples.reason())
                    : Defined.compute(() -> resamples.value().interval(policy.ordinal())));
        }
        return intervals;
    }

    /** Running sums of one policy. */
    private static final class PolicySums {
        final long[] curveHits;
        final long[] curveTokens;
        final long[] capacityHits;
        final long[] capacityTokens;
        final List<Integer> settling = new ArrayList<>();

        PolicySums(int maxTokens, int sizes) {
            curveHits = new long[maxTokens];
            curveTokens = new long[maxTokens];
            capacityHits = new long[sizes];
            capacityTokens = new long[sizes];
        }

        void addCurve(CacheTrace trace) {
            for (int t = 0; t < Math.min(trace.tokens(), curveHits.length); t++) {
                curveHits[t] += trace.hitsAt(t);
                curveTokens[t]++;
            }
        }

        void addCapacity(int i, CacheTrace trace) {
            for (int t = 0; t < trace.tokens(); t++) {
                capacityHits[i] += trace.hitsAt(t);
            }
            capacityTokens[i] += trace.tokens();
        }

        WarmupSummary.PolicyWarmup result(CachePolicy policy, Settings settings, int k) {
            int points = 0;
            while (points < curveTokens.length && curveTokens[points] > 0) {
                points++;
            }
            double[] curve = new double[points];
            for (int t = 0; t < points; t++) {
                curve[t] = (double) curveHits[t] / (curveTokens[t] * k);
            }
            double[] byCapacity = new double[capacityHits.length];
            for (int i = 0; i < byCapacity.length; i++) {
                byCapacity[i] = (double) capacityHits[i] / (capacityTokens[i] * k);
            }
            double hitRate = byCapacity[indexOf(settings.capacities(), settings.capacity())];
            return new WarmupSummary.PolicyWarmup(policy, hitRate, settings.capacities(), byCapacity, curve,
                    IndexStats.of(settling, (int) curveTokens[0]));
        }

        private static int indexOf(int[] values, int value) {
            for (int i = 0; i < values.length; i++) {
                if (values[i] == value) {
                    return i;
                }
            }
            throw new IllegalStateException("capacity " + value + " missing from the sizes");
        }
    }
}
