package io.moescope.analytics.coactivation;

import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
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
        Map<Integer, long[]> byId = countsByLayer.getOrDefault(layer, Map.of());
        double sum = 0;
        int ids = 0;
        for (long[] counts : byId.values()) {
            if (counts[0] >= minOccurrences) {
                long max = 0;
                for (int e = 1; e < counts.length; e++) {
                    max = Math.max(max, counts[e]);
                }
                sum += (double) max / counts[0];
                ids++;
            }
        }
        if (ids == 0) {
            throw new IllegalArgumentException("vocabulary specialisation is undefined for layer " + layer
                    + ": no token id occurs at least " + minOccurrences + " times");
        }
        return new VocabularySpecialisation(layer, minOccurrences, ids, sum / ids,
                (double) topKByLayer.get(layer) / numExperts);
    }
}
