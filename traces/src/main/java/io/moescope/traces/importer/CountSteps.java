package io.moescope.traces.importer;

import io.moescope.events.ExpertCounts;
import io.moescope.events.ModelIdentity;
import io.moescope.events.Phase;
import io.moescope.events.validation.StorableCounts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * Assembles the counts of an aggregate-only trace into one {@link ExpertCounts} per step, checked against the run's
 * model by the rule ingest applies ({@link StorableCounts}): a layer the model routes at, no expert id >= N, and at
 * every layer of a step the same number of tokens, each choosing k experts (counts summing to tokens x k). A layer that breaks a rule is rejected by
 * its line and left out; a step whose layers disagree is rejected whole. Layers at or past the model's
 * {@code num_hidden_layers} (known from {@code --model-config}: DeepSeek's multi-token-prediction layers, which route
 * draft tokens) are left out and named in a note. The phase is unknown: neither source says
 * which of a step's tokens are prompt and which generated. Memory: one step's layers.
 */
final class CountSteps {

    /** What the sending pass does with an assembled step and with a rejection. */
    interface Outlet {
        void send(ExpertCounts step);

        void reject(long line, String reason);
    }

    private final String runId;
    private final int numExperts;
    private final int numLayers;
    private final StorableCounts.CountedModel model;
    private final TreeSet<Integer> beyondDecoder = new TreeSet<>();
    private final LongSupplier nowMicros;
    private final Outlet outlet;
    private final TreeMap<Integer, long[]> layers = new TreeMap<>();
    private long step = -1;
    private long line;

    CountSteps(String runId, ModelIdentity model, LongSupplier nowMicros, Outlet outlet) {
        this.runId = runId;
        this.numExperts = model.numExperts();
        this.numLayers = model.numLayers();
        Set<Integer> moeLayers = Set.copyOf(model.moeLayers());
        this.model = new StorableCounts.CountedModel(numExperts, model.topK(), layer -> layer >= 0
                && layer < numLayers && (moeLayers.isEmpty() || moeLayers.contains(layer)));
        this.nowMicros = nowMicros;
        this.outlet = outlet;
    }

    void add(long at, long stepOf, int layer, long[] counts) {
        if (stepOf != step) {
            finish();
            step = stepOf;
        }
        line = at;
        if (layer >= numLayers) {
            // past the decoder (DeepSeek's multi-token-prediction layers): their tokens are drafts, not the step's
            beyondDecoder.add(layer);
            return;
        }
        long[] checked;
        try {
            checked = checked(layer, counts);
        } catch (IllegalArgumentException e) {
            outlet.reject(at, e.getMessage());
            return;
        }
        long[] vector = layers.computeIfAbsent(layer, l -> new long[numExperts]);
        for (int expert = 0; expert < checked.length; expert++) {
            vector[expert] += checked[expert];
        }
    }

    /** What the import summary says of the layers past the decoder whose counts were left out, if any. */
    Optional<String> beyondDecoderNote() {
        return beyondDecoder.isEmpty() ? Optional.empty() : Optional.of("counts at layers " + beyondDecoder
                + " left out: they are past the model's " + numLayers + " decoder layers (multi-token prediction)");
    }

    /** Sends the step assembled last; call once the trace was read. */
    void finish() {
        if (layers.isEmpty()) {
            return;
        }
        try {
            // the first layer's choices tell the tokens; the rule then holds every layer to tokens x k
            long tokens = Arrays.stream(layers.firstEntry().getValue()).sum() / model.topK();
            var counts = new ExpertCounts(runId, step, Phase.UNKNOWN, nowMicros.getAsLong(), tokens, layerCounts());
            StorableCounts.check(counts, model);
            outlet.send(counts);
        } catch (IllegalArgumentException e) {
            outlet.reject(line, e.getMessage());
        } finally {
            layers.clear();
        }
    }

    /** The layer's counts sized to N, checked by the one counts rule ({@link StorableCounts#checkLayer}). */
    private long[] checked(int layer, long[] counts) {
        for (int expert = numExperts; expert < counts.length; expert++) {
            if (counts[expert] != 0) {
                throw new IllegalArgumentException("step " + step + " layer " + layer + ": expert id " + expert
                        + " is >= N=" + numExperts);
            }
        }
        long[] sized = Arrays.copyOf(counts, numExperts);
        StorableCounts.checkLayer(step, layer, sized, model);
        return sized;
    }

    private ArrayList<ExpertCounts.LayerCounts> layerCounts() {
        var counts = new ArrayList<ExpertCounts.LayerCounts>(layers.size());
        layers.forEach((layer, vector) -> counts.add(new ExpertCounts.LayerCounts(layer, vector)));
        return counts;
    }
}
