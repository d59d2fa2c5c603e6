package io.moescope.probe.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moescope.traces.routing.GroupLimitedRouting;
import java.util.Locale;
import java.io.IOException;
import java.nio.file.Path;

/** Writes a {@link MoeConfig} as the {@code config.json} HF would, in either layout {@link ConfigReader} reads. */
public final class ConfigWriter {

    /** Which transformers wrote the file. */
    public enum Layout {
        /** As the released 4.x-era checkpoints: top-level {@code rope_theta}, {@code torch_dtype}. */
        RELEASED,
        /**
         * As {@code save_pretrained} of transformers 5: {@code rope_parameters}, {@code dtype}, every field of the
         * config class (defaults included), and the expert count under the name the class's {@code attribute_map}
         * resolves to ({@code num_local_experts} for Qwen3-MoE).
         */
        TRANSFORMERS_5
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Layout layout;

    public ConfigWriter(Layout layout) {
        this.layout = layout;
    }

    public void write(MoeConfig config, Path configFile) throws IOException {
        Architecture arch = config.arch();
        if (arch.isDeepseek()) {
            JSON.writerWithDefaultPrettyPrinter().writeValue(configFile.toFile(), deepseekV3(config));
            return;
        }
        ObjectNode root = JSON.createObjectNode();
        root.putArray("architectures").add(config.architecture());
        root.put("model_type", arch.modelType());
        root.put("hidden_size", config.hiddenSize());
        root.put(arch.expertWidthKey(), config.intermediateSize());
        if (arch.hasDenseLayers()) {
            root.put("intermediate_size", config.denseIntermediateSize());
            writeSparseLayers(config, root);
        }
        if (arch == Architecture.QWEN2_MOE) {
            root.put("shared_expert_intermediate_size", config.sharedExpertSize());
        }
        if (arch != Architecture.MIXTRAL && arch != Architecture.GPT_OSS) {
            root.put("norm_topk_prob", config.normTopKProb());
        }
        // Released Qwen2-MoE files have no qkv_bias key: the biases were always there.
        if (arch.attentionBiasKey() != null && (arch != Architecture.QWEN2_MOE || layout == Layout.TRANSFORMERS_5)) {
            root.put(arch.attentionBiasKey(), config.attentionBias());
        }
        root.put("num_hidden_layers", config.numLayers());
        root.put("num_attention_heads", config.numHeads());
        root.put("num_key_value_heads", config.numKvHeads());
        root.put("head_dim", config.headDim());
        root.put(layout == Layout.TRANSFORMERS_5 ? arch.expertsKeySavedByTransformers5() : arch.expertsKey(),
                config.numExperts());
        root.put("num_experts_per_tok", config.topK());
        if (arch == Architecture.GPT_OSS && layout == Layout.RELEASED) {
            // the released gpt-oss files repeat it under the name of OpenAI's own code
            root.put("experts_per_token", config.topK());
        }
        root.put("vocab_size", config.vocabSize());
        root.put("rms_norm_eps", config.rmsNormEps());
        root.put("max_position_embeddings", config.maxPositionEmbeddings());
        root.put("tie_word_embeddings", config.tieWordEmbeddings());
        root.put("bos_token_id", config.bosTokenId());
        root.put("eos_token_id", config.eosTokenId());
        root.put("hidden_act", "silu");
        if (arch == Architecture.GPT_OSS) {
            writeGptOssFields(config, root, layout);
        }
        if (layout == Layout.TRANSFORMERS_5) {
            writeTransformers5Fields(config, root);
        } else {
            root.put("rope_theta", config.ropeTheta());
            if (config.ropeScaling().type() != RopeScaling.Type.DEFAULT) {
                writeScaling(config.ropeScaling(), root.putObject("rope_scaling"));
            }
            root.put("torch_dtype", "float32");
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(configFile.toFile(), root);
    }

    /** The keys transformers 5 adds or renames: rope_parameters, dtype, and the class fields it always saves. */
    private static void writeTransformers5Fields(MoeConfig config, ObjectNode root) {
        Architecture arch = config.arch();
        ObjectNode rope = root.putObject("rope_parameters");
        rope.put("rope_theta", config.ropeTheta());
        rope.put("rope_type", config.ropeScaling().type().configName());
        writeScaling(config.ropeScaling(), rope);
        root.put("dtype", "float32");
        root.put("transformers_version", "5.0.0");
        root.put("attention_dropout", 0.0);
        root.put("initializer_range", 0.02);
        root.put("use_cache", true);
        root.put("output_router_logits", false);
        root.put("router_aux_loss_coef", 0.001);
        root.putNull("pad_token_id");
        switch (arch) {
            case MIXTRAL -> {
                root.putNull("sliding_window");
                root.put("router_jitter_noise", 0.0);
            }
            case OLMOE -> root.putNull("clip_qkv");
            case QWEN2_MOE -> {
                // Qwen2MoeConfig keeps the window only when use_sliding_window, else 0, and lists every layer's type.
                root.put("use_sliding_window", false);
                root.put("sliding_window", 0);
                root.put("max_window_layers", config.numLayers());
                var types = root.putArray("layer_types");
                for (int l = 0; l < config.numLayers(); l++) {
                    types.add("full_attention");
                }
            }
            case QWEN3_MOE -> {
                root.put("use_sliding_window", false);
                root.putNull("sliding_window");
            }
            case GPT_OSS -> root.put("swiglu_alpha", config.gptOssExperts().swigluAlpha());
        }
    }

    /** YaRN's keys, as the released gpt-oss and DeepSeek files spell them; nothing for plain RoPE. */
    private static void writeScaling(RopeScaling scaling, ObjectNode into) {
        if (scaling.type() == RopeScaling.Type.DEFAULT) {
            return;
        }
        into.put("rope_type", scaling.type().configName());
        into.put("factor", scaling.factor());
        into.put("beta_fast", scaling.betaFast());
        into.put("beta_slow", scaling.betaSlow());
        into.put("original_max_position_embeddings", scaling.originalMaxPositionEmbeddings());
        into.put("truncate", scaling.truncate());
        if (!Double.isNaN(scaling.attentionFactor())) {
            into.put("attention_factor", scaling.attentionFactor());
        }
        if (scaling.mscale() != 0) {
            into.put("mscale", scaling.mscale());
        }
        if (scaling.mscaleAllDim() != 0) {
            into.put("mscale_all_dim", scaling.mscaleAllDim());
        }
    }

    /**
     * gpt-oss's own keys, as in the released gpt-oss-20b config.json: every layer's type, the window, the expert
     * clamp, the MXFP4 quantization_config with the modules the release leaves in bfloat16, and the bookkeeping
     * {@code initial_context_length}.
     */
    private static void writeGptOssFields(MoeConfig config, ObjectNode root, Layout layout) {
        var types = root.putArray("layer_types");
        for (int l = 0; l < config.numLayers(); l++) {
            types.add(config.slidingWindow().slides(l) ? "sliding_attention" : "full_attention");
        }
        root.put("sliding_window", config.slidingWindow().size() == 0 ? 128 : config.slidingWindow().size());
        root.put("swiglu_limit", config.gptOssExperts().swigluLimit());
        if (layout == Layout.RELEASED) {
            root.put("initial_context_length", 4096);
        }
        if (config.gptOssExperts().mxfp4()) {
            ObjectNode quantization = root.putObject("quantization_config");
            quantization.putArray("modules_to_not_convert").add("model.layers.*.self_attn")
                    .add("model.layers.*.mlp.router").add("model.embed_tokens").add("lm_head");
            quantization.put("quant_method", "mxfp4");
        }
    }

    /** Expresses the MoE layers with HF's two keys: every layer sparse, the dense ones listed in mlp_only_layers. */
    private static void writeSparseLayers(MoeConfig config, ObjectNode root) {
        root.put("decoder_sparse_step", 1);
        var dense = root.putArray("mlp_only_layers");
        for (int l = 0; l < config.numLayers(); l++) {
            if (!config.isMoeLayer(l)) {
                dense.add(l);
            }
        }
    }

    /**
     * DeepSeek-V3's config.json as released (the layout argument aside: the demo writes only this one), from the
     * config's latent attention, group-limited router and FP8 blocks. The dense layers must come first, as
     * {@code first_k_dense_replace} says, and the shared experts be whole experts.
     */
    private static ObjectNode deepseekV3(MoeConfig config) {
        DeepseekConfig d = config.deepseek();
        int firstSparse = config.moeLayers().get(0);
        if (config.arch() != Architecture.DEEPSEEK_V3 || !(d.router() instanceof GroupLimitedRouting router)
                || !config.moeLayers().equals(MoeConfig.allLayers(config.numLayers()).subList(firstSparse,
                config.numLayers())) || config.sharedExpertSize() % config.intermediateSize() != 0) {
            throw new IllegalArgumentException("ConfigWriter writes DeepSeek-V3 configs whose dense layers come"
                    + " first and whose shared experts are whole experts");
        }
        ObjectNode root = JSON.createObjectNode();
        root.putArray("architectures").add(config.architecture());
        root.put("model_type", config.arch().modelType());
        root.put("attention_bias", config.attentionBias());
        root.put("bos_token_id", config.bosTokenId());
        root.put("eos_token_id", config.eosTokenId());
        root.put("first_k_dense_replace", firstSparse);
        root.put("hidden_act", "silu");
        root.put("hidden_size", config.hiddenSize());
        root.put("intermediate_size", config.denseIntermediateSize());
        root.put("kv_lora_rank", d.kvLoraRank());
        root.put("max_position_embeddings", config.maxPositionEmbeddings());
        root.put("moe_intermediate_size", config.intermediateSize());
        root.put("moe_layer_freq", 1);
        root.put("n_group", router.groups());
        root.put("n_routed_experts", config.numExperts());
        root.put("n_shared_experts", config.sharedExpertSize() / config.intermediateSize());
        root.put("norm_topk_prob", router.normalise());
        root.put("num_attention_heads", config.numHeads());
        root.put("num_experts_per_tok", config.topK());
        root.put("num_hidden_layers", config.numLayers());
        root.put("num_key_value_heads", config.numKvHeads());
        root.put("num_nextn_predict_layers", d.nextnLayers());
        if (d.qLoraRank() == null) {
            root.putNull("q_lora_rank");
        } else {
            root.put("q_lora_rank", d.qLoraRank());
        }
        root.put("qk_nope_head_dim", d.qkNopeHeadDim());
        root.put("qk_rope_head_dim", d.qkRopeHeadDim());
        if (d.weightBlocks() != null) {
            ObjectNode q = root.putObject("quantization_config");
            q.put("activation_scheme", "dynamic");
            q.put("fmt", "e4m3");
            q.put("quant_method", "fp8");
            q.putArray("weight_block_size").add(d.weightBlocks().rows()).add(d.weightBlocks().cols());
        }
        root.put("rms_norm_eps", config.rmsNormEps());
        RopeScaling yarn = config.ropeScaling();
        if (yarn.type() == RopeScaling.Type.DEFAULT) {
            root.putNull("rope_scaling");
        } else {
            if (!yarn.truncate() || !Double.isNaN(yarn.attentionFactor())) {
                throw new IllegalArgumentException("DeepSeek-V3's rope_scaling has no truncate or attention_factor");
            }
            // spelled as the V3 release spells it: legacy "type", no truncate (transformers' default, true)
            ObjectNode scaling = root.putObject("rope_scaling");
            scaling.put("beta_fast", yarn.betaFast());
            scaling.put("beta_slow", yarn.betaSlow());
            scaling.put("factor", yarn.factor());
            scaling.put("mscale", yarn.mscale());
            scaling.put("mscale_all_dim", yarn.mscaleAllDim());
            scaling.put("original_max_position_embeddings", yarn.originalMaxPositionEmbeddings());
            scaling.put("type", yarn.type().configName());
        }
        root.put("rope_theta", config.ropeTheta());
        root.put("rope_interleave", d.ropeInterleave());
        root.put("routed_scaling_factor", router.scalingFactor());
        root.put("scoring_func", router.scoring().name().toLowerCase(Locale.ROOT));
        root.put("tie_word_embeddings", config.tieWordEmbeddings());
        root.put("topk_group", router.keptGroups());
        root.put("topk_method", router.method().name().toLowerCase(Locale.ROOT));
        root.put("torch_dtype", "bfloat16");
        root.put("v_head_dim", d.vHeadDim());
        root.put("vocab_size", config.vocabSize());
        return root;
    }
}
