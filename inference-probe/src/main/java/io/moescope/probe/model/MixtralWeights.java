package io.moescope.probe.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.moescope.probe.checkpoint.MixtralTensors;
import io.moescope.probe.checkpoint.MoeCheckpoint;
import io.moescope.probe.checkpoint.MoeConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * All weights of a Mixtral model as float32 arrays owned by one manager.
 *
 * @param embedding {@code [vocab, hidden]}
 * @param layers    one entry per decoder layer
 * @param finalNorm {@code [hidden]}
 * @param lmHead    {@code [hidden, vocab]} (transposed view)
 */
record MixtralWeights(NDArray embedding, List<LayerWeights> layers, NDArray finalNorm, NDArray lmHead) {

    /** Copies every tensor of {@code checkpoint} into {@code manager}, which then owns them. */
    static MixtralWeights load(MoeCheckpoint checkpoint, NDManager manager) {
        MoeConfig c = checkpoint.config();
        var shapes = new HashMap<>(MixtralTensors.expected(c));
        // A tied LM head has no tensor of its own; it is read as the embedding, with the embedding's shape.
        shapes.putIfAbsent(MixtralTensors.lmHead(), shapes.get(MixtralTensors.embedTokens()));
        var loader = new Loader(checkpoint, manager, shapes);
        var layers = new ArrayList<LayerWeights>(c.numLayers());
        for (int l = 0; l < c.numLayers(); l++) {
            var gate = new ArrayList<NDArray>(c.numExperts());
            var up = new ArrayList<NDArray>(c.numExperts());
            var down = new ArrayList<NDArray>(c.numExperts());
            for (int e = 0; e < c.numExperts(); e++) {
                gate.add(loader.linear(MixtralTensors.expert(l, e, 1)));
                down.add(loader.linear(MixtralTensors.expert(l, e, 2)));
                up.add(loader.linear(MixtralTensors.expert(l, e, 3)));
            }
            layers.add(new LayerWeights(
                    loader.vector(MixtralTensors.inputNorm(l)),
                    loader.linear(MixtralTensors.attention(l, 'q')),
                    loader.linear(MixtralTensors.attention(l, 'k')),
                    loader.linear(MixtralTensors.attention(l, 'v')),
                    loader.linear(MixtralTensors.attention(l, 'o')),
                    loader.vector(MixtralTensors.postAttentionNorm(l)),
                    loader.linear(MixtralTensors.router(l)),
                    List.copyOf(gate), List.copyOf(up), List.copyOf(down)));
        }
        NDArray embedding = manager.create(checkpoint.floats(MixtralTensors.embedTokens()),
                new Shape(c.vocabSize(), c.hiddenSize()));
        return new MixtralWeights(embedding, List.copyOf(layers),
                loader.vector(MixtralTensors.finalNorm()),
                loader.linear(MixtralTensors.lmHead()));
    }

    /** Reads tensors and hands them to the manager. */
    private record Loader(MoeCheckpoint checkpoint, NDManager manager, Map<String, long[]> shapes) {

        /** An HF linear weight {@code [out, in]} as a transposed view {@code [in, out]}. */
        NDArray linear(String name) {
            return manager.create(checkpoint.floats(name), new Shape(shapes.get(name))).transpose();
        }

        NDArray vector(String name) {
            float[] values = checkpoint.floats(name);
            return manager.create(values, new Shape(values.length));
        }
    }
}
