package io.moescope.analytics.suite;

import io.moescope.analytics.evidence.Bootstrap;
import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.evidence.Interval;
import io.moescope.analytics.evidence.ResamplingUnits;
import io.moescope.analytics.load.ExpertLoad;
import io.moescope.analytics.placement.Eplb;
import io.moescope.analytics.placement.EplbPlan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The 95 % intervals of an EPLB plan's predicted balancedness, before (experts contiguous, no replica) and after (the
 * plan), per layer and as the mean over layers. The plan stays fixed, computed from the whole set's load; each
 * resample of the set's units (requests, blocks of tokens or steps) is placed as the plan places it, with the same
 * code as the point figures ({@link Eplb#balancednessBefore}, {@link Eplb#balancednessAfter}). So the interval says
 * how the advised placement would balance other traffic like this, not how a plan recomputed for it would.
 *
 * @param layers    the plan's layers, in the order of its rows
 * @param resamples per side (before, then after) each layer's balancedness and then their mean over layers; or
 *                  undefined with the reason (fewer than 2 units)
 */
public record PlacementIntervals(List<Integer> layers, Defined<Bootstrap.Resamples> resamples) {

    public static final String BEFORE = "balancednessBefore";
    public static final String AFTER = "balancednessAfter";

    public PlacementIntervals {
        layers = List.copyOf(layers);
    }

    /**
     * @param units   the set's units, collected from its raw tokens or steps
     * @param layers  the layer of each of the plan's rows
     * @param plan    the plan computed from the set's whole load
     * @param numGpus G, as the plan was computed for
     */
    public static PlacementIntervals of(ResamplingUnits units, List<Integer> layers, EplbPlan plan, int numGpus) {
        int[][] phy2log = plan.phy2log();
        return new PlacementIntervals(layers, Defined.compute(() -> Bootstrap.resample(units, resample -> {
            Map<Integer, ExpertLoad> loads = resample.loads();
            double[] before = ComparisonIntervals.withMean(layers, layer -> ifRouted(loads.get(layer),
                    weight -> Eplb.balancednessBefore(weight, numGpus)));
            double[] after = ComparisonIntervals.withMean(layers, layer -> ifRouted(loads.get(layer),
                    weight -> Eplb.balancednessAfter(weight, phy2log[layers.indexOf(layer)], numGpus)));
            double[] values = new double[before.length + after.length];
            System.arraycopy(before, 0, values, 0, before.length);
            System.arraycopy(after, 0, values, before.length, after.length);
            return values;
        })));
    }

    /** A balancedness of one layer's weights. */
    private interface OfWeight {
        double of(double[] weight);
    }

    // a resample that drew no token at a layer says nothing of its balance: left out, as no traffic is not "even"
    private static double ifRouted(ExpertLoad load, OfWeight balancedness) {
        return load == null || load.total() == 0 ? Double.NaN : balancedness.of(Eplb.weight(load));
    }

    /**
     * One layer's intervals of balancedness before and after, under {@link #BEFORE} and {@link #AFTER}.
     *
     * @throws IllegalArgumentException for a layer the plan does not hold
     */
    public Map<String, Defined<Interval>> ofLayer(int layer) {
        int row = layers.indexOf(layer);
        if (row < 0) {
            throw new IllegalArgumentException("the plan holds no layer " + layer);
        }
        return named(row);
    }

    /** The intervals of the means over layers, before and after, under {@link #BEFORE} and {@link #AFTER}. */
    public Map<String, Defined<Interval>> ofMean() {
        return named(layers.size());
    }

    private Map<String, Defined<Interval>> named(int figure) {
        var intervals = new LinkedHashMap<String, Defined<Interval>>();
        intervals.put(BEFORE, ComparisonIntervals.interval(resamples, figure));
        intervals.put(AFTER, ComparisonIntervals.interval(resamples, layers.size() + 1 + figure));
        return intervals;
    }
}
