package io.moescope.probe.checkpoint;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
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

    /** The always-active expert: Qwen2-MoE's {@code shared_expert}, DeepSeek's {@code shared_experts} (one MLP). */
    public static String sharedExpert(Architecture a, int layer, Projection p) {
        String module = a.isDeepseek() ? "mlp.shared_experts." : "mlp.shared_expert.";
        return layer(layer, module + p.hfName() + ".weight");
    }

    /** DeepSeek-V3's {@code [experts]} float32 bias added to the router's sigmoid scores to choose, not to weight. */
    public static String correctionBias(int layer) {
        return layer(layer, "mlp.gate.e_score_correction_bias");
    }

    /**
     * A weight of DeepSeek's latent attention: {@code q_a_proj}, {@code q_b_proj}, {@code q_proj},
     * {@code kv_a_proj_with_mqa}, {@code kv_b_proj}, {@code o_proj} (linear) or {@code q_a_layernorm},
     * {@code kv_a_layernorm} (RMSNorm).
     */
    public static String latent(int layer, String module) {
        return layer(layer, "self_attn." + module + ".weight");
    }

    /** The bias of a latent-attention projection that {@code attention_bias} gives one (see {@link #expected}). */
    public static String latentBias(int layer, String module) {
        return layer(layer, "self_attn." + module + ".bias");
    }

    /** The bias beside a linear layer's {@code *.weight} (DeepSeek-V2's MLPs with {@code mlp_bias}). */
    public static String biasOf(String weight) {
        return weight.substring(0, weight.length() - ".weight".length()) + ".bias";
    }

    /** The FP8 block scales of a {@code *.weight} stored as float8_e4m3fn ({@link BlockScales}). */
    public static String scaleInverse(String weight) {
        return weight + "_scale_inv";
    }

    /**
     * Whether {@code name} belongs to decoder layer {@code layer} or later: DeepSeek's multi-token-prediction layers.
     */
    static boolean inLayerAtOrAfter(String name, int layer) {
        if (!name.startsWith("model.layers.")) {
            return false;
        }
        int end = name.indexOf('.', "model.layers.".length());
        try {
            return end > 0 && Integer.parseInt(name.substring("model.layers.".length(), end)) >= layer;
        } catch (NumberFormatException e) {
            return false;
        }
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
            if (c.deepseek() != null) {
                putLatentAttention(shapes, c, l);
                putFeedForward(shapes, c, l);
                continue;
            }
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
            putFeedForward(shapes, c, l);
        }
        shapes.put(finalNorm(), new long[] {h});
        if (!c.tieWordEmbeddings()) {
            shapes.put(lmHead(), new long[] {c.vocabSize(), h});
        }
        return Collections.unmodifiableMap(shapes);
    }

    /** The post-attention norm and the layer's router, routed and shared experts, or its dense MLP. */
    private static void putFeedForward(Map<String, long[]> shapes, MoeConfig c, int l) {
        Architecture a = c.arch();
        long h = c.hiddenSize();
        shapes.put(postAttentionNorm(l), new long[] {h});
        if (a == Architecture.GPT_OSS) {
            // one stacked tensor per projection holds every expert, with its biases (MXFP4 blocks and scales as
            // released)
            shapes.put(router(a, l), new long[] {c.numExperts(), h});
            shapes.put(routerBias(l), new long[] {c.numExperts()});
            for (StackedExpertTensor t : StackedExpertTensor.of(c.gptOssExperts())) {
                long[] one = t.perExpert(c);
                long[] shape = new long[one.length + 1];
                shape[0] = c.numExperts();
                System.arraycopy(one, 0, shape, 1, one.length);
                shapes.put(t.name(l), shape);
            }
            return;
        }
        boolean mlpBias = c.deepseek() != null && c.deepseek().mlpBias();
        if (!c.isMoeLayer(l)) {
            putSwiGlu(shapes, p -> denseMlp(l, p), h, c.denseIntermediateSize(), mlpBias);
            return;
        }
        shapes.put(router(a, l), new long[] {c.numExperts(), h});
        if (c.deepseek() != null && c.deepseek().router().needsCorrectionBias()) {
            shapes.put(correctionBias(l), new long[] {c.numExperts()});
        }
        for (int expert = 0; expert < c.numExperts(); expert++) {
            int e = expert;
            putSwiGlu(shapes, p -> expert(a, l, e, p), h, c.intermediateSize(), false);
        }
        if (c.hasSharedExpert()) {
            putSwiGlu(shapes, p -> sharedExpert(a, l, p), h, c.sharedExpertSize(), mlpBias);
            if (!a.isDeepseek()) {
                shapes.put(sharedExpertGate(l), new long[] {1, h});
            }
        }
    }

    /**
     * DeepSeek's MLA weights, in the order of the released files' modules; with {@code attention_bias}, biases on
     * q_a_proj, kv_a_proj_with_mqa and o_proj, as transformers' DeepseekV2/V3Attention builds them.
     */
    private static void putLatentAttention(Map<String, long[]> shapes, MoeConfig c, int l) {
        DeepseekConfig d = c.deepseek();
        long h = c.hiddenSize();
        long heads = c.numHeads();
        boolean bias = c.attentionBias();
        if (d.qLoraRank() == null) {
            shapes.put(latent(l, "q_proj"), new long[] {heads * d.qkHeadDim(), h});
        } else {
            shapes.put(latent(l, "q_a_proj"), new long[] {d.qLoraRank(), h});
            if (bias) {
                shapes.put(latentBias(l, "q_a_proj"), new long[] {d.qLoraRank()});
            }
            shapes.put(latent(l, "q_a_layernorm"), new long[] {d.qLoraRank()});
            shapes.put(latent(l, "q_b_proj"), new long[] {heads * d.qkHeadDim(), d.qLoraRank()});
        }
        shapes.put(latent(l, "kv_a_proj_with_mqa"), new long[] {d.kvLoraRank() + d.qkRopeHeadDim(), h});
        if (bias) {
            shapes.put(latentBias(l, "kv_a_proj_with_mqa"), new long[] {d.kvLoraRank() + d.qkRopeHeadDim()});
        }
        shapes.put(latent(l, "kv_a_layernorm"), new long[] {d.kvLoraRank()});
        shapes.put(latent(l, "kv_b_proj"), new long[] {heads * (d.qkNopeHeadDim() + d.vHeadDim()), d.kvLoraRank()});
        shapes.put(latent(l, "o_proj"), new long[] {h, heads * d.vHeadDim()});
        if (bias) {
            shapes.put(latentBias(l, "o_proj"), new long[] {h});
        }
    }

    /** A SwiGLU's three weights, and with {@code biased} a bias after each ({@link #biasOf}). */
    private static void putSwiGlu(Map<String, long[]> shapes, Function<Projection, String> name,
                                  long hidden, long width, boolean biased) {
        // Mixtral's w1, w2, w3 order: the demo checkpoint's seeded bytes depend on it.
        for (Projection p : List.of(Projection.GATE, Projection.DOWN, Projection.UP)) {
            long out = p == Projection.DOWN ? hidden : width;
            shapes.put(name.apply(p), new long[] {out, p == Projection.DOWN ? width : hidden});
            if (biased) {
                shapes.put(biasOf(name.apply(p)), new long[] {out});
            }
        }
    }
}
