package io.moescope.probe.checkpoint;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** HF tensor names and shapes of a supported MoE checkpoint, derived from its config. */
public final class DecoderTensors {

    private DecoderTensors() {
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

    /** Bias of the q, k, v or o projection: q/k/v in Qwen2-MoE, all four in OLMoE and Qwen3-MoE with attention_bias. */
    public static String attentionBias(int layer, char which) {
        return layer(layer, "self_attn." + which + "_proj.bias");
    }

    /** {@code which} is q or k: the RMSNorm weight of OLMoE and Qwen3-MoE. */
    public static String qkNorm(int layer, char which) {
        return layer(layer, "self_attn." + which + "_norm.weight");
    }

    /** The router's weight {@code [experts, hidden]}: {@code gate} in most architectures, {@code router} in gpt-oss. */
    public static String router(Architecture a, int layer) {
        return layer(layer, a.moePrefix() + (a == Architecture.GPT_OSS ? ".router" : ".gate") + ".weight");
    }

    /** gpt-oss's router bias {@code [experts]}, added to the logits before the top-k. */
    public static String routerBias(int layer) {
        return layer(layer, "mlp.router.bias");
    }

    /** gpt-oss's attention sinks {@code [heads]}: one logit per head that takes part in the softmax only. */
    public static String attentionSinks(int layer) {
        return layer(layer, "self_attn.sinks");
    }

    public static String expert(Architecture a, int layer, int expert, Projection p) {
        return layer(layer, a.moePrefix() + ".experts." + expert + "." + a.projectionName(p) + ".weight");
    }

    /** Qwen2-MoE's always-active expert. */
    public static String sharedExpert(int layer, Projection p) {
        return layer(layer, "mlp.shared_expert." + p.hfName() + ".weight");
    }

    /** Qwen2-MoE's {@code [1, hidden]} gate whose sigmoid scales the shared expert's output. */
    public static String sharedExpertGate(int layer) {
        return layer(layer, "mlp.shared_expert_gate.weight");
    }

    /** The SwiGLU of a dense (router-less) layer. */
    public static String denseMlp(int layer, Projection p) {
        return layer(layer, "mlp." + p.hfName() + ".weight");
    }

    /** Whether a tensor holds packed MXFP4 bytes (dtype U8); every other tensor holds floats. */
    public static boolean isPacked(String name) {
        return name.endsWith("_blocks") || name.endsWith("_scales");
    }

    /**
     * Every tensor the forward pass reads, with its shape, in the order a writer lays them out. The LM head is left
     * out when the config ties it to the embedding.
     */
    public static Map<String, long[]> expected(MoeConfig c) {
        Architecture a = c.arch();
        long h = c.hiddenSize();
        long q = (long) c.numHeads() * c.headDim();
        long kv = (long) c.numKvHeads() * c.headDim();
        var shapes = new LinkedHashMap<String, long[]>();
        shapes.put(embedTokens(), new long[] {c.vocabSize(), h});
        for (int layer = 0; layer < c.numLayers(); layer++) {
            int l = layer;
            shapes.put(inputNorm(l), new long[] {h});
            shapes.put(attention(l, 'q'), new long[] {q, h});
            shapes.put(attention(l, 'k'), new long[] {kv, h});
            shapes.put(attention(l, 'v'), new long[] {kv, h});
            if (c.attentionBias()) {
                shapes.put(attentionBias(l, 'q'), new long[] {q});
                shapes.put(attentionBias(l, 'k'), new long[] {kv});
                shapes.put(attentionBias(l, 'v'), new long[] {kv});
            }
            shapes.put(attention(l, 'o'), new long[] {h, q});
            if (c.outputBias()) {
                shapes.put(attentionBias(l, 'o'), new long[] {h});
            }
            switch (a.qkNorm()) {
                case ACROSS_HEADS -> {
                    shapes.put(qkNorm(l, 'q'), new long[] {q});
                    shapes.put(qkNorm(l, 'k'), new long[] {kv});
                }
                case PER_HEAD -> {
                    shapes.put(qkNorm(l, 'q'), new long[] {c.headDim()});
                    shapes.put(qkNorm(l, 'k'), new long[] {c.headDim()});
                }
                case NONE -> {
                }
            }
            if (a == Architecture.GPT_OSS) {
                shapes.put(attentionSinks(l), new long[] {c.numHeads()});
            }
            shapes.put(postAttentionNorm(l), new long[] {h});
            if (a == Architecture.GPT_OSS) {
                shapes.put(router(a, l), new long[] {c.numExperts(), h});
                shapes.put(routerBias(l), new long[] {c.numExperts()});
                for (StackedExpertTensor t : StackedExpertTensor.of(c.gptOssExperts())) {
                    long[] one = t.perExpert(c);
                    long[] shape = new long[one.length + 1];
                    shape[0] = c.numExperts();
                    System.arraycopy(one, 0, shape, 1, one.length);
                    shapes.put(t.name(l), shape);
                }
            } else if (c.isMoeLayer(l)) {
                shapes.put(router(a, l), new long[] {c.numExperts(), h});
                for (int expert = 0; expert < c.numExperts(); expert++) {
                    int e = expert;
                    putSwiGlu(shapes, p -> expert(a, l, e, p), h, c.intermediateSize());
                }
                if (c.hasSharedExpert()) {
                    putSwiGlu(shapes, p -> sharedExpert(l, p), h, c.sharedExpertSize());
                    shapes.put(sharedExpertGate(l), new long[] {1, h});
                }
            } else {
                putSwiGlu(shapes, p -> denseMlp(l, p), h, c.denseIntermediateSize());
            }
        }
        shapes.put(finalNorm(), new long[] {h});
        if (!c.tieWordEmbeddings()) {
            shapes.put(lmHead(), new long[] {c.vocabSize(), h});
        }
        return Collections.unmodifiableMap(shapes);
    }

    private static void putSwiGlu(Map<String, long[]> shapes, Function<Projection, String> name,
                                  long hidden, long width) {
        // Mixtral's w1, w2, w3 order: the demo checkpoint's seeded bytes depend on it.
        shapes.put(name.apply(Projection.GATE), new long[] {width, hidden});
        shapes.put(name.apply(Projection.DOWN), new long[] {hidden, width});
        shapes.put(name.apply(Projection.UP), new long[] {width, hidden});
    }
}
