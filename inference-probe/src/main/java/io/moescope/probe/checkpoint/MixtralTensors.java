package io.moescope.probe.checkpoint;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** HF tensor names and shapes of a Mixtral checkpoint, derived from its config. */
public final class MixtralTensors {

    private MixtralTensors() {
    }

    public static String embedTokens() {
        return "model.embed_tokens.weight";
    }

    public static String finalNorm() {
        return "model.norm.weight";
    }

    public static String lmHead() {
        return "lm_head.weight";
    }

    public static String layer(int layer, String suffix) {
        return "model.layers." + layer + "." + suffix;
    }

    public static String inputNorm(int layer) {
        return layer(layer, "input_layernorm.weight");
    }

    public static String postAttentionNorm(int layer) {
        return layer(layer, "post_attention_layernorm.weight");
    }

    /** {@code which} is one of q, k, v, o. */
    public static String attention(int layer, char which) {
        return layer(layer, "self_attn." + which + "_proj.weight");
    }

    public static String router(int layer) {
        return layer(layer, "block_sparse_moe.gate.weight");
    }

    /** {@code w} is 1 (gate projection), 2 (down projection) or 3 (up projection), as Mixtral names them. */
    public static String expert(int layer, int expert, int w) {
        return layer(layer, "block_sparse_moe.experts." + expert + ".w" + w + ".weight");
    }

    /**
     * Every tensor the forward pass reads, with its shape, in the order a writer lays them out. The LM head is left
     * out when the config ties it to the embedding.
     */
    public static Map<String, long[]> expected(MoeConfig c) {
        long h = c.hiddenSize();
        long q = (long) c.numHeads() * c.headDim();
        long kv = (long) c.numKvHeads() * c.headDim();
        long inter = c.intermediateSize();
        var shapes = new LinkedHashMap<String, long[]>();
        shapes.put(embedTokens(), new long[] {c.vocabSize(), h});
        for (int l = 0; l < c.numLayers(); l++) {
            shapes.put(inputNorm(l), new long[] {h});
            shapes.put(attention(l, 'q'), new long[] {q, h});
            shapes.put(attention(l, 'k'), new long[] {kv, h});
            shapes.put(attention(l, 'v'), new long[] {kv, h});
            shapes.put(attention(l, 'o'), new long[] {h, q});
            shapes.put(postAttentionNorm(l), new long[] {h});
            shapes.put(router(l), new long[] {c.numExperts(), h});
            for (int e = 0; e < c.numExperts(); e++) {
                shapes.put(expert(l, e, 1), new long[] {inter, h});
                shapes.put(expert(l, e, 2), new long[] {h, inter});
                shapes.put(expert(l, e, 3), new long[] {inter, h});
            }
        }
        shapes.put(finalNorm(), new long[] {h});
        if (!c.tieWordEmbeddings()) {
            shapes.put(lmHead(), new long[] {c.vocabSize(), h});
        }
        return Collections.unmodifiableMap(shapes);
    }
}
