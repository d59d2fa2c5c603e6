package io.moescope.probe.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.moescope.probe.checkpoint.Architecture;
import io.moescope.probe.checkpoint.DecoderTensors;
import io.moescope.probe.checkpoint.MoeCheckpoint;
import io.moescope.probe.checkpoint.MoeConfig;
import io.moescope.probe.checkpoint.Projection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * All weights of an MoE model as float32 arrays owned by one manager.
 *
 * @param embedding {@code [vocab, hidden]}
 * @param layers    one entry per decoder layer
 * @param finalNorm {@code [hidden]}
 * @param lmHead    {@code [hidden, vocab]} (transposed view)
 */
record ModelWeights(NDArray embedding, List<LayerWeights> layers, NDArray finalNorm, NDArray lmHead) {

    /** Copies every tensor of {@code checkpoint} into {@code manager}, which then owns them. */
    static ModelWeights load(MoeCheckpoint checkpoint, NDManager manager) {
        return load(checkpoint, manager, null);
    }

    /**
     * As {@link #load(MoeCheckpoint, NDManager)}, but with {@code cache} not null the routed experts are left in the
     * checkpoint and materialised by the cache on first use.
     */
    static ModelWeights load(MoeCheckpoint checkpoint, NDManager manager, ExpertCache cache) {
        MoeConfig c = checkpoint.config();
        var shapes = new HashMap<>(DecoderTensors.expected(c));
        // A tied LM head has no tensor of its own; it is read as the embedding, with the embedding's shape.
        shapes.putIfAbsent(DecoderTensors.lmHead(), shapes.get(DecoderTensors.embedTokens()));
        var loader = new Loader(checkpoint, manager, shapes);
        var layers = new ArrayList<LayerWeights>(c.numLayers());
        for (int l = 0; l < c.numLayers(); l++) {
            layers.add(layer(c, loader, l, cache));
        }
        NDArray embedding = manager.create(checkpoint.weight(DecoderTensors.embedTokens()),
                new Shape(c.vocabSize(), c.hiddenSize()));
        return new ModelWeights(embedding, List.copyOf(layers),
                loader.vector(DecoderTensors.finalNorm()),
                loader.linear(DecoderTensors.lmHead()));
    }

    private static LayerWeights layer(MoeConfig c, Loader loader, int l, ExpertCache cache) {
        if (c.deepseek() != null) {
            return new LayerWeights(loader.vector(DecoderTensors.inputNorm(l)), null, null, null, null, null, null,
                    null, null, null, null, null, loader.vector(DecoderTensors.postAttentionNorm(l)),
                    feedForward(c, loader, l, cache), latent(c, loader, l));
        }
        boolean bias = c.attentionBias();
        boolean qkNorm = c.arch().qkNorm() != Architecture.QkNorm.NONE;
        return new LayerWeights(
                loader.vector(DecoderTensors.inputNorm(l)),
                loader.linear(DecoderTensors.attention(l, 'q')),
                loader.linear(DecoderTensors.attention(l, 'k')),
                loader.linear(DecoderTensors.attention(l, 'v')),
                loader.linear(DecoderTensors.attention(l, 'o')),
                bias ? loader.vector(DecoderTensors.attentionBias(l, 'q')) : null,
                bias ? loader.vector(DecoderTensors.attentionBias(l, 'k')) : null,
                bias ? loader.vector(DecoderTensors.attentionBias(l, 'v')) : null,
                c.outputBias() ? loader.vector(DecoderTensors.attentionBias(l, 'o')) : null,
                qkNorm ? loader.vector(DecoderTensors.qkNorm(l, 'q')) : null,
                qkNorm ? loader.vector(DecoderTensors.qkNorm(l, 'k')) : null,
                c.arch() == Architecture.GPT_OSS ? loader.vector(DecoderTensors.attentionSinks(l))
                        .reshape(c.numKvHeads(), c.numHeads() / c.numKvHeads(), 1, 1) : null,
                loader.vector(DecoderTensors.postAttentionNorm(l)),
                feedForward(c, loader, l, cache), null);
    }

    /** DeepSeek-V2's {@code mlp_bias}: biases on the dense MLPs and the shared experts. */
    private static boolean mlpBias(MoeConfig c) {
        return c.deepseek() != null && c.deepseek().mlpBias();
    }

    private static LayerWeights.LatentWeights latent(MoeConfig c, Loader loader, int l) {
        boolean qLora = c.deepseek().qLoraRank() != null;
        boolean bias = c.attentionBias();
        return new LayerWeights.LatentWeights(
                qLora ? loader.linear(DecoderTensors.latent(l, "q_a_proj")) : null,
                qLora ? loader.vector(DecoderTensors.latent(l, "q_a_layernorm")) : null,
                loader.linear(DecoderTensors.latent(l, qLora ? "q_b_proj" : "q_proj")),
                loader.linear(DecoderTensors.latent(l, "kv_a_proj_with_mqa")),
                loader.vector(DecoderTensors.latent(l, "kv_a_layernorm")),
                loader.linear(DecoderTensors.latent(l, "kv_b_proj")),
                loader.linear(DecoderTensors.latent(l, "o_proj")),
                bias && qLora ? loader.vector(DecoderTensors.latentBias(l, "q_a_proj")) : null,
                bias ? loader.vector(DecoderTensors.latentBias(l, "kv_a_proj_with_mqa")) : null,
                bias ? loader.vector(DecoderTensors.latentBias(l, "o_proj")) : null);
    }

    private static FeedForward feedForward(MoeConfig c, Loader loader, int l, ExpertCache cache) {
        if (!c.isMoeLayer(l)) {
            return new FeedForward.Dense(loader.swiGlu(p -> DecoderTensors.denseMlp(l, p), mlpBias(c)));
        }
        Architecture a = c.arch();
        FeedForward.Experts experts;
        if (cache != null) {
            experts = cache.layer(l);
        } else {
            var resident = new ArrayList<Expert>(c.numExperts());
            for (int e = 0; e < c.numExperts(); e++) {
                resident.add(loadExpert(loader.checkpoint(), l, e, loader.manager()).weights());
            }
            experts = FeedForward.Experts.resident(resident);
        }
        boolean gated = c.hasSharedExpert() && !a.isDeepseek();
        boolean biased = loader.checkpoint().routerRule().needsCorrectionBias();
        return new FeedForward.Sparse(loader.linear(DecoderTensors.router(a, l)),
                a == Architecture.GPT_OSS ? loader.vector(DecoderTensors.routerBias(l)) : null, experts,
                c.hasSharedExpert() ? loader.swiGlu(p -> DecoderTensors.sharedExpert(a, l, p), mlpBias(c)) : null,
                gated ? loader.linear(DecoderTensors.sharedExpertGate(l)) : null,
                biased ? loader.checkpoint().floats(DecoderTensors.correctionBias(l)) : null);
    }

    /**
     * Reads one routed expert from the checkpoint into {@code manager}: for an {@link ExpertCache}, and for the
     * resident experts of a model loaded whole.
     */
    static ExpertCache.Loaded loadExpert(MoeCheckpoint checkpoint, int layer, int expert, NDManager manager) {
        Architecture a = checkpoint.config().arch();
        if (a == Architecture.GPT_OSS) {
            return GptOssExpertLoader.load(checkpoint, layer, expert, manager);
        }
        long h = checkpoint.config().hiddenSize();
        long width = checkpoint.config().intermediateSize();
        var shapes = new HashMap<String, long[]>();
        long bytes = 0;
        for (Projection p : Projection.values()) {
            String name = DecoderTensors.expert(a, layer, expert, p);
            shapes.put(name, p == Projection.DOWN ? new long[] {h, width} : new long[] {width, h});
            bytes += checkpoint.fileBytes(name);
        }
        var loader = new Loader(checkpoint, manager, shapes);
        return new ExpertCache.Loaded(loader.swiGlu(p -> DecoderTensors.expert(a, layer, expert, p), false), bytes);
    }

    /** Reads tensors and hands them to the manager. */
    private record Loader(MoeCheckpoint checkpoint, NDManager manager, Map<String, long[]> shapes) {

        /** An HF linear weight {@code [out, in]}, FP8 blocks dequantised, as a transposed view {@code [in, out]}. */
        NDArray linear(String name) {
            return manager.create(checkpoint.weight(name), new Shape(shapes.get(name))).transpose();
        }

        NDArray vector(String name) {
            float[] values = checkpoint.floats(name);
            return manager.create(values, new Shape(values.length));
        }

        /** The three weights, and with {@code biased} their biases. */
        SwiGlu swiGlu(Function<Projection, String> name, boolean biased) {
            String gate = name.apply(Projection.GATE);
            String up = name.apply(Projection.UP);
            String down = name.apply(Projection.DOWN);
            if (!biased) {
                return new SwiGlu(linear(gate), linear(up), linear(down));
            }
            return new SwiGlu(linear(gate), linear(up), linear(down), vector(DecoderTensors.biasOf(gate)),
                    vector(DecoderTensors.biasOf(up)), vector(DecoderTensors.biasOf(down)));
        }
    }
}
