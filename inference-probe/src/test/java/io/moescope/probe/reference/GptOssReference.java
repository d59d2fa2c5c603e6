package io.moescope.probe.reference;

import static io.moescope.probe.reference.ReferenceMath.linear;
import static io.moescope.probe.reference.ReferenceMath.softmax;
import static io.moescope.probe.reference.ReferenceMath.topK;

import io.moescope.probe.checkpoint.MoeCheckpoint;
import io.moescope.probe.checkpoint.MoeConfig;
import io.moescope.probe.checkpoint.RopeScaling;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * gpt-oss written straight from its published equations (transformers' {@code modeling_gpt_oss.py},
 * {@code integrations/mxfp4.py}, {@code modeling_rope_utils._compute_yarn_parameters}) in plain Java with double
 * accumulation, one token at a time, reading the checkpoint's tensors by their released names: the yardstick for the
 * DJL forward pass. It decodes MXFP4 from the e2m1 bit fields and computes YaRN itself, sharing neither with the code
 * under test. Slow and simple on purpose; tests only.
 */
public final class GptOssReference {

    private final MoeConfig c;
    private final MoeCheckpoint checkpoint;
    private final double[] inverseFrequency;
    private final double attentionFactor;
    private final List<List<double[]>> keys = new ArrayList<>();
    private final List<List<double[]>> values = new ArrayList<>();
    /** Whole expert tensors, read (and for MXFP4 dequantised) once. */
    private final Map<String, float[]> experts = new HashMap<>();

    public GptOssReference(MoeCheckpoint checkpoint) {
        this.c = checkpoint.config();
        this.checkpoint = checkpoint;
        for (int l = 0; l < c.numLayers(); l++) {
            keys.add(new ArrayList<>());
            values.add(new ArrayList<>());
        }
        int d = c.headDim();
        RopeScaling s = c.ropeScaling();
        inverseFrequency = new double[d / 2];
        double low = d * Math.log(s.originalMaxPositionEmbeddings() / (s.betaFast() * 2 * Math.PI))
                / (2 * Math.log(c.ropeTheta()));
        double high = d * Math.log(s.originalMaxPositionEmbeddings() / (s.betaSlow() * 2 * Math.PI))
                / (2 * Math.log(c.ropeTheta()));
        if (s.truncate()) {
            low = Math.floor(low);
            high = Math.ceil(high);
        }
        low = Math.max(low, 0);
        high = Math.min(high, d - 1);
        for (int i = 0; i < d / 2; i++) {
            double base = Math.pow(c.ropeTheta(), -2.0 * i / d);
            double interpolationWeight = Math.min(1, Math.max(0, (i - low) / (high - low)));
            inverseFrequency[i] = interpolationWeight * base / s.factor() + (1 - interpolationWeight) * base;
        }
        attentionFactor = 0.1 * Math.log(s.factor()) + 1;
    }

    private float[] w(String name) {
        return checkpoint.floats(name);
    }

    private static String layer(int l, String suffix) {
        return "model.layers." + l + "." + suffix;
    }

    /** Processes the tokens at the next positions, one after another. */
    public ReferenceDecoder.Step forward(int[] tokenIds) {
        int layers = c.numLayers();
        int[][][] ids = new int[layers][tokenIds.length][];
        double[][][] weights = new double[layers][tokenIds.length][];
        double[][] entropy = new double[layers][tokenIds.length];
        float[] embedding = w("model.embed_tokens.weight");
        double[] h = null;
        for (int t = 0; t < tokenIds.length; t++) {
            int position = keys.get(0).size();
            h = new double[c.hiddenSize()];
            for (int i = 0; i < h.length; i++) {
                h[i] = embedding[tokenIds[t] * c.hiddenSize() + i];
            }
            for (int l = 0; l < layers; l++) {
                add(h, attention(l, rmsNorm(h, w(layer(l, "input_layernorm.weight"))), position));
                double[] x = rmsNorm(h, w(layer(l, "post_attention_layernorm.weight")));
                double[] logits = linear(w(layer(l, "mlp.router.weight")), x, c.numExperts());
                add(logits, w(layer(l, "mlp.router.bias")));
                int[] chosen = topK(logits, c.topK());
                double[] top = new double[chosen.length];
                for (int r = 0; r < chosen.length; r++) {
                    top[r] = logits[chosen[r]];
                }
                double[] gates = softmax(top);
                for (int r = 0; r < chosen.length; r++) {
                    double[] out = expert(l, chosen[r], x);
                    for (int i = 0; i < h.length; i++) {
                        h[i] += gates[r] * out[i];
                    }
                }
                ids[l][t] = chosen;
                weights[l][t] = gates;
                for (double p : softmax(logits)) {
                    entropy[l][t] -= p > 0 ? p * Math.log(p) : 0;
                }
            }
        }
        double[] logits = linear(w("lm_head.weight"), rmsNorm(h, w("model.norm.weight")), c.vocabSize());
        return new ReferenceDecoder.Step(ids, weights, entropy, logits);
    }

    /**
     * {@code gate_up = x W + b}; gate = even entries, up = odd; gate clamped above at the limit, up to +-limit;
     * {@code ((up + 1) * gate * sigmoid(alpha * gate)) W_down + b_down}.
     */
    private double[] expert(int l, int e, double[] x) {
        int h = c.hiddenSize();
        int width = c.intermediateSize();
        double limit = c.gptOssExperts().swigluLimit();
        double alpha = c.gptOssExperts().swigluAlpha();
        float[] gateUpBias = w(layer(l, "mlp.experts.gate_up_proj_bias"));
        double[] gateUp = new double[2 * width];
        for (int o = 0; o < 2 * width; o++) {
            double sum = gateUpBias[e * 2 * width + o];
            for (int i = 0; i < h; i++) {
                sum += x[i] * gateUpWeight(l, e, i, o);
            }
            gateUp[o] = sum;
        }
        double[] glu = new double[width];
        for (int j = 0; j < width; j++) {
            double gate = Math.min(gateUp[2 * j], limit);
            double up = Math.max(-limit, Math.min(gateUp[2 * j + 1], limit));
            glu[j] = (up + 1) * gate / (1 + Math.exp(-alpha * gate));
        }
        float[] downBias = w(layer(l, "mlp.experts.down_proj_bias"));
        double[] out = new double[h];
        for (int o = 0; o < h; o++) {
            double sum = downBias[e * h + o];
            for (int j = 0; j < width; j++) {
                sum += glu[j] * downWeight(l, e, j, o);
            }
            out[o] = sum;
        }
        return out;
    }

    /** Element {@code [e, in, out]} of gate_up_proj: stored so, or dequantised from {@code [e, out, in]} MXFP4. */
    private double gateUpWeight(int l, int e, int in, int out) {
        int h = c.hiddenSize();
        int width2 = 2 * c.intermediateSize();
        if (!c.gptOssExperts().mxfp4()) {
            return floats(layer(l, "mlp.experts.gate_up_proj"))[(e * h + in) * width2 + out];
        }
        return mxfp4(layer(l, "mlp.experts.gate_up_proj"), width2, h)[(e * width2 + out) * h + in];
    }

    private double downWeight(int l, int e, int in, int out) {
        int h = c.hiddenSize();
        int width = c.intermediateSize();
        if (!c.gptOssExperts().mxfp4()) {
            return floats(layer(l, "mlp.experts.down_proj"))[(e * width + in) * h + out];
        }
        return mxfp4(layer(l, "mlp.experts.down_proj"), h, width)[(e * h + out) * width + in];
    }

    private float[] floats(String name) {
        return experts.computeIfAbsent(name, checkpoint::floats);
    }

    /**
     * The whole {@code [E, rows, columns]} matrix of {@code prefix_blocks} and {@code prefix_scales}: element
     * {@code k} of a row is nibble {@code k % 2} (low first) of byte {@code k / 2} of its 32-element group, times
     * {@code 2^(scale - 127)}.
     */
    private float[] mxfp4(String prefix, int rows, int columns) {
        return experts.computeIfAbsent(prefix, p -> {
            int groups = columns / 32;
            int e = c.numExperts();
            byte[] blocks = checkpoint.bytes(p + "_blocks", 0, e * rows * groups * 16);
            byte[] scales = checkpoint.bytes(p + "_scales", 0, e * rows * groups);
            float[] m = new float[e * rows * columns];
            for (int r = 0; r < e * rows; r++) {
                for (int k = 0; k < columns; k++) {
                    int g = r * groups + k / 32;
                    int packed = blocks[g * 16 + (k % 32) / 2] & 0xFF;
                    int code = k % 2 == 0 ? packed & 0xF : packed >> 4;
                    m[r * columns + k] = (float) (e2m1(code) * Math.pow(2, (scales[g] & 0xFF) - 127));
                }
            }
            return m;
        });
    }

    /** FP4 e2m1 from its bits: sign, 2 exponent bits (bias 1), 1 mantissa bit; exponent 0 is subnormal. */
    private static double e2m1(int code) {
        int sign = code >> 3;
        int exponent = (code >> 1) & 3;
        int mantissa = code & 1;
        double magnitude = exponent == 0 ? mantissa * 0.5 : (1 + mantissa * 0.5) * Math.pow(2, exponent - 1);
        return sign == 1 ? -magnitude : magnitude;
    }

    private double[] attention(int l, double[] x, int position) {
        int d = c.headDim();
        double[] q = rotate(project(l, 'q', x, c.numHeads()), position);
        keys.get(l).add(rotate(project(l, 'k', x, c.numKvHeads()), position));
        values.get(l).add(project(l, 'v', x, c.numKvHeads()));
        boolean sliding = c.slidingWindow().slides(l);
        int first = sliding ? Math.max(0, position - c.slidingWindow().size() + 1) : 0;
        float[] sinks = w(layer(l, "self_attn.sinks"));
        int groups = c.numHeads() / c.numKvHeads();
        double[] context = new double[c.numHeads() * d];
        for (int head = 0; head < c.numHeads(); head++) {
            int kvHead = head / groups;
            int visible = position + 1 - first;
            // the visible scores, then the head's sink as one more entry of the softmax row
            double[] row = new double[visible + 1];
            for (int j = first; j <= position; j++) {
                double dot = 0;
                for (int i = 0; i < d; i++) {
                    dot += q[head * d + i] * keys.get(l).get(j)[kvHead * d + i];
                }
                row[j - first] = dot / Math.sqrt(d);
            }
            row[visible] = sinks[head];
            double[] p = softmax(row);
            for (int j = first; j <= position; j++) {
                for (int i = 0; i < d; i++) {
                    context[head * d + i] += p[j - first] * values.get(l).get(j)[kvHead * d + i];
                }
            }
        }
        double[] out = linear(w(layer(l, "self_attn.o_proj.weight")), context, c.hiddenSize());
        add(out, w(layer(l, "self_attn.o_proj.bias")));
        return out;
    }

    private double[] project(int l, char which, double[] x, int heads) {
        double[] y = linear(w(layer(l, "self_attn." + which + "_proj.weight")), x, heads * c.headDim());
        add(y, w(layer(l, "self_attn." + which + "_proj.bias")));
        return y;
    }

    /** gpt-oss's {@code _apply_rotary_emb}: halves (a, b) -> (a cos - b sin, b cos + a sin), cos/sin scaled by YaRN. */
    private double[] rotate(double[] x, int position) {
        int d = c.headDim();
        double[] out = new double[x.length];
        for (int head = 0; head < x.length / d; head++) {
            for (int i = 0; i < d / 2; i++) {
                double angle = position * inverseFrequency[i];
                double cos = Math.cos(angle) * attentionFactor;
                double sin = Math.sin(angle) * attentionFactor;
                double a = x[head * d + i];
                double b = x[head * d + i + d / 2];
                out[head * d + i] = a * cos - b * sin;
                out[head * d + i + d / 2] = b * cos + a * sin;
            }
        }
        return out;
    }

    private double[] rmsNorm(double[] x, float[] weight) {
        return ReferenceMath.rmsNorm(x, weight, c.rmsNormEps());
    }

    private static void add(double[] y, float[] b) {
        for (int i = 0; i < y.length; i++) {
            y[i] += b[i];
        }
    }

    private static void add(double[] h, double[] delta) {
        for (int i = 0; i < h.length; i++) {
            h[i] += delta[i];
        }
    }
}
