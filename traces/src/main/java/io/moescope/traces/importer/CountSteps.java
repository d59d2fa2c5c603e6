package io.moescope.traces.importer;

import io.moescope.events.ExpertCounts;
import io.moescope.events.ModelIdentity;
import io.moescope.events.Phase;
import io.moescope.events.validation.StorableTokens;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Assembles the counts of an aggregate-only trace into one {@link ExpertCounts} per step, checked against the run's
 * model as ingest checks them: a layer the model routes at, no expert id >= N, and at every layer of a step the same
 * number of tokens, each choosing k experts (counts summing to tokens x k). A layer that breaks a rule is rejected by
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
    private final int topK;
    private final int numLayers;
    private final Set<Integer> moeLayers;
    private final TreeSet<Integer> beyondDecoder = new TreeSet<>();
    private final LongSupplier nowMicros;
    private final Outlet outlet;
    private final TreeMap<Integer, long[]> layers = new TreeMap<>();
    private long step = -1;
    private long line;

    CountSteps(String runId, ModelIdentity model, LongSupplier nowMicros, Outlet outlet) {
        this.runId = runId;
        this.numExperts = model.numExperts();
        this.topK = model.topK();
        this.numLayers = model.numLayers();
        this.moeLayers = Set.copyOf(model.moeLayers());
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

    /**
     * Refuses a layer or expert id that no stored row could hold (the bounds of tokens' rows), before a reader sizes
     * anything by it: a hostile count file must not make an import allocate gigabytes.
     *
     * @throws IllegalArgumentException naming the id and its bound
     */
    static void requireStorable(int layer, int expert) {
        if (layer < 0 || layer > StorableTokens.MAX_LAYER) {
            throw new IllegalArgumentException("layer " + layer + " is outside 0.." + StorableTokens.MAX_LAYER);
        }
        if (expert < 0 || expert > StorableTokens.MAX_EXPERT_ID) {
            throw new IllegalArgumentException("expert id " + expert + " is outside 0.." + StorableTokens.MAX_EXPERT_ID);
        }
    }

    /** Layers at or past the model's {@code num_hidden_layers} whose counts were left out, ascending. */
    Set<Integer> leftOutBeyondDecoder() {
        return Set.copyOf(beyondDecoder);
    }

    /** Sends the step assembled last; call once the trace was read. */
    void finish() {
        if (layers.isEmpty()) {
            return;
        }
        try {
            outlet.send(new ExpertCounts(runId, step, Phase.UNKNOWN, nowMicros.getAsLong(), tokens(), layerCounts()));
        } catch (IllegalArgumentException e) {
            outlet.reject(line, e.getMessage());
        } finally {
            layers.clear();
        }
    }

    private long[] checked(int layer, long[] counts) {
        String where = "step " + step + " layer " + layer;
        if (layer < 0 || !moeLayers.isEmpty() && !moeLayers.contains(layer)) {
            throw new IllegalArgumentException(where + ": the model has no router at this layer (MoE layers "
                    + new TreeSet<>(moeLayers) + ")");
        }
        for (int expert = 0; expert < counts.length; expert++) {
            if (counts[expert] < 0) {
                throw new IllegalArgumentException(where + ": expert " + expert + " has a negative count");
            }
            if (expert >= numExperts && counts[expert] > 0) {
                throw new IllegalArgumentException(where + ": expert id " + expert + " is >= N=" + numExperts);
            }
        }
        return Arrays.copyOf(counts, Math.min(counts.length, numExperts));
    }

    /** The step's tokens: every layer's choices / k, the same at each layer. */
    private long tokens() {
        var first = layers.firstEntry();
        long choices = Arrays.stream(first.getValue()).sum();
        for (var layer : layers.entrySet()) {
            long sum = Arrays.stream(layer.getValue()).sum();
            if (sum != choices) {
                throw new IllegalArgumentException("step " + step + ": layer " + layer.getKey() + " counts " + sum
                        + " choices but layer " + first.getKey() + " counts " + choices
                        + "; a step routes the same tokens at every layer");
            }
        }
        if (choices == 0 || choices % topK != 0) {
            throw new IllegalArgumentException("step " + step + ": " + choices + " choices at each layer is not a"
                    + " positive multiple of top-" + topK);
        }
        return choices / topK;
    }

    private ArrayList<ExpertCounts.LayerCounts> layerCounts() {
        var counts = new ArrayList<ExpertCounts.LayerCounts>(layers.size());
        layers.forEach((layer, vector) -> counts.add(new ExpertCounts.LayerCounts(layer, vector)));
        return counts;
    }
}
