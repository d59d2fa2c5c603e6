package io.moescope.probe.checkpoint;

import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * The hyper-parameters of an MoE decoder, as in an HF {@code config.json}.
 *
 * @param architecture          {@code architectures[0]}, one of {@link Architecture#hfNames()}
 * @param hiddenSize            width of the residual stream ({@code hidden_size})
 * @param intermediateSize      width of one routed expert's SwiGLU ({@code intermediate_size} in Mixtral and OLMoE,
 *                              {@code moe_intermediate_size} in Qwen-MoE)
 * @param numLayers             decoder layers ({@code num_hidden_layers})
 * @param numHeads              query heads ({@code num_attention_heads})
 * @param numKvHeads            key/value heads ({@code num_key_value_heads}); grouped-query attention when fewer
 * @param headDim               width of one head ({@code head_dim}, default hidden / heads)
 * @param numExperts            routed experts per MoE layer ({@code num_local_experts} or {@code num_experts})
 * @param topK                  experts per token ({@code num_experts_per_tok})
 * @param vocabSize             rows of the embedding and of the LM head
 * @param rmsNormEps            epsilon of every RMSNorm
 * @param ropeTheta             rotary base
 * @param maxPositionEmbeddings longest sequence the model supports
 * @param tieWordEmbeddings     whether the LM head reuses the embedding matrix
 * @param bosTokenId            beginning-of-sequence token
 * @param eosTokenId            end-of-sequence token; generation stops on it
 * @param denseIntermediateSize width of the plain SwiGLU of a dense layer (Qwen-MoE {@code intermediate_size});
 *                              equal to {@code intermediateSize} where no layer is dense
 * @param sharedExpertSize      width of the always-active shared expert (Qwen2-MoE
 *                              {@code shared_expert_intermediate_size}); 0 = none
 * @param normTopKProb          whether the k chosen softmax probabilities are renormalised to sum to 1 before they
 *                              weight the experts (always in Mixtral, {@code norm_topk_prob} elsewhere)
 * @param attentionBias         whether the attention projections carry biases: q, k and v in Qwen2-MoE
 *                              ({@code qkv_bias}, default true), q, k, v and o in OLMoE and Qwen3-MoE
 *                              ({@code attention_bias}); see {@link #outputBias()}. In DeepSeek
 *                              ({@code attention_bias}) q_a_proj, kv_a_proj_with_mqa and o_proj
 * @param moeLayers             indices of the layers with a router, ascending; the others are dense
 * @param ropeScaling           the frequency scaling of {@code rope_parameters} / {@code rope_scaling} (YaRN), or
 *                              {@link RopeScaling#NONE}
 * @param slidingWindow         the layers that attend over a window ({@code layer_types}, {@code sliding_window}), or
 *                              {@link SlidingWindow#NONE}
 * @param gptOssExperts         gpt-oss's expert settings; null for every other architecture
 * @param deepseek              DeepSeek-V2/V3's latent attention, router rule and FP8 blocks; null for the other
 *                              architectures. For DeepSeek, {@code headDim} is the rotary part
 *                              ({@code qk_rope_head_dim}, as transformers saves {@code head_dim}) and
 *                              {@code sharedExpertSize} is {@code n_shared_experts * moe_intermediate_size}
 */
public record MoeConfig(String architecture, int hiddenSize, int intermediateSize, int numLayers, int numHeads,
                        int numKvHeads, int headDim, int numExperts, int topK, int vocabSize, double rmsNormEps,
                        double ropeTheta, int maxPositionEmbeddings, boolean tieWordEmbeddings, int bosTokenId,
                        int eosTokenId, int denseIntermediateSize, int sharedExpertSize, boolean normTopKProb,
                        boolean attentionBias, List<Integer> moeLayers, RopeScaling ropeScaling,
                        SlidingWindow slidingWindow, GptOssExperts gptOssExperts, DeepseekConfig deepseek) {

    public MoeConfig {
        Architecture arch = Architecture.byHfName(architecture).orElseThrow(() -> new IllegalArgumentException(
                "unsupported architecture " + architecture + "; supported: "
                        + String.join(", ", Architecture.hfNames())));
        requirePositive("hidden_size", hiddenSize);
        requirePositive(arch.expertWidthKey(), intermediateSize);
        requirePositive("num_hidden_layers", numLayers);
        requirePositive("num_attention_heads", numHeads);
        requirePositive("num_key_value_heads", numKvHeads);
        requirePositive("head_dim", headDim);
        requirePositive(arch.expertsKey(), numExperts);
        requirePositive("vocab_size", vocabSize);
        requirePositive("max_position_embeddings", maxPositionEmbeddings);
        requirePositive("intermediate_size", denseIntermediateSize);
        if (sharedExpertSize < 0) {
            throw new IllegalArgumentException("shared_expert_intermediate_size must not be negative but is "
                    + sharedExpertSize);
        }
        requireTopK(arch, numExperts, topK);
        if (numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads (" + numHeads
                    + ") must be a multiple of num_key_value_heads (" + numKvHeads + ")");
        }
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("head_dim must be even for rotary embeddings but is " + headDim);
        }
        moeLayers = List.copyOf(moeLayers);
        for (int i = 0; i < moeLayers.size(); i++) {
            int l = moeLayers.get(i);
            if (l < 0 || l >= numLayers || (i > 0 && l <= moeLayers.get(i - 1))) {
                throw new IllegalArgumentException("MoE layers must be ascending indices below num_hidden_layers ("
                        + numLayers + ") but are " + moeLayers);
            }
        }
        if (moeLayers.isEmpty()) {
            throw new IllegalArgumentException("no layer has a router (decoder_sparse_step / mlp_only_layers)");
        }
        Objects.requireNonNull(ropeScaling, "ropeScaling");
        Objects.requireNonNull(slidingWindow, "slidingWindow");
        if (!slidingWindow.layers().isEmpty() && slidingWindow.layers().get(slidingWindow.layers().size() - 1)
                >= numLayers) {
            throw new IllegalArgumentException("sliding layers " + slidingWindow.layers() + " lie beyond "
                    + numLayers + " layers");
        }
        if ((arch == Architecture.GPT_OSS) != (gptOssExperts != null)) {
            throw new IllegalArgumentException("gpt-oss expert settings belong to GptOssForCausalLM only");
        }
        if (gptOssExperts != null && gptOssExperts.mxfp4()
                && (hiddenSize % Mxfp4.BLOCK != 0 || intermediateSize % Mxfp4.BLOCK != 0)) {
            throw new IllegalArgumentException("MXFP4 experts need hidden_size and intermediate_size in whole blocks"
                    + " of " + Mxfp4.BLOCK + " but they are " + hiddenSize + " and " + intermediateSize);
        }
        if (arch.isDeepseek() != (deepseek != null)) {
            throw new IllegalArgumentException(architecture + (deepseek == null ? " needs" : " has no")
                    + " DeepSeek latent-attention settings");
        }
    }

    /** A config of any architecture but DeepSeek's, which alone has latent-attention settings. */
    public MoeConfig(String architecture, int hiddenSize, int intermediateSize, int numLayers, int numHeads,
                     int numKvHeads, int headDim, int numExperts, int topK, int vocabSize, double rmsNormEps,
                     double ropeTheta, int maxPositionEmbeddings, boolean tieWordEmbeddings, int bosTokenId,
                     int eosTokenId, int denseIntermediateSize, int sharedExpertSize, boolean normTopKProb,
                     boolean attentionBias, List<Integer> moeLayers, RopeScaling ropeScaling,
                     SlidingWindow slidingWindow, GptOssExperts gptOssExperts) {
        this(architecture, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads, headDim, numExperts, topK,
                vocabSize, rmsNormEps, ropeTheta, maxPositionEmbeddings, tieWordEmbeddings, bosTokenId, eosTokenId,
                denseIntermediateSize, sharedExpertSize, normTopKProb, attentionBias, moeLayers, ropeScaling,
                slidingWindow, gptOssExperts, null);
    }

    /** A config without RoPE scaling, sliding layers, gpt-oss experts or latent attention: Mixtral, OLMoE, Qwen. */
    public MoeConfig(String architecture, int hiddenSize, int intermediateSize, int numLayers, int numHeads,
                     int numKvHeads, int headDim, int numExperts, int topK, int vocabSize, double rmsNormEps,
                     double ropeTheta, int maxPositionEmbeddings, boolean tieWordEmbeddings, int bosTokenId,
                     int eosTokenId, int denseIntermediateSize, int sharedExpertSize, boolean normTopKProb,
                     boolean attentionBias, List<Integer> moeLayers) {
        this(architecture, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads, headDim, numExperts, topK,
                vocabSize, rmsNormEps, ropeTheta, maxPositionEmbeddings, tieWordEmbeddings, bosTokenId, eosTokenId,
                denseIntermediateSize, sharedExpertSize, normTopKProb, attentionBias, moeLayers, RopeScaling.NONE,
                SlidingWindow.NONE, null, null);
    }

    /** A Mixtral config: every layer sparse, top-k renormalised, no biases, no shared expert. */
    public MoeConfig(String architecture, int hiddenSize, int intermediateSize, int numLayers, int numHeads,
                     int numKvHeads, int headDim, int numExperts, int topK, int vocabSize, double rmsNormEps,
                     double ropeTheta, int maxPositionEmbeddings, boolean tieWordEmbeddings, int bosTokenId,
                     int eosTokenId) {
        this(architecture, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads, headDim, numExperts, topK,
                vocabSize, rmsNormEps, ropeTheta, maxPositionEmbeddings, tieWordEmbeddings, bosTokenId, eosTokenId,
                intermediateSize, 0, true, false, allLayers(numLayers));
    }

    public Architecture arch() {
        return Architecture.byHfName(architecture).orElseThrow();
    }

    public boolean isMoeLayer(int layer) {
        return moeLayers.contains(layer);
    }

    /**
     * Whether the o projection carries a bias: with attention_bias in OLMoE, Qwen3-MoE and gpt-oss, never in
     * Qwen2-MoE.
     */
    public boolean outputBias() {
        return attentionBias && arch().biasOnOutputProjection();
    }

    public boolean hasSharedExpert() {
        return sharedExpertSize > 0;
    }

    /** A copy for another architecture with its per-architecture settings; the shared dimensions stay. */
    public MoeConfig with(String otherArchitecture, int dense, int shared, boolean normTopK, boolean bias,
                          List<Integer> sparseLayers) {
        return new MoeConfig(otherArchitecture, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads,
                headDim, numExperts, topK, vocabSize, rmsNormEps, ropeTheta, maxPositionEmbeddings,
                tieWordEmbeddings, bosTokenId, eosTokenId, dense, shared, normTopK, bias, sparseLayers, ropeScaling,
                slidingWindow, gptOssExperts, deepseek);
    }

    /** k within 1..N, said with the architecture's key for N. */
    static void requireTopK(Architecture arch, int numExperts, int topK) {
        if (topK < 1 || topK > numExperts) {
            throw new IllegalArgumentException("num_experts_per_tok must be between 1 and " + arch.expertsKey()
                    + " (" + numExperts + ") but is " + topK);
        }
    }

    static List<Integer> allLayers(int numLayers) {
        return IntStream.range(0, Math.max(numLayers, 0)).boxed().toList();
    }

    private static void requirePositive(String key, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be positive but is " + value);
        }
    }
}
