package io.moescope.analytics.drift;

import io.moescope.analytics.load.ExpertLoad;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Routing drift of one layer between two token sets (two windows of a run, or two runs such as bf16 vs int4 on
 * the same prompts): the Jensen-Shannon divergence between their load distributions, in nats (bounded by ln 2)
 * and bits (bounded by 1). See {@link JensenShannon}.
 *
 * @param layer decoder layer index
 * @param nats  JSD with natural log
 * @param bits  JSD with base-2 log
 */
public record LayerDrift(int layer, double nats, double bits) {

    /** @throws IllegalArgumentException when the layers or expert counts differ or either side is empty */
    public static LayerDrift between(ExpertLoad a, ExpertLoad b) {
        if (a.layer() != b.layer()) {
            throw new IllegalArgumentException("cannot compare layer " + a.layer() + " with layer " + b.layer());
        }
        if (a.total() == 0 || b.total() == 0) {
            throw new IllegalArgumentException("drift is undefined for layer " + a.layer() + ": "
                    + (a.total() == 0 ? "first" : "second") + " load has no routed tokens");
        }
        double nats = JensenShannon.nats(a, b);
        return new LayerDrift(a.layer(), nats, nats / Math.log(2));
    }

    /**
     * Drift of every layer present on both sides, in layer order; layers present on one side only, or empty on
     * either side, are skipped (there is nothing to compare).
     */
    public static List<LayerDrift> between(List<ExpertLoad> a, List<ExpertLoad> b) {
        Map<Integer, ExpertLoad> byLayer = new TreeMap<>();
        for (ExpertLoad load : b) {
            byLayer.put(load.layer(), load);
        }
        var drifts = new ArrayList<LayerDrift>();
        for (ExpertLoad load : a) {
            ExpertLoad other = byLayer.get(load.layer());
            if (other != null && load.total() > 0 && other.total() > 0) {
                drifts.add(between(load, other));
            }
        }
        drifts.sort((x, y) -> Integer.compare(x.layer(), y.layer()));
        return drifts;
    }
}
