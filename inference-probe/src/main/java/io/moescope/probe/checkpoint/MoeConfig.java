package io.moescope.probe.checkpoint;

/**
 * The hyper-parameters of a Mixtral-style decoder, as in an HF {@code config.json}.
 *
 * @param architecture          {@code architectures[0]}, e.g. {@code MixtralForCausalLM}
 * @param hiddenSize            width of the residual stream ({@code hidden_size})
 * @param intermediateSize      width of one expert's SwiGLU ({@code intermediate_size})
 * @param numLayers             decoder layers ({@code num_hidden_layers}); every one has a router in Mixtral
 * @param numHeads              query heads ({@code num_attention_heads})
 * @param numKvHeads            key/value heads ({@code num_key_value_heads}); grouped-query attention when fewer
 * @param headDim               width of one head ({@code head_dim}, default hidden / heads)
 * @param numExperts            routed experts per layer ({@code num_local_experts})
 * @param topK                  experts per token ({@code num_experts_per_tok})
 * @param vocabSize             rows of the embedding and of the LM head
 * @param rmsNormEps            epsilon of every RMSNorm
 * @param ropeTheta             rotary base
 * @param maxPositionEmbeddings longest sequence the model supports
 * @param tieWordEmbeddings     whether the LM head reuses the embedding matrix
 * @param bosTokenId            beginning-of-sequence token
 * @param eosTokenId            end-of-sequence token; greedy decoding stops on it
 */
public record MoeConfig(String architecture, int hiddenSize, int intermediateSize, int numLayers, int numHeads,
                        int numKvHeads, int headDim, int numExperts, int topK, int vocabSize, double rmsNormEps,
                        double ropeTheta, int maxPositionEmbeddings, boolean tieWordEmbeddings, int bosTokenId,
                        int eosTokenId) {

    public MoeConfig {
        requirePositive("hidden_size", hiddenSize);
        requirePositive("intermediate_size", intermediateSize);
        requirePositive("num_hidden_layers", numLayers);
        requirePositive("num_attention_heads", numHeads);
        requirePositive("num_key_value_heads", numKvHeads);
        requirePositive("head_dim", headDim);
        requirePositive("num_local_experts", numExperts);
        requirePositive("vocab_size", vocabSize);
        requirePositive("max_position_embeddings", maxPositionEmbeddings);
        if (topK < 1 || topK > numExperts) {
            throw new IllegalArgumentException("num_experts_per_tok must be between 1 and num_local_experts ("
                    + numExperts + ") but is " + topK);
        }
        if (numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads (" + numHeads
                    + ") must be a multiple of num_key_value_heads (" + numKvHeads + ")");
        }
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("head_dim must be even for rotary embeddings but is " + headDim);
        }
    }

    private static void requirePositive(String key, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be positive but is " + value);
        }
    }
}
