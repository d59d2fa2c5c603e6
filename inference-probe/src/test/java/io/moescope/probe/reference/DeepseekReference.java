package io.moescope.probe.reference;

import static io.moescope.probe.reference.ReferenceMath.softmax;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.probe.checkpoint.MoeCheckpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * DeepSeek-V2/V3 written straight from the published equations (transformers' {@code modeling_deepseek_v3.py} and
 * {@code modeling_deepseek_v2.py}, DeepSeek's {@code MLA} and {@code MoEGate}) in plain Java with double accumulation,
 * one token at a time, reading {@code config.json} and the raw tensors itself (FP8 values times their block scales,
 * and YaRN as DeepSeek's {@code DeepseekV2YarnRotaryEmbedding} and {@code softmax_scale} compute it, worked here, not
 * taken from the probe): the yardstick for the DJL forward pass. Slow and simple on purpose; tests only.
 */
public final class DeepseekReference {

    private final MoeCheckpoint checkpoint;
    private final JsonNode c;
    private final int hidden;
    private final int heads;
    private final int nope;
    private final int rope;
    private final int vDim;
    private final int kvRank;
    private final int experts;
    private final int topK;
    private final int layers;
    private final int firstDense;
    private final double eps;
    private final double theta;
    private final int block;
    private final boolean interleave;
    private final boolean attentionBias;
    private final boolean mlpBias;
    /** Per rotary frequency: position x this is the angle (YaRN's blend where the config says yarn). */
    private final double[] inverseFrequency;
    /** What cos and sin are multiplied by: YaRN's mscale ratio, else 1. */
    private final double cosSinFactor;
    private final double softmaxScale;
    private final Map<String, float[]> loaded = new HashMap<>();
    /** Per layer, per position: each head's key [heads][nope + rope] and value [heads][v]. */
    private final List<List<double[][]>> keys = new ArrayList<>();
    private final List<List<double[][]>> values = new ArrayList<>();

    public DeepseekReference(MoeCheckpoint checkpoint) {
        this.checkpoint = checkpoint;
        try {
            this.c = new ObjectMapper().readTree(checkpoint.directory().resolve("config.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        hidden = c.get("hidden_size").asInt();
        heads = c.get("num_attention_heads").asInt();
        nope = c.get("qk_nope_head_dim").asInt();
        rope = c.get("qk_rope_head_dim").asInt();
        vDim = c.get("v_head_dim").asInt();
        kvRank = c.get("kv_lora_rank").asInt();
        experts = c.get("n_routed_experts").asInt();
        topK = c.get("num_experts_per_tok").asInt();
        layers = c.get("num_hidden_layers").asInt();
        firstDense = c.get("first_k_dense_replace").asInt();
        eps = c.get("rms_norm_eps").asDouble();
        theta = c.hasNonNull("rope_parameters") ? c.get("rope_parameters").get("rope_theta").asDouble()
                : c.get("rope_theta").asDouble();
        block = c.hasNonNull("quantization_config") ? c.get("quantization_config").get("weight_block_size").get(0)
                .asInt() : 0;
        interleave = c.path("rope_interleave").asBoolean(true);
        // transformers' DeepseekV2/V3Attention: bias=config.attention_bias on q_a_proj, kv_a_proj_with_mqa, o_proj
        attentionBias = c.path("attention_bias").asBoolean(false);
        // transformers' DeepseekV2MLP is LlamaMLP: bias=config.mlp_bias on the dense MLP and the shared experts; the
        // routed experts never have biases, nor does anything in V3
        mlpBias = c.get("architectures").get(0).asText().equals("DeepseekV2ForCausalLM")
                && c.path("mlp_bias").asBoolean(false);
        JsonNode yarn = yarn(c);
        inverseFrequency = yarn == null ? plainFrequencies() : yarnFrequencies(yarn);
        double qkScale = 1 / Math.sqrt(nope + rope);
        if (yarn == null) {
            cosSinFactor = 1;
            softmaxScale = qkScale;
        } else {
            double factor = yarn.get("factor").asDouble();
            // DeepSeek's DeepseekV2YarnRotaryEmbedding: _mscale = get_mscale(f, mscale) / get_mscale(f, mscale_all_dim)
            cosSinFactor = getMscale(factor, yarn.path("mscale").asDouble(1))
                    / getMscale(factor, yarn.path("mscale_all_dim").asDouble(0));
            // DeepSeek's attention: softmax_scale * get_mscale(f, mscale_all_dim)^2 when mscale_all_dim is set
            double allDim = yarn.path("mscale_all_dim").asDouble(0);
            double m = allDim == 0 ? 1 : getMscale(factor, allDim);
            softmaxScale = qkScale * m * m;
        }
        if (c.path("moe_layer_freq").asInt(1) != 1) {
            throw new IllegalArgumentException("the reference has every layer after first_k_dense_replace sparse");
        }
        for (int l = 0; l < layers; l++) {
            keys.add(new ArrayList<>());
            values.add(new ArrayList<>());
        }
    }

    /** Processes the tokens at the next positions, one after another. */
    public ReferenceDecoder.Step forward(int[] tokenIds) {
        int moeLayers = layers - firstDense;
        int[][][] ids = new int[moeLayers][tokenIds.length][];
        double[][][] weights = new double[moeLayers][tokenIds.length][];
        double[][] entropy = new double[moeLayers][tokenIds.length];
        double[] h = null;
        float[] embedding = plain("model.embed_tokens.weight");
        for (int t = 0; t < tokenIds.length; t++) {
            int position = keys.get(0).size();
            h = new double[hidden];
            for (int i = 0; i < hidden; i++) {
                h[i] = embedding[tokenIds[t] * hidden + i];
            }
            for (int l = 0; l < layers; l++) {
                String p = "model.layers." + l + ".";
                add(h, attention(l, p, rmsNorm(h, plain(p + "input_layernorm.weight")), position));
                double[] x = rmsNorm(h, plain(p + "post_attention_layernorm.weight"));
                if (l < firstDense) {
                    add(h, mlp(p + "mlp.", x, mlpBias));
                    continue;
                }
                int m = l - firstDense;
                double[] out = moe(p, x, t, ids[m], weights[m], entropy[m]);
                add(h, out);
            }
        }
        double[] last = rmsNorm(h, plain("model.norm.weight"));
        return new ReferenceDecoder.Step(ids, weights, entropy,
                ReferenceMath.linear(plain("lm_head.weight"), last, c.get("vocab_size").asInt()));
    }

    private double[] attention(int l, String p, double[] x, int position) {
        int qk = nope + rope;
        double[] q;
        if (c.hasNonNull("q_lora_rank")) {
            int rank = c.get("q_lora_rank").asInt();
            double[] qa = rmsNorm(biased(ReferenceMath.linear(linear(p + "self_attn.q_a_proj.weight"), x, rank),
                    p + "self_attn.q_a_proj.bias"), plain(p + "self_attn.q_a_layernorm.weight"));
            q = ReferenceMath.linear(linear(p + "self_attn.q_b_proj.weight"), qa, heads * qk);
        } else {
            q = ReferenceMath.linear(linear(p + "self_attn.q_proj.weight"), x, heads * qk);
        }
        double[] compressed = biased(ReferenceMath.linear(linear(p + "self_attn.kv_a_proj_with_mqa.weight"), x,
                kvRank + rope), p + "self_attn.kv_a_proj_with_mqa.bias");
        double[] latent = rmsNorm(slice(compressed, 0, kvRank), plain(p + "self_attn.kv_a_layernorm.weight"));
        double[] kpe = rotate(slice(compressed, kvRank, rope), position);
        double[] kv = ReferenceMath.linear(linear(p + "self_attn.kv_b_proj.weight"), latent, heads * (nope + vDim));
        double[][] key = new double[heads][qk];
        double[][] value = new double[heads][];
        for (int head = 0; head < heads; head++) {
            System.arraycopy(kv, head * (nope + vDim), key[head], 0, nope);
            System.arraycopy(kpe, 0, key[head], nope, rope);
            value[head] = slice(kv, head * (nope + vDim) + nope, vDim);
        }
        keys.get(l).add(key);
        values.get(l).add(value);
        double scale = softmaxScale;
        double[] context = new double[heads * vDim];
        for (int head = 0; head < heads; head++) {
            double[] qh = slice(q, head * qk, qk);
            double[] qRot = rotate(slice(qh, nope, rope), position);
            System.arraycopy(qRot, 0, qh, nope, rope);
            int length = keys.get(l).size();
            double[] scores = new double[length];
            for (int j = 0; j < length; j++) {
                double[] kj = keys.get(l).get(j)[head];
                for (int i = 0; i < qk; i++) {
                    scores[j] += qh[i] * kj[i];
                }
                scores[j] *= scale;
            }
            double[] probs = softmax(scores);
            for (int j = 0; j < length; j++) {
                double[] vj = values.get(l).get(j)[head];
                for (int i = 0; i < vDim; i++) {
                    context[head * vDim + i] += probs[j] * vj[i];
                }
            }
        }
        return biased(ReferenceMath.linear(linear(p + "self_attn.o_proj.weight"), context, hidden),
                p + "self_attn.o_proj.bias");
    }

    /** {@code y} plus the named bias where attention_bias is set. */
    private double[] biased(double[] y, String bias) {
        return attentionBias ? plus(y, plain(bias)) : y;
    }

    private static double[] plus(double[] y, float[] bias) {
        for (int i = 0; i < y.length; i++) {
            y[i] += bias[i];
        }
        return y;
    }

    /**
     * Frequency i turns the pair (2i, 2i + 1) by position * its inverse frequency, cos and sin times the YaRN factor;
     * without rope_interleave the pair (i, i + rope / 2).
     */
    private double[] rotate(double[] x, int position) {
        double[] out = new double[x.length];
        for (int i = 0; i < rope / 2; i++) {
            double angle = position * inverseFrequency[i];
            double cos = Math.cos(angle) * cosSinFactor;
            double sin = Math.sin(angle) * cosSinFactor;
            int first = interleave ? 2 * i : i;
            int second = interleave ? 2 * i + 1 : i + rope / 2;
            double a = x[first];
            double b = x[second];
            out[first] = a * cos - b * sin;
            out[second] = b * cos + a * sin;
        }
        return out;
    }

    /** The rope object of either layout when it says yarn, else null. */
    private static JsonNode yarn(JsonNode config) {
        JsonNode r = config.hasNonNull("rope_scaling") ? config.get("rope_scaling") : config.get("rope_parameters");
        if (r == null || r.isNull()) {
            return null;
        }
        String type = r.hasNonNull("rope_type") ? r.get("rope_type").asText() : r.path("type").asText("default");
        return type.equals("yarn") ? r : null;
    }

    /** theta^(-2i / rope). */
    private double[] plainFrequencies() {
        double[] f = new double[rope / 2];
        for (int i = 0; i < f.length; i++) {
            f[i] = Math.pow(theta, -2.0 * i / rope);
        }
        return f;
    }

    /**
     * DeepSeek's {@code DeepseekV2YarnRotaryEmbedding}: {@code freq_extra} (plain) and {@code freq_inter} (divided
     * by the factor) mixed by {@code inv_freq_mask = 1 - ramp}, the ramp linear from floor(low) to ceil(high) of the
     * correction range of beta_fast and beta_slow rotations over original_max_position_embeddings.
     */
    private double[] yarnFrequencies(JsonNode yarn) {
        double factor = yarn.get("factor").asDouble();
        int original = yarn.get("original_max_position_embeddings").asInt();
        double low = Math.max(Math.floor(correctionDim(yarn.path("beta_fast").asDouble(32), original)), 0);
        double high = Math.min(Math.ceil(correctionDim(yarn.path("beta_slow").asDouble(1), original)), rope - 1);
        if (low == high) {
            high += 0.001;
        }
        double[] f = new double[rope / 2];
        for (int i = 0; i < f.length; i++) {
            double extra = 1 / Math.pow(theta, 2.0 * i / rope);
            double inter = 1 / (factor * Math.pow(theta, 2.0 * i / rope));
            double ramp = Math.min(1, Math.max(0, (i - low) / (high - low)));
            double mask = 1 - ramp;
            f[i] = inter * (1 - mask) + extra * mask;
        }
        return f;
    }

    /** yarn_find_correction_dim: the dimension that turns {@code rotations} times in {@code positions}. */
    private double correctionDim(double rotations, int positions) {
        return rope * Math.log(positions / (rotations * 2 * Math.PI)) / (2 * Math.log(theta));
    }

    /** yarn_get_mscale. */
    private static double getMscale(double scale, double mscale) {
        return scale <= 1 ? 1 : 0.1 * mscale * Math.log(scale) + 1;
    }

    private double[] moe(String p, double[] x, int t, int[][] ids, double[][] weights, double[] entropy) {
        double[] logits = ReferenceMath.linear(plain(p + "mlp.gate.weight"), x, experts);
        boolean sigmoid = c.path("scoring_func").asText().equals("sigmoid");
        double[] scores = new double[experts];
        if (sigmoid) {
            for (int e = 0; e < experts; e++) {
                scores[e] = 1 / (1 + Math.exp(-logits[e]));
            }
        } else {
            scores = softmax(logits);
        }
        String method = c.path("topk_method").asText();
        double[] forChoice = scores.clone();
        if (method.equals("noaux_tc")) {
            float[] bias = plain(p + "mlp.gate.e_score_correction_bias");
            for (int e = 0; e < experts; e++) {
                forChoice[e] += bias[e];
            }
        }
        if (!method.equals("greedy")) {
            int groups = c.get("n_group").asInt();
            int size = experts / groups;
            double[] groupScore = new double[groups];
            for (int g = 0; g < groups; g++) {
                double[] members = slice(forChoice, g * size, size);
                int[] best = largest(members, method.equals("noaux_tc") ? 2 : 1);
                for (int b : best) {
                    groupScore[g] += members[b];
                }
            }
            boolean[] kept = new boolean[groups];
            for (int g : largest(groupScore, c.get("topk_group").asInt())) {
                kept[g] = true;
            }
            for (int e = 0; e < experts; e++) {
                if (!kept[e / size]) {
                    forChoice[e] = Double.NEGATIVE_INFINITY;
                }
            }
        }
        int[] chosen = largest(forChoice, topK);
        double sum = 0;
        for (int e : chosen) {
            sum += scores[e];
        }
        double divisor = c.path("norm_topk_prob").asBoolean() ? sum + 1e-20 : 1;
        double scaling = c.get("routed_scaling_factor").asDouble();
        double[] gates = new double[topK];
        double[] out = mlp(p + "mlp.shared_experts.", x, mlpBias);
        for (int r = 0; r < topK; r++) {
            gates[r] = scores[chosen[r]] / divisor * scaling;
            double[] y = mlp(p + "mlp.experts." + chosen[r] + ".", x, false);
            for (int i = 0; i < hidden; i++) {
                out[i] += gates[r] * y[i];
            }
        }
        ids[t] = chosen;
        weights[t] = gates;
        double total = 0;
        for (double s : scores) {
            total += s;
        }
        double h = 0;
        for (double s : scores) {
            double q = s / total;
            if (q > 0) {
                h -= q * Math.log(q);
            }
        }
        entropy[t] = h;
        return out;
    }

    /** down(silu(gate x + b) * (up x + b)) + b, the biases where {@code biased}. */
    private double[] mlp(String prefix, double[] x, boolean biased) {
        float[] gate = linear(prefix + "gate_proj.weight");
        int width = gate.length / hidden;
        double[] g = mlpBiased(ReferenceMath.linear(gate, x, width), prefix + "gate_proj.bias", biased);
        double[] u = mlpBiased(ReferenceMath.linear(linear(prefix + "up_proj.weight"), x, width),
                prefix + "up_proj.bias", biased);
        double[] a = new double[width];
        for (int i = 0; i < width; i++) {
            a[i] = g[i] / (1 + Math.exp(-g[i])) * u[i];
        }
        return mlpBiased(ReferenceMath.linear(linear(prefix + "down_proj.weight"), a, hidden),
                prefix + "down_proj.bias", biased);
    }

    private double[] mlpBiased(double[] y, String bias, boolean biased) {
        return biased ? plus(y, plain(bias)) : y;
    }

    /** Indices of the k largest values, largest first, the lower index first among equals. */
    private static int[] largest(double[] x, int k) {
        boolean[] taken = new boolean[x.length];
        int[] ids = new int[k];
        for (int r = 0; r < k; r++) {
            int best = -1;
            for (int i = 0; i < x.length; i++) {
                if (!taken[i] && (best < 0 || x[i] > x[best])) {
                    best = i;
                }
            }
            taken[best] = true;
            ids[r] = best;
        }
        return ids;
    }

    /** A linear weight as applied: FP8 values times their block's weight_scale_inv where the file has one. */
    private float[] linear(String name) {
        if (block == 0) {
            return plain(name);
        }
        return loaded.computeIfAbsent(name + "#scaled", k -> {
            float[] raw = checkpoint.floats(name).clone();
            float[] scale = checkpoint.floats(name + "_scale_inv");
            int in = columns(name, raw.length);
            int out = raw.length / in;
            int blocksAcross = (in + block - 1) / block;
            for (int r = 0; r < out; r++) {
                for (int col = 0; col < in; col++) {
                    raw[r * in + col] *= scale[(r / block) * blocksAcross + col / block];
                }
            }
            return raw;
        });
    }

    /** The input width of a linear weight, from the module it belongs to. */
    private int columns(String name, int elements) {
        if (name.contains("q_b_proj")) {
            return c.get("q_lora_rank").asInt();
        }
        if (name.contains("kv_b_proj")) {
            return kvRank;
        }
        if (name.contains("o_proj")) {
            return heads * vDim;
        }
        if (name.contains("down_proj")) {
            return elements / hidden;
        }
        return hidden;
    }

    private float[] plain(String name) {
        return loaded.computeIfAbsent(name, checkpoint::floats);
    }


    private double[] rmsNorm(double[] x, float[] weight) {
        return ReferenceMath.rmsNorm(x, weight, eps);
    }

    private static double[] slice(double[] x, int from, int length) {
        double[] y = new double[length];
        System.arraycopy(x, from, y, 0, length);
        return y;
    }

    private static void add(double[] h, double[] delta) {
        for (int i = 0; i < h.length; i++) {
            h[i] += delta[i];
        }
    }
}
