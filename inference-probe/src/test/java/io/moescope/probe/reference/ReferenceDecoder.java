package io.moescope.probe.reference;

import static io.moescope.probe.reference.ReferenceMath.linear;
import static io.moescope.probe.reference.ReferenceMath.softmax;
import static io.moescope.probe.reference.ReferenceMath.toDouble;
import static io.moescope.probe.reference.ReferenceMath.topK;

import io.moescope.probe.checkpoint.Architecture;
import io.moescope.probe.checkpoint.DecoderTensors;
import io.moescope.probe.checkpoint.MoeCheckpoint;
import io.moescope.probe.checkpoint.MoeConfig;
import io.moescope.probe.checkpoint.Projection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The supported MoE decoders written straight from their definitions (HF {@code modeling_mixtral.py},
 * {@code modeling_olmoe.py}, {@code modeling_qwen2_moe.py}, {@code modeling_qwen3_moe.py}) in plain Java with double
 * accumulation, one token at a time: the yardstick for the DJL forward pass. Slow and simple on purpose; tests only.
 */
public final class ReferenceDecoder {

    /** Router outputs and next-token logits of one step, indexed [MoE layer ordinal][token]. */
    public record Step(int[][][] expertIds, double[][][] weights, double[][] entropy, double[] lastLogits) {
    }

    private final MoeConfig c;
    private final Architecture arch;
    private final MoeCheckpoint checkpoint;
    private final float[] embedding;
    private final float[] finalNorm;
    private final float[] lmHead;
    private final List<List<double[]>> keys = new ArrayList<>();
    private final List<List<double[]>> values = new ArrayList<>();

    public ReferenceDecoder(MoeCheckpoint checkpoint) {
        this.c = checkpoint.config();
        this.arch = c.arch();
        this.checkpoint = checkpoint;
        this.embedding = checkpoint.floats(DecoderTensors.embedTokens());
        this.finalNorm = checkpoint.floats(DecoderTensors.finalNorm());
        this.lmHead = checkpoint.floats(DecoderTensors.lmHead());
        for (int l = 0; l < c.numLayers(); l++) {
            keys.add(new ArrayList<>());
            values.add(new ArrayList<>());
        }
    }

    /** Reads a tensor each time it is needed: slow, and independent of how the model under test caches weights. */
    private float[] w(String name) {
        return checkpoint.floats(name);
    }

    /** Processes the tokens at the next positions (one after another; the cache makes that equal to a batch). */
    public Step forward(int[] tokenIds) {
        int moeLayers = c.moeLayers().size();
        int[][][] ids = new int[moeLayers][tokenIds.length][];
        double[][][] weights = new double[moeLayers][tokenIds.length][];
        double[][] entropy = new double[moeLayers][tokenIds.length];
        double[] h = null;
        for (int t = 0; t < tokenIds.length; t++) {
            int position = keys.get(0).size();
            h = new double[c.hiddenSize()];
            for (int i = 0; i < h.length; i++) {
                h[i] = embedding[tokenIds[t] * c.hiddenSize() + i];
            }
            int m = 0;
            for (int l = 0; l < c.numLayers(); l++) {
                add(h, attention(l, rmsNorm(h, w(DecoderTensors.inputNorm(l))), position));
                double[] x = rmsNorm(h, w(DecoderTensors.postAttentionNorm(l)));
                if (!c.moeLayers().contains(l)) {
                    int layer = l;
                    add(h, swiGlu(p -> DecoderTensors.denseMlp(layer, p), x, c.denseIntermediateSize()));
                    continue;
                }
                double[] probs = softmax(linear(w(DecoderTensors.router(arch, l)), x, c.numExperts()));
                int[] chosen = topK(probs, c.topK());
                double mass = 0;
                for (int e : chosen) {
                    mass += probs[e];
                }
                double[] gates = new double[chosen.length];
                for (int r = 0; r < chosen.length; r++) {
                    gates[r] = c.normTopKProb() ? probs[chosen[r]] / mass : probs[chosen[r]];
                    int layer = l;
                    int e = chosen[r];
                    double[] down = swiGlu(p -> DecoderTensors.expert(arch, layer, e, p), x, c.intermediateSize());
                    for (int i = 0; i < h.length; i++) {
                        h[i] += gates[r] * down[i];
                    }
                }
                if (c.hasSharedExpert()) {
                    int layer = l;
                    double[] shared = swiGlu(p -> DecoderTensors.sharedExpert(arch, layer, p), x, c.sharedExpertSize());
                    double logit = linear(w(DecoderTensors.sharedExpertGate(l)), x, 1)[0];
                    double gate = 1 / (1 + Math.exp(-logit));
                    for (int i = 0; i < h.length; i++) {
                        h[i] += gate * shared[i];
                    }
                }
                ids[m][t] = chosen;
                weights[m][t] = gates;
                for (double p : probs) {
                    entropy[m][t] -= p > 0 ? p * Math.log(p) : 0;
                }
                m++;
            }
        }
        double[] logits = linear(lmHead, rmsNorm(h, finalNorm), c.vocabSize());
        return new Step(ids, weights, entropy, logits);
    }

    /** down(silu(gate x) * up x) with HF weights [out, in]. */
    private double[] swiGlu(Function<Projection, String> name, double[] x, int width) {
        double[] gate = linear(w(name.apply(Projection.GATE)), x, width);
        double[] up = linear(w(name.apply(Projection.UP)), x, width);
        for (int i = 0; i < gate.length; i++) {
            gate[i] = gate[i] / (1 + Math.exp(-gate[i])) * up[i];
        }
        return linear(w(name.apply(Projection.DOWN)), gate, c.hiddenSize());
    }

    /** A q/k/v projection with the architecture's bias and q/k norm (before rotation). */
    private double[] project(int l, char which, double[] x, int heads) {
        int d = c.headDim();
        double[] y = linear(w(DecoderTensors.attention(l, which)), x, heads * d);
        if (c.attentionBias()) {
            add(y, toDouble(w(DecoderTensors.attentionBias(l, which))));
        }
        if (which == 'v' || arch.qkNorm() == Architecture.QkNorm.NONE) {
            return y;
        }
        float[] norm = w(DecoderTensors.qkNorm(l, which));
        if (arch.qkNorm() == Architecture.QkNorm.ACROSS_HEADS) {
            return rmsNorm(y, norm);
        }
        double[] out = new double[y.length];
        for (int head = 0; head < heads; head++) {
            double[] one = rmsNorm(Arrays.copyOfRange(y, head * d, head * d + d), norm);
            System.arraycopy(one, 0, out, head * d, d);
        }
        return out;
    }

    private double[] attention(int l, double[] x, int position) {
        int d = c.headDim();
        double[] q = rotate(project(l, 'q', x, c.numHeads()), position);
        keys.get(l).add(rotate(project(l, 'k', x, c.numKvHeads()), position));
        values.get(l).add(project(l, 'v', x, c.numKvHeads()));
        int groups = c.numHeads() / c.numKvHeads();
        double[] context = new double[c.numHeads() * d];
        for (int head = 0; head < c.numHeads(); head++) {
            int kvHead = head / groups;
            double[] scores = new double[position + 1];
            for (int j = 0; j <= position; j++) {
                double dot = 0;
                for (int i = 0; i < d; i++) {
                    dot += q[head * d + i] * keys.get(l).get(j)[kvHead * d + i];
                }
                scores[j] = dot / Math.sqrt(d);
            }
            double[] p = softmax(scores);
            for (int j = 0; j <= position; j++) {
                for (int i = 0; i < d; i++) {
                    context[head * d + i] += p[j] * values.get(l).get(j)[kvHead * d + i];
                }
            }
        }
        double[] out = linear(w(DecoderTensors.attention(l, 'o')), context, c.hiddenSize());
        // OlmoeAttention and Qwen3MoeAttention build o_proj with bias=config.attention_bias; Qwen2-MoE's has none.
        if (c.attentionBias() && arch != Architecture.QWEN2_MOE) {
            add(out, toDouble(w(DecoderTensors.attentionBias(l, 'o'))));
        }
        return out;
    }

    /** Rotary embedding per head with HF's rotate_half pairing: element i rotates with element i + d/2. */
    private double[] rotate(double[] x, int position) {
        int d = c.headDim();
        double[] out = new double[x.length];
        for (int head = 0; head < x.length / d; head++) {
            for (int i = 0; i < d / 2; i++) {
                double angle = position / Math.pow(c.ropeTheta(), 2.0 * i / d);
                double a = x[head * d + i];
                double b = x[head * d + i + d / 2];
                out[head * d + i] = a * Math.cos(angle) - b * Math.sin(angle);
                out[head * d + i + d / 2] = b * Math.cos(angle) + a * Math.sin(angle);
            }
        }
        return out;
    }

    /** y = W x for an HF weight W of shape [out, in], row-major. */
    private double[] rmsNorm(double[] x, float[] weight) {
        return ReferenceMath.rmsNorm(x, weight, c.rmsNormEps());
    }

    private static void add(double[] h, double[] delta) {
        for (int i = 0; i < h.length; i++) {
            h[i] += delta[i];
        }
    }
}
