package io.moescope.probe.checkpoint;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The MoE decoder families this probe runs, keyed by HF {@code config.json} {@code architectures[0]}. They share one
 * decoder (RMSNorm, rotary grouped-query attention, SwiGLU experts); what differs is captured here and in
 * {@link MoeConfig}: tensor names, q/k normalisation, and where the router and experts live.
 */
public enum Architecture {

    /** {@code MixtralForCausalLM}: experts under {@code block_sparse_moe}, projections w1/w3/w2, top-k renormalised. */
    MIXTRAL("MixtralForCausalLM", "mixtral", "block_sparse_moe", QkNorm.NONE, 1e6),
    /** {@code OlmoeForCausalLM}: RMSNorm over the whole q and k projections (all heads together). */
    OLMOE("OlmoeForCausalLM", "olmoe", "mlp", QkNorm.ACROSS_HEADS, 1e4),
    /** {@code Qwen2MoeForCausalLM}: q/k/v biases, a shared expert with a sigmoid gate, dense layers possible. */
    QWEN2_MOE("Qwen2MoeForCausalLM", "qwen2_moe", "mlp", QkNorm.NONE, 1e4),
    /** {@code Qwen3MoeForCausalLM}: RMSNorm of each head's q and k, dense layers possible. */
    QWEN3_MOE("Qwen3MoeForCausalLM", "qwen3_moe", "mlp", QkNorm.PER_HEAD, 1e4),
    /**
     * {@code GptOssForCausalLM}: a router with a bias (top-k logits, then softmax over the k), stacked experts with a
     * clamped GLU and biases (MXFP4 as released), attention with q/k/v/o biases and a sink logit per head, sliding
     * and full layers, YaRN ({@link GptOssExperts}, {@link SlidingWindow}, {@link RopeScaling}).
     */
    GPT_OSS("GptOssForCausalLM", "gpt_oss", "mlp", QkNorm.NONE, 150000),
    /**
     * {@code DeepseekV2ForCausalLM}: multi-head latent attention, softmax router ({@code greedy} or
     * {@code group_limited_greedy}), shared experts, the first {@code first_k_dense_replace} layers dense.
     */
    DEEPSEEK_V2("DeepseekV2ForCausalLM", "deepseek_v2", "mlp", QkNorm.NONE, 1e4),
    /**
     * {@code DeepseekV3ForCausalLM}: DeepSeek-V2's decoder with a sigmoid router that chooses with
     * {@code e_score_correction_bias} among {@code topk_group} of {@code n_group} groups, FP8 weights as released.
     */
    DEEPSEEK_V3("DeepseekV3ForCausalLM", "deepseek_v3", "mlp", QkNorm.NONE, 1e4);

    /** Where a q/k RMSNorm is applied, if any. */
    public enum QkNorm {
        NONE,
        /** Weight {@code [heads * headDim]} over the projection before it is split into heads (OLMoE). */
        ACROSS_HEADS,
        /** Weight {@code [headDim]} over each head (Qwen3-MoE). */
        PER_HEAD
    }

    private final String hfName;
    private final String modelType;
    private final String moePrefix;
    private final QkNorm qkNorm;
    private final double defaultRopeTheta;

    Architecture(String hfName, String modelType, String moePrefix, QkNorm qkNorm, double defaultRopeTheta) {
        this.hfName = hfName;
        this.modelType = modelType;
        this.moePrefix = moePrefix;
        this.qkNorm = qkNorm;
        this.defaultRopeTheta = defaultRopeTheta;
    }

    /** The HF class name, as in {@code architectures}. */
    public String hfName() {
        return hfName;
    }

    /** {@code model_type} in config.json. */
    public String modelType() {
        return modelType;
    }

    /** Module name of the sparse block inside a layer: {@code block_sparse_moe} or {@code mlp}. */
    String moePrefix() {
        return moePrefix;
    }

    public QkNorm qkNorm() {
        return qkNorm;
    }

    /** {@code rope_theta} of the HF config class when the file omits it. */
    double defaultRopeTheta() {
        return defaultRopeTheta;
    }

    /** The {@code rms_norm_eps} of the HF config class, taken when the file has none. */
    double defaultRmsNormEps() {
        return switch (this) {
            case MIXTRAL, OLMOE, GPT_OSS -> 1e-5;
            case QWEN2_MOE, QWEN3_MOE, DEEPSEEK_V2, DEEPSEEK_V3 -> 1e-6;
        };
    }

    /**
     * The config key of the routed expert count: Mixtral and gpt-oss say {@code num_local_experts}, DeepSeek
     * {@code n_routed_experts}, the others {@code num_experts}.
     */
    public String expertsKey() {
        return expertsKeys().get(0);
    }

    /**
     * Every spelling of the routed expert count the HF config class accepts, {@link #expertsKey()} first: the
     * {@code attribute_map} of Mixtral, OLMoE and Qwen3-MoE makes {@code num_experts} and {@code num_local_experts}
     * one attribute (transformers 5 saves Qwen3-MoE with {@code num_local_experts}); Qwen2-MoE has no alias.
     */
    public List<String> expertsKeys() {
        return switch (this) {
            case MIXTRAL, GPT_OSS -> List.of("num_local_experts", "num_experts");
            case QWEN2_MOE -> List.of("num_experts");
            case OLMOE, QWEN3_MOE -> List.of("num_experts", "num_local_experts");
            // the attribute_map aliases of DeepseekV2Config and DeepseekV3Config
            case DEEPSEEK_V2 -> List.of("n_routed_experts", "num_experts");
            case DEEPSEEK_V3 -> List.of("n_routed_experts", "num_local_experts");
        };
    }

    /**
     * The spelling transformers 5 saves: the target of the config class's {@code attribute_map}, so Qwen3-MoE is saved
     * with {@code num_local_experts}.
     */
    public String expertsKeySavedByTransformers5() {
        return switch (this) {
            case MIXTRAL, QWEN3_MOE, GPT_OSS -> "num_local_experts";
            case OLMOE, QWEN2_MOE -> "num_experts";
            case DEEPSEEK_V2, DEEPSEEK_V3 -> "n_routed_experts";
        };
    }

    /** DeepSeek-V2 and V3: latent attention ({@link DeepseekConfig}), shared experts without a gate. */
    public boolean isDeepseek() {
        return this == DEEPSEEK_V2 || this == DEEPSEEK_V3;
    }

    /**
     * The config key that puts biases on the attention projections, or null where the reference has none: OLMoE and
     * Qwen3-MoE read {@code attention_bias} (q, k, v and o), Qwen2-MoE {@code qkv_bias} (q, k and v only, default
     * true), Mixtral's projections never carry one. DeepSeek's {@code attention_bias} puts them on q_a_proj,
     * kv_a_proj_with_mqa and o_proj (never on q_proj, q_b_proj or kv_b_proj).
     */
    public String attentionBiasKey() {
        return switch (this) {
            case MIXTRAL -> null;
            case QWEN2_MOE -> "qkv_bias";
            case OLMOE, QWEN3_MOE, GPT_OSS, DEEPSEEK_V2, DEEPSEEK_V3 -> "attention_bias";
        };
    }

    /** The value of {@link #attentionBiasKey()} when the file omits it: true for Qwen2-MoE and gpt-oss. */
    public boolean attentionBiasDefault() {
        return this == QWEN2_MOE || this == GPT_OSS;
    }

    /** Whether the attention bias, when on, is on the o projection too (Qwen2-MoE's {@code o_proj} has none). */
    public boolean biasOnOutputProjection() {
        return this != QWEN2_MOE && this != MIXTRAL;
    }

    /**
     * Every spelling of the experts per token: released gpt-oss files carry both {@code num_experts_per_tok} and
     * {@code experts_per_token} (the name in OpenAI's own code); the others only the first.
     */
    public List<String> topKKeys() {
        return this == GPT_OSS ? List.of("num_experts_per_tok", "experts_per_token") : List.of("num_experts_per_tok");
    }

    /** The config key of one routed expert's width. */
    public String expertWidthKey() {
        return switch (this) {
            case MIXTRAL, OLMOE, GPT_OSS -> "intermediate_size";
            case QWEN2_MOE, QWEN3_MOE, DEEPSEEK_V2, DEEPSEEK_V3 -> "moe_intermediate_size";
        };
    }

    /**
     * Whether layers can be dense ({@code decoder_sparse_step}, {@code mlp_only_layers},
     * {@code first_k_dense_replace});
     * then the dense width is {@code intermediate_size}.
     */
    boolean hasDenseLayers() {
        return switch (this) {
            case MIXTRAL, OLMOE, GPT_OSS -> false;
            case QWEN2_MOE, QWEN3_MOE, DEEPSEEK_V2, DEEPSEEK_V3 -> true;
        };
    }

    /** HF names of the SwiGLU projections of a routed expert. */
    String projectionName(Projection p) {
        return this == MIXTRAL ? p.mixtralName() : p.hfName();
    }

    public static List<String> hfNames() {
        return Arrays.stream(values()).map(Architecture::hfName).toList();
    }

    public static Optional<Architecture> byHfName(String name) {
        return Arrays.stream(values()).filter(a -> a.hfName.equals(name)).findFirst();
    }
}
