package io.moescope.analytics.warmup;

import io.moescope.analytics.evidence.Bootstrap;
import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.evidence.Interval;
import io.moescope.analytics.evidence.RatioOfSums;
import io.moescope.analytics.evidence.ResamplingUnits;
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
    private final List<Integer> stabilisation;
    /** each request's hits at C per policy: the draw the hit rate at C has always had */
    private final ResamplingUnits units;
    /** each request's hits at the other sizes, per {@link #sizeKey} */
    private final ResamplingUnits sizeUnits;
    private int requests;
    private int topK;

    public WarmupAccumulator(Settings settings) {
        this.settings = settings;
        for (CachePolicy policy : CachePolicy.values()) {
            sums.put(policy, new PolicySums(settings.maxCurveTokens(), settings.capacities().length));
        }
        stabilisation = new ArrayList<>();
        units = ResamplingUnits.requests(1);
        sizeUnits = ResamplingUnits.requests(1);
    }

    private WarmupAccumulator(WarmupAccumulator from) {
        settings = from.settings;
        from.sums.forEach((policy, s) -> sums.put(policy, s.copy()));
        stabilisation = new ArrayList<>(from.stabilisation);
        units = from.units.copy();
        sizeUnits = from.sizeUnits.copy();
        requests = from.requests;
        topK = from.topK;
    }

    /** An independent copy: what either is fed later leaves the other as it was. */
    public WarmupAccumulator copy() {
        return new WarmupAccumulator(this);
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
        var hitsBySize = new TreeMap<Integer, long[]>();
        for (CachePolicy policy : CachePolicy.values()) {
            PolicySums s = sums.get(policy);
            CacheTrace trace = ExpertCacheSimulator.simulate(sequence, settings.numExperts(), settings.capacity(),
                    policy);
            hits.put(policy.ordinal(), new long[] {trace.totalHits(), (long) trace.tokens() * topK});
            s.addCurve(trace, topK);
            HitRateCurve.settlingIndex(trace, settings.window(), settings.tolerance()).ifPresent(s.settling::add);
            for (int i = 0; i < capacities.length; i++) {
                CacheTrace sized = capacities[i] == settings.capacity() ? trace
                        : ExpertCacheSimulator.simulate(sequence, settings.numExperts(), capacities[i], policy);
                s.addCapacity(i, sized);
                if (sized != trace) {
                    hitsBySize.put(sizeKey(policy, i), new long[] {sized.totalHits(), (long) sized.tokens() * topK});
                }
            }
        }
        OptionalInt point = StabilisationPoint.find(sequence, settings.numExperts(), settings.window(),
                settings.jsdThreshold());
        point.ifPresent(stabilisation::add);
        units.acceptRatios(hits);
        sizeUnits.acceptRatios(hitsBySize);
    }

    private int sizeKey(CachePolicy policy, int sizeIndex) {
        return policy.ordinal() * settings.capacities().length + sizeIndex;
    }

    public int requests() {
        return requests;
    }

    /** @throws IllegalArgumentException when no request with a token was added (every rate would be 0/0) */
    public WarmupSummary result() {
        if (requests == 0) {
            throw new IllegalArgumentException("warm-up is undefined: no request routed a token at this layer");
        }
        Map<CachePolicy, Defined<Interval>> atC = hitRateIntervals();
        Defined<Bootstrap.Resamples> bySize = resampleRatios(sizeUnits, settings.capacities().length
                * CachePolicy.values().length);
        var policies = new ArrayList<WarmupSummary.PolicyWarmup>();
        sums.forEach((policy, s) -> policies.add(s.result(policy, settings, topK,
                sizeIntervals(policy, atC.get(policy), bySize))));
        return new WarmupSummary(settings, requests, policies, IndexStats.of(stabilisation, requests), atC);
    }

    /**
     * A policy's interval at each size: at C the hit rate's own ({@link #hitRateIntervals}, so that the two never
     * disagree), at the other sizes from one bootstrap over the same requests.
     */
    private List<Defined<Interval>> sizeIntervals(CachePolicy policy, Defined<Interval> atC,
                                                  Defined<Bootstrap.Resamples> bySize) {
        int[] capacities = settings.capacities();
        var intervals = new ArrayList<Defined<Interval>>();
        for (int i = 0; i < capacities.length; i++) {
            int key = sizeKey(policy, i);
            intervals.add(capacities[i] == settings.capacity() ? atC : bySize.map(r -> r.interval(key)));
        }
        return intervals;
    }

    /**
     * Each policy's hit rate at C with its 95 % interval: a percentile bootstrap over the requests (a request's
     * tokens share a prompt and are not independent), with the same resampling as the load figures'.
     */
    private Map<CachePolicy, Defined<Interval>> hitRateIntervals() {
        Defined<Bootstrap.Resamples> resamples = resampleRatios(units, CachePolicy.values().length);
        var intervals = new EnumMap<CachePolicy, Defined<Interval>>(CachePolicy.class);
        for (CachePolicy policy : CachePolicy.values()) {
            intervals.put(policy, resamples.map(r -> r.interval(policy.ordinal())));
        }
        return intervals;
    }

    /** Each key's hits / accesses in every resample of the units' requests; keys run from 0 to {@code keys - 1}. */
    private static Defined<Bootstrap.Resamples> resampleRatios(ResamplingUnits units, int keys) {
        return Defined.compute(() -> Bootstrap.resample(units,
                resample -> IntStream.range(0, keys).mapToDouble(resample::ratio).toArray()));
    }

    /** Running sums of one policy. */
    private static final class PolicySums {
        /** per token index, the hits of the requests reaching it of their k accesses there */
        final RatioOfSums[] curve;
        final long[] capacityHits;
        final long[] capacityTokens;
        final List<Integer> settling = new ArrayList<>();

        PolicySums(int maxTokens, int sizes) {
            curve = new RatioOfSums[maxTokens];
            Arrays.fill(curve, RatioOfSums.EMPTY);
            capacityHits = new long[sizes];
            capacityTokens = new long[sizes];
        }

        PolicySums copy() {
            var copy = new PolicySums(curve.length, capacityHits.length);
            System.arraycopy(curve, 0, copy.curve, 0, curve.length); // a RatioOfSums is immutable
            System.arraycopy(capacityHits, 0, copy.capacityHits, 0, capacityHits.length);
            System.arraycopy(capacityTokens, 0, copy.capacityTokens, 0, capacityTokens.length);
            copy.settling.addAll(settling);
            return copy;
        }

        void addCurve(CacheTrace trace, int k) {
            for (int t = 0; t < Math.min(trace.tokens(), curve.length); t++) {
                curve[t] = curve[t].plus(trace.hitsAt(t), k);
            }
        }

        void addCapacity(int i, CacheTrace trace) {
            capacityHits[i] += trace.totalHits();
            capacityTokens[i] += trace.tokens();
        }

        WarmupSummary.PolicyWarmup result(CachePolicy policy, Settings settings, int k,
                                          List<Defined<Interval>> byCapacityIntervals) {
            int points = 0;
            while (points < curve.length && curve[points].units() > 0) {
                points++;
            }
            double[] rates = new double[points];
            var rateIntervals = new ArrayList<Defined<Interval>>();
            for (int t = 0; t < points; t++) {
                RatioOfSums point = curve[t];
                rates[t] = point.ratio();
                rateIntervals.add(Defined.compute(() -> point.shareInterval95(point.units() + " requests")));
            }
            double[] byCapacity = new double[capacityHits.length];
            for (int i = 0; i < byCapacity.length; i++) {
                byCapacity[i] = (double) capacityHits[i] / (capacityTokens[i] * k);
            }
            double hitRate = byCapacity[indexOf(settings.capacities(), settings.capacity())];
            return new WarmupSummary.PolicyWarmup(policy, hitRate, settings.capacities(), byCapacity, rates,
                    IndexStats.of(settling, (int) curve[0].units()), byCapacityIntervals, rateIntervals);
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
