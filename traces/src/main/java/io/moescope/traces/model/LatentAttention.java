package io.moescope.traces.model;

/**
 * DeepSeek's multi-head latent attention: the query through a low-rank {@code q_a_proj} / {@code q_a_layernorm} /
 * {@code q_b_proj} (or one {@code q_proj} when {@code q_lora_rank} is null), keys and values through
 * {@code kv_a_proj_with_mqa} (the latent plus the shared rotary key), {@code kv_a_layernorm} and {@code kv_b_proj},
 * then {@code o_proj}. {@code attention_bias} puts biases on q_a_proj, kv_a_proj_with_mqa and o_proj.
 */
record LatentAttention(int hidden, int heads, Integer queryRank, int kvRank, int nopeDim, int ropeDim, int valueDim,
                       boolean bias) {

    static LatentAttention of(ConfigValues v, int hidden) {
        return new LatentAttention(hidden, v.integer("num_attention_heads", 1),
                v.has("q_lora_rank") ? v.integer("q_lora_rank", 1) : null, v.integer("kv_lora_rank", 1),
                v.integer("qk_nope_head_dim", 1), v.integer("qk_rope_head_dim", 1), v.integer("v_head_dim", 1),
                v.bool("attention_bias", false));
    }

    long parameters() {
        long queryOut = (long) heads * (nopeDim + ropeDim);
        long query = queryRank == null ? hidden * queryOut
                : hidden * (long) queryRank + bias(queryRank) + queryRank + (long) queryRank * queryOut;
        long kvA = hidden * (long) (kvRank + ropeDim) + bias(kvRank + ropeDim);
        long kvB = (long) kvRank * heads * (nopeDim + valueDim);
        long output = (long) heads * valueDim * hidden + bias(hidden);
        return query + kvA + kvRank + kvB + output;
    }

    private long bias(int width) {
        return bias ? width : 0;
    }
}
