package io.moescope.analytics.coactivation;

import io.moescope.analytics.evidence.Bootstrap;
import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.evidence.Interval;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Accumulates {@link VocabularySpecialisation}: per layer and token id, the occurrences and how often each expert
 * was in the top-k. Memory grows with layers x distinct token ids x N (not with tokens); tokens with an unknown id
 * (-1) are skipped. Not thread-safe.
 */
public final class VocabularySpecialisationAccumulator {

    public static final int DEFAULT_MIN_OCCURRENCES = 10;

    private final int numExperts;
    /** layer -> token id -> [occurrences, count of expert 0, ..., count of expert N-1]. */
    private final Map<Integer, Map<Integer, long[]>> countsByLayer = new TreeMap<>();
    private final Map<Integer, Integer> topKByLayer = new HashMap<>();

    public VocabularySpecialisationAccumulator(int numExperts) {
        if (numExperts < 1) {
            throw new IllegalArgumentException("numExperts must be >= 1 but was " + numExperts);
        }
        this.numExperts = numExperts;
    }

    /** An independent copy: what either is fed later leaves the other as it was. */
    public VocabularySpecialisationAccumulator copy() {
        var copy = new VocabularySpecialisationAccumulator(numExperts);
        countsByLayer.forEach((layer, byId) -> {
            Map<Integer, long[]> ids = new HashMap<>(byId.size() * 2);
            byId.forEach((id, counts) -> ids.put(id, counts.clone()));
            copy.countsByLayer.put(layer, ids);
        });
        copy.topKByLayer.putAll(topKByLayer);
        return copy;
    }

    public void add(TokenRouting token) {
        if (token.tokenId() < 0) {
            return;
        }
        for (RouterDecision decision : token.decisions()) {
            topKByLayer.putIfAbsent(decision.layer(), decision.topK());
            long[] counts = countsByLayer.computeIfAbsent(decision.layer(), l -> new HashMap<>())
                    .computeIfAbsent(token.tokenId(), id -> new long[numExperts + 1]);
            counts[0]++;
            for (int expert : decision.expertIds()) {
                if (expert >= numExperts) {
                    throw new IllegalArgumentException("layer " + decision.layer() + ": expert id " + expert
                            + " out of range for " + numExperts + " experts");
                }
                counts[expert + 1]++;
            }
        }
    }

    /** With ids seen at least {@value #DEFAULT_MIN_OCCURRENCES} times, as in OLMoE's analysis. */
    public VocabularySpecialisation result(int layer) {
        return result(layer, DEFAULT_MIN_OCCURRENCES);
    }

    /** @throws IllegalArgumentException when no token id at this layer occurs at least minOccurrences times */
    public VocabularySpecialisation result(int layer, int minOccurrences) {
        double[] shares = countsByLayer.getOrDefault(layer, Map.of()).values().stream()
                .filter(counts -> counts[0] >= minOccurrences)
                .mapToDouble(VocabularySpecialisationAccumulator::topExpertShare)
                .sorted() // the id map's order is no order: sorted, the same ids always give the same interval
                .toArray();
        if (shares.length == 0) {
            throw new IllegalArgumentException("vocabulary specialisation is undefined for layer " + layer
                    + ": no token id occurs at least " + minOccurrences + " times");
        }
        return new VocabularySpecialisation(layer, minOccurrences, shares.length, Arrays.stream(shares).average()
                .orElseThrow(), (double) topKByLayer.get(layer) / numExperts, interval95(shares));
    }

    /** The share of an id's occurrences that went to its most frequent expert. */
    private static double topExpertShare(long[] counts) {
        long max = 0;
        for (int e = 1; e < counts.length; e++) {
            max = Math.max(max, counts[e]);
        }
        return (double) max / counts[0];
    }

    /**
     * Over the ids, not the requests: a bootstrap over requests would need every request's counts per id, memory
     * without bound. So each id's share is held fixed and only which ids were sampled varies; the noise within an id
     * (few occurrences) is not covered.
     */
    private static Defined<Interval> interval95(double[] shares) {
        return Defined.compute(() -> Bootstrap.ofMean(shares, "bootstrap over " + shares.length
                + " token ids (each id's share fixed)"));
    }
}
