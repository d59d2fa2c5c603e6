package io.moescope.probe.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Which {@code config.json} keys the probe knows for each architecture. A key is either read (and changes the
 * computation as the HF modelling code does, or is refused by value in {@link Settings}) or listed in
 * {@link #NO_EFFECT} as one that cannot change a forward pass at inference. Any other key is refused by name: the probe
 * cannot tell whether a key it has never seen changes the maths, and a silently ignored one would make every routing
 * decision wrong without a sign.
 */
final class ConfigKeys {

    /**
     * Keys that do not change the forward pass: bookkeeping, the dtype the file was saved in (the tensors' own dtypes
     * are what the probe reads), training-only settings (dropout, router jitter and aux loss are off at inference) and
     * the generation defaults older transformers wrote into config.json (the probe takes sampling from its own
     * options).
     */
    static final Set<String> NO_EFFECT = Set.of(
            "architectures", "model_type", "transformers_version", "_name_or_path", "torch_dtype", "dtype",
            "use_cache", "initializer_range", "pad_token_id", "sep_token_id", "decoder_start_token_id",
            "tokenizer_class", "id2label", "label2id", "problem_type", "finetuning_task", "prefix",
            "task_specific_params", "output_hidden_states", "output_attentions", "return_dict", "torchscript",
            "is_encoder_decoder", "is_decoder", "add_cross_attention", "tie_encoder_decoder",
            "chunk_size_feed_forward", "output_router_logits", "router_aux_loss_coef", "router_jitter_noise",
            "attention_dropout", "max_length", "min_length", "do_sample", "early_stopping", "num_beams",
            "num_beam_groups", "diversity_penalty", "temperature", "top_k", "top_p", "typical_p",
            "repetition_penalty", "length_penalty", "no_repeat_ngram_size", "encoder_no_repeat_ngram_size",
            "bad_words_ids", "num_return_sequences", "output_scores", "return_dict_in_generate",
            "forced_bos_token_id", "forced_eos_token_id", "remove_invalid_values",
            "exponential_decay_length_penalty", "suppress_tokens", "begin_suppress_tokens",
            // gpt-oss's released files: the pre-YaRN context of OpenAI's own code; no transformers class reads it
            "initial_context_length",
            // DeepSeek's releases: remote-code pointers, training losses, expert parallelism, and pretraining_tp,
            // which DeepSeek's modelling code never reads
            "auto_map", "aux_loss_alpha", "seq_aux", "ep_size", "pretraining_tp");

    /** Keys every supported architecture reads. */
    private static final List<String> COMMON = List.of(
            "hidden_size", "num_attention_heads", "num_hidden_layers", "num_key_value_heads", "head_dim",
            "num_experts_per_tok", "vocab_size", "rms_norm_eps", "max_position_embeddings", "tie_word_embeddings",
            "bos_token_id", "eos_token_id", "hidden_act", "rope_theta", "rope_parameters", "rope_scaling");

    private ConfigKeys() {
    }

    /** The keys {@code arch} reads; every one of them is honoured or refused by value. */
    static Set<String> read(Architecture arch) {
        var keys = new HashSet<>(COMMON);
        keys.addAll(arch.expertsKeys());
        keys.addAll(arch.topKKeys());
        keys.add(arch.expertWidthKey());
        if (arch.attentionBiasKey() != null) {
            keys.add(arch.attentionBiasKey());
        }
        keys.addAll(switch (arch) {
            case MIXTRAL -> List.of("sliding_window");
            case OLMOE -> List.of("norm_topk_prob", "clip_qkv");
            case QWEN2_MOE -> List.of("intermediate_size", "shared_expert_intermediate_size", "norm_topk_prob",
                    "decoder_sparse_step", "mlp_only_layers", "use_sliding_window", "sliding_window",
                    "max_window_layers", "layer_types");
            case QWEN3_MOE -> List.of("intermediate_size", "norm_topk_prob", "decoder_sparse_step",
                    "mlp_only_layers", "use_sliding_window", "sliding_window", "max_window_layers");
            case GPT_OSS -> GptOssKeys.READ;
            case DEEPSEEK_V2, DEEPSEEK_V3 -> DeepseekKeys.read(arch);
        });
        return keys;
    }

    /** Refuses the first key of {@code root} that {@code arch} neither reads nor knows to be without effect. */
    static void refuseUnknown(Path file, JsonNode root, Architecture arch) {
        Set<String> read = read(arch);
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!read.contains(key) && !NO_EFFECT.contains(key)) {
                throw new CheckpointException(file + " has the key \"" + key + "\", which " + arch.hfName()
                        + " in this probe neither implements nor knows to leave the forward pass unchanged;"
                        + " refusing rather than ignoring it");
            }
        }
    }
}
