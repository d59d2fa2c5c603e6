package io.moescope.probe.reference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moescope.probe.checkpoint.DType;
import io.moescope.probe.checkpoint.SafetensorsWriter;
import io.moescope.probe.checkpoint.SafetensorsWriter.Declaration;
import io.moescope.probe.demo.DemoTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Small DeepSeek checkpoints in the layout of the released files, written for tests: the released tensor names,
 * shapes and dtypes (BF16 norms, embedding, router and LM head; FP8 e4m3fn linear weights with float32
 * {@code weight_scale_inv} per 128x128 block in the V3 shape; float32 {@code e_score_correction_bias}), the
 * multi-token-prediction layer after the decoder's, shards with an index, and {@code config.json} with the released
 * keys or as transformers 5 saves them. Seeded random weights.
 */
public final class DeepseekCheckpoints {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BLOCK = 128;

    /** The dimensions and settings of one small checkpoint. */
    public record Spec(String architecture, int hidden, int heads, Integer qLoraRank, int kvLoraRank, int nope,
                       int rope, int vHeadDim, int experts, int topK, int groups, int keptGroups, int sharedExperts,
                       int moeWidth, int denseWidth, int layers, int firstDense, int nextnLayers, boolean fp8,
                       String scoring, String method, boolean normTopK, double scaling, int shards,
                       boolean attentionBias, boolean mlpBias) {

        public boolean v3() {
            return architecture.equals("DeepseekV3ForCausalLM");
        }

        public Spec withMethod(String topkMethod, int nGroup, int topkGroup) {
            return new Spec(architecture, hidden, heads, qLoraRank, kvLoraRank, nope, rope, vHeadDim, experts, topK,
                    nGroup, topkGroup, sharedExperts, moeWidth, denseWidth, layers, firstDense, nextnLayers, fp8,
                    scoring, topkMethod, normTopK, scaling, shards, attentionBias, mlpBias);
        }

        /**
         * With {@code attention_bias}: BF16 biases on q_a_proj (where there is one), kv_a_proj_with_mqa and o_proj,
         * drawn apart from the weights, so that the weights are those of the same seed without biases.
         */
        public Spec withAttentionBias() {
            return withBiases(true, mlpBias);
        }

        /**
         * With V2's {@code mlp_bias} (a transformers 5 key): BF16 biases on the gate, up and down projections of the
         * dense MLP and the shared experts, not the routed experts, drawn apart from the weights as above.
         */
        public Spec withMlpBias() {
            return withBiases(attentionBias, true);
        }

        /** The same weights without any bias. */
        public Spec withoutBiases() {
            return withBiases(false, false);
        }

        private Spec withBiases(boolean attention, boolean mlp) {
            return new Spec(architecture, hidden, heads, qLoraRank, kvLoraRank, nope, rope, vHeadDim, experts, topK,
                    groups, keptGroups, sharedExperts, moeWidth, denseWidth, layers, firstDense, nextnLayers, fp8,
                    scoring, method, normTopK, scaling, shards, attention, mlp);
        }
    }

    private DeepseekCheckpoints() {
    }

    /**
     * DeepSeek-V3-shaped: q_lora, 8 experts in 2 groups of which 1 is kept, top-2, correction bias, one shared
     * expert, the first layer dense, one MTP layer on disk, FP8 weights whose 128-blocks are partial at the edges
     * (hidden 160, q_lora_rank 136, kv_lora_rank 132, dense width 144), two shards.
     */
    public static Spec v3() {
        return new Spec("DeepseekV3ForCausalLM", 160, 2, 136, 132, 16, 8, 16, 8, 2, 2, 1, 1, 24, 144, 3, 1, 1, true,
                "sigmoid", "noaux_tc", true, 2.5, 2, false, false);
    }

    /** DeepSeek-V2-Lite-shaped: no q_lora, softmax greedy top-2 of 8, two shared experts, BF16, one file. */
    public static Spec v2Lite() {
        return new Spec("DeepseekV2ForCausalLM", 32, 4, null, 16, 8, 4, 8, 8, 2, 1, 1, 2, 12, 40, 3, 1, 0, false,
                "softmax", "greedy", false, 1.0, 1, false, false);
    }

    /** The {@code config.json} of the released files (4.x era: rope_theta, rope_scaling, torch_dtype). */
    public static ObjectNode releasedConfig(Spec s) {
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add(s.architecture());
        c.put("attention_bias", s.attentionBias());
        c.put("attention_dropout", 0.0);
        ObjectNode autoMap = c.putObject("auto_map");
        String family = s.v3() ? "DeepseekV3" : "DeepseekV2";
        String module = s.v3() ? "deepseek_v3" : "deepseek";
        autoMap.put("AutoConfig", "configuration_" + module + "." + family + "Config");
        autoMap.put("AutoModel", "modeling_" + module + "." + family + "Model");
        autoMap.put("AutoModelForCausalLM", "modeling_" + module + "." + family + "ForCausalLM");
        c.put("aux_loss_alpha", 0.001);
        c.put("bos_token_id", DemoTokenizer.BOS_ID);
        c.put("eos_token_id", DemoTokenizer.EOS_ID);
        if (s.v3()) {
            c.put("ep_size", 1);
        }
        c.put("first_k_dense_replace", s.firstDense());
        c.put("hidden_act", "silu");
        c.put("hidden_size", s.hidden());
        c.put("initializer_range", 0.02);
        c.put("intermediate_size", s.denseWidth());
        c.put("kv_lora_rank", s.kvLoraRank());
        c.put("max_position_embeddings", 512);
        c.put("model_type", s.v3() ? "deepseek_v3" : "deepseek_v2");
        c.put("moe_intermediate_size", s.moeWidth());
        c.put("moe_layer_freq", 1);
        c.put("n_group", s.groups());
        c.put("n_routed_experts", s.experts());
        c.put("n_shared_experts", s.sharedExperts());
        c.put("norm_topk_prob", s.normTopK());
        c.put("num_attention_heads", s.heads());
        c.put("num_experts_per_tok", s.topK());
        c.put("num_hidden_layers", s.layers());
        c.put("num_key_value_heads", s.heads());
        if (s.v3()) {
            c.put("num_nextn_predict_layers", s.nextnLayers());
        } else {
            c.put("pretraining_tp", 1);
        }
        if (s.qLoraRank() == null) {
            c.putNull("q_lora_rank");
        } else {
            c.put("q_lora_rank", s.qLoraRank());
        }
        c.put("qk_nope_head_dim", s.nope());
        c.put("qk_rope_head_dim", s.rope());
        if (s.fp8()) {
            ObjectNode q = c.putObject("quantization_config");
            q.put("activation_scheme", "dynamic");
            q.put("fmt", "e4m3");
            q.put("quant_method", "fp8");
            q.putArray("weight_block_size").add(BLOCK).add(BLOCK);
        }
        c.put("rms_norm_eps", 1e-6);
        // the released files carry YaRN here (withYarn adds it); most tests run plain RoPE
        c.putNull("rope_scaling");
        c.put("rope_theta", 10000);
        c.put("routed_scaling_factor", s.scaling());
        c.put("scoring_func", s.scoring());
        c.put("seq_aux", true);
        c.put("tie_word_embeddings", false);
        c.put("topk_group", s.keptGroups());
        c.put("topk_method", s.method());
        c.put("torch_dtype", "bfloat16");
        c.put("transformers_version", "4.33.1");
        c.put("use_cache", true);
        c.put("v_head_dim", s.vHeadDim());
        c.put("vocab_size", DemoTokenizer.VOCAB_SIZE);
        return c;
    }

    /**
     * The same config as transformers 5 saves it: {@code rope_parameters} in place of rope_theta / rope_scaling,
     * {@code dtype}, {@code head_dim} (= qk_rope_head_dim), V3's {@code qk_head_dim} and {@code rope_interleave},
     * {@code pad_token_id}; the released extras it does not know it keeps.
     */
    public static ObjectNode transformers5Config(Spec s) {
        ObjectNode c = releasedConfig(s);
        c.remove(List.of("rope_scaling", "rope_theta", "torch_dtype", "auto_map"));
        ObjectNode rope = c.putObject("rope_parameters");
        rope.put("rope_theta", 10000.0);
        rope.put("rope_type", "default");
        c.put("dtype", "bfloat16");
        c.put("head_dim", s.rope());
        if (s.v3()) {
            c.put("qk_head_dim", s.nope() + s.rope());
            c.put("rope_interleave", true);
            c.put("pretraining_tp", 1);
        } else {
            c.put("mlp_bias", s.mlpBias());
        }
        c.putNull("pad_token_id");
        c.put("transformers_version", "5.0.0");
        return c;
    }

    /**
     * {@code config} with YaRN as the released files state it (rope_scaling with {@code type}, beta_fast 32,
     * beta_slow 1), or in a transformers 5 config as {@code rope_parameters} with {@code rope_type}. A short
     * {@code original} puts the correction range inside the tests' few rotary dimensions, so the ramp blends some.
     */
    public static ObjectNode withYarn(ObjectNode config, double factor, double mscale, double mscaleAllDim,
                                      int original) {
        boolean transformers5 = config.has("rope_parameters");
        ObjectNode rope = config.putObject(transformers5 ? "rope_parameters" : "rope_scaling");
        if (transformers5) {
            rope.put("rope_theta", 10000.0);
        }
        rope.put("beta_fast", 32);
        rope.put("beta_slow", 1);
        rope.put("factor", factor);
        rope.put("mscale", mscale);
        rope.put("mscale_all_dim", mscaleAllDim);
        rope.put("original_max_position_embeddings", original);
        rope.put(transformers5 ? "rope_type" : "type", "yarn");
        return config;
    }

    /** Writes {@code config} and the spec's tensors (seeded) into {@code dir}. */
    public static void write(Path dir, Spec s, ObjectNode config, long seed) throws IOException {
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), config);
        writeTensors(dir, tensors(s, new Random(seed), new Random(-seed)), s.shards());
    }

    /** Writes the spec's tensors plus {@code extra} ones (e.g. an unused tensor), all in one file. */
    public static void write(Path dir, Spec s, ObjectNode config, Map<String, Tensor> extra) throws IOException {
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), config);
        var all = tensors(s, new Random(7), new Random(-7));
        all.putAll(extra);
        writeTensors(dir, all, 1);
    }

    /** One tensor to write: dtype, shape, row-major values. */
    public record Tensor(DType dtype, long[] shape, float[] values) {
    }

    /** The spec's tensors: weights from {@code random}, attention biases (if any) from {@code biases}. */
    private static Map<String, Tensor> tensors(Spec s, Random random, Random biases) {
        var t = new LinkedHashMap<String, Tensor>();
        int vocab = DemoTokenizer.VOCAB_SIZE;
        t.put("model.embed_tokens.weight", bf16(random, 1.0, vocab, s.hidden()));
        for (int l = 0; l < s.layers() + s.nextnLayers(); l++) {
            String p = "model.layers." + l + ".";
            if (l >= s.layers()) {
                // the MTP module's own parts (DeepSeek-V3's layer 61), besides a full decoder layer
                t.put(p + "enorm.weight", norm(random, s.hidden()));
                t.put(p + "hnorm.weight", norm(random, s.hidden()));
                linear(t, s, random, p + "eh_proj.weight", s.hidden(), 2 * s.hidden());
                t.put(p + "shared_head.norm.weight", norm(random, s.hidden()));
                t.put(p + "shared_head.head.weight", bf16(random, 0.1, vocab, s.hidden()));
            }
            t.put(p + "input_layernorm.weight", norm(random, s.hidden()));
            int qk = s.nope() + s.rope();
            if (s.qLoraRank() == null) {
                linear(t, s, random, p + "self_attn.q_proj.weight", s.heads() * qk, s.hidden());
            } else {
                linear(t, s, random, p + "self_attn.q_a_proj.weight", s.qLoraRank(), s.hidden());
                bias(t, s, biases, p + "self_attn.q_a_proj.bias", s.qLoraRank());
                t.put(p + "self_attn.q_a_layernorm.weight", norm(random, s.qLoraRank()));
                linear(t, s, random, p + "self_attn.q_b_proj.weight", s.heads() * qk, s.qLoraRank());
            }
            linear(t, s, random, p + "self_attn.kv_a_proj_with_mqa.weight", s.kvLoraRank() + s.rope(), s.hidden());
            bias(t, s, biases, p + "self_attn.kv_a_proj_with_mqa.bias", s.kvLoraRank() + s.rope());
            t.put(p + "self_attn.kv_a_layernorm.weight", norm(random, s.kvLoraRank()));
            linear(t, s, random, p + "self_attn.kv_b_proj.weight", s.heads() * (s.nope() + s.vHeadDim()),
                    s.kvLoraRank());
            linear(t, s, random, p + "self_attn.o_proj.weight", s.hidden(), s.heads() * s.vHeadDim());
            bias(t, s, biases, p + "self_attn.o_proj.bias", s.hidden());
            t.put(p + "post_attention_layernorm.weight", norm(random, s.hidden()));
            if (l < s.firstDense()) {
                mlp(t, s, random, p + "mlp.", s.denseWidth(), s.mlpBias() ? biases : null);
                continue;
            }
            // large router weights spread the scores, so no two choices are near ties
            t.put(p + "mlp.gate.weight", bf16(random, 3.0 / Math.sqrt(s.hidden()), s.experts(), s.hidden()));
            if (s.v3()) {
                float[] bias = new float[s.experts()];
                for (int e = 0; e < bias.length; e++) {
                    bias[e] = (float) ((random.nextDouble() - 0.5) * 0.2);
                }
                t.put(p + "mlp.gate.e_score_correction_bias", new Tensor(DType.F32, new long[] {s.experts()}, bias));
            }
            for (int e = 0; e < s.experts(); e++) {
                mlp(t, s, random, p + "mlp.experts." + e + ".", s.moeWidth(), null);
            }
            mlp(t, s, random, p + "mlp.shared_experts.", s.moeWidth() * s.sharedExperts(),
                    s.mlpBias() ? biases : null);
        }
        t.put("model.norm.weight", norm(random, s.hidden()));
        t.put("lm_head.weight", bf16(random, 1.0 / Math.sqrt(s.hidden()), vocab, s.hidden()));
        return t;
    }

    /** gate, up and down projections, each with a bias drawn from {@code biases} where that is not null. */
    private static void mlp(Map<String, Tensor> t, Spec s, Random random, String prefix, int width, Random biases) {
        linear(t, s, random, prefix + "gate_proj.weight", width, s.hidden());
        linear(t, s, random, prefix + "up_proj.weight", width, s.hidden());
        linear(t, s, random, prefix + "down_proj.weight", s.hidden(), width);
        if (biases != null) {
            t.put(prefix + "gate_proj.bias", gaussian(biases, width));
            t.put(prefix + "up_proj.bias", gaussian(biases, width));
            t.put(prefix + "down_proj.bias", gaussian(biases, s.hidden()));
        }
    }

    /**
     * A linear weight {@code [out, in]} of about {@code 1/sqrt(in)}: BF16, or FP8 values up to 4 with a float32 scale
     * per 128x128 block drawn around {@code 1/(4 sqrt(in))}.
     */
    private static void linear(Map<String, Tensor> t, Spec s, Random random, String name, int out, int in) {
        if (!s.fp8()) {
            t.put(name, bf16(random, 1 / Math.sqrt(in), out, in));
            return;
        }
        float[] values = new float[out * in];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((random.nextDouble() * 2 - 1) * 4);
        }
        t.put(name, new Tensor(DType.F8_E4M3, new long[] {out, in}, values));
        int rows = (out + BLOCK - 1) / BLOCK;
        int cols = (in + BLOCK - 1) / BLOCK;
        float[] scales = new float[rows * cols];
        for (int i = 0; i < scales.length; i++) {
            scales[i] = (float) ((0.5 + random.nextDouble()) / (4 * Math.sqrt(in)));
        }
        t.put(name + "_scale_inv", new Tensor(DType.F32, new long[] {rows, cols}, scales));
    }

    /**
     * An attention bias where the spec has them: BF16 (the released files keep 1-D tensors out of FP8), of the
     * size of the projection's outputs, so that it moves the scores and the choices.
     */
    private static void bias(Map<String, Tensor> t, Spec s, Random random, String name, int width) {
        if (s.attentionBias()) {
            t.put(name, gaussian(random, width));
        }
    }

    /** A BF16 bias of unit spread: the size of the outputs it is added to. */
    private static Tensor gaussian(Random random, int width) {
        float[] values = new float[width];
        for (int i = 0; i < width; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return new Tensor(DType.BF16, new long[] {width}, values);
    }

    private static Tensor norm(Random random, int width) {
        float[] values = new float[width];
        for (int i = 0; i < width; i++) {
            values[i] = (float) (1 + 0.1 * random.nextGaussian());
        }
        return new Tensor(DType.BF16, new long[] {width}, values);
    }

    private static Tensor bf16(Random random, double std, int rows, int cols) {
        float[] values = new float[rows * cols];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (std * random.nextGaussian());
        }
        return new Tensor(DType.BF16, new long[] {rows, cols}, values);
    }

    /** One {@code model.safetensors}, or {@code shards} files in name order with {@code model.safetensors.index.json}. */
    private static void writeTensors(Path dir, Map<String, Tensor> tensors, int shards) throws IOException {
        var names = new ArrayList<>(tensors.keySet());
        var weightMap = JSON.createObjectNode();
        int perShard = (names.size() + shards - 1) / shards;
        for (int shard = 0; shard < shards; shard++) {
            var part = names.subList(shard * perShard, Math.min(names.size(), (shard + 1) * perShard));
            String file = shards == 1 ? "model.safetensors"
                    : String.format("model-%05d-of-%05d.safetensors", shard + 1, shards);
            var declarations = part.stream()
                    .map(n -> new Declaration(n, tensors.get(n).dtype(), tensors.get(n).shape())).toList();
            try (var out = SafetensorsWriter.create(dir.resolve(file), declarations)) {
                for (String n : part) {
                    out.write(n, tensors.get(n).values());
                    weightMap.put(n, file);
                }
            }
        }
        if (shards > 1) {
            ObjectNode index = JSON.createObjectNode();
            index.putObject("metadata").put("total_size", 0);
            index.set("weight_map", weightMap);
            JSON.writeValue(dir.resolve("model.safetensors.index.json").toFile(), index);
        }
    }
}
