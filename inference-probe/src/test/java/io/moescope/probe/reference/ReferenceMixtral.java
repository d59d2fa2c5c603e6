package io.moescope.probe.reference;

import io.moescope.probe.checkpoint.MixtralTensors;
import io.moescope.probe.checkpoint.MoeCheckpoint;
import io.moescope.probe.checkpoint.MoeConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Mixtral written straight from its definition (HF {@code modeling_mixtral.py}) in plain Java with double
 * accumulation, one token at a time: the yardstick for the DJL forward pass. Slow and simple on purpose; tests only.
 */
public final class ReferenceMixtral {

    /** Router outputs and next-token logits of one step, indexed [layer][token]. */
    public record Step(int[][][] expertIds, double[][][] weights, double[][] entropy, double[] lastLogits) {
    }

    private final MoeConfig c;
    private final float[] embedding;
    private final float[] finalNorm;
    private final float[] lmHead;
    private final List<Layer> layers = new ArrayList<>();
    private final List<List<double[]>> keys = new ArrayList<>();
    private final List<List<double[]>> values = new ArrayList<>();

    private record Layer(float[] inputNorm, float[] q, float[] k, float[] v, float[] o, float[] postNorm,
                         float[] router, float[][] w1, float[][] w2, float[][] w3) {
    }

    public ReferenceMixtral(MoeCheckpoint checkpoint) {
        this.c = checkpoint.config();
        this.embedding = checkpoint.floats(MixtralTensors.embedTokens());
        this.finalNorm = checkpoint.floats(MixtralTensors.finalNorm());
        this.lmHead = checkpoint.floats(MixtralTensors.lmHead());
        for (int l = 0; l < c.numLayers(); l++) {
            float[][] w1 = new float[c.numExperts()][];
            float[][] w2 = new float[c.numExperts()][];
            float[][] w3 = new float[c.numExperts()][];
            for (int e = 0; e < c.numExperts(); e++) {
                w1[e] = checkpoint.floats(MixtralTensors.expert(l, e, 1));
                w2[e] = checkpoint.floats(MixtralTensors.expert(l, e, 2));
                w3[e] = checkpoint.floats(MixtralTensors.expert(l, e, 3));
            }
            layers.add(new Layer(checkpoint.floats(MixtralTensors.inputNorm(l)),
                    checkpoint.floats(MixtralTensors.attention(l, 'q')),
                    checkpoint.floats(MixtralTensors.attention(l, 'k')),
                    checkpoint.floats(MixtralTensors.attention(l, 'v')),
                    checkpoint.floats(MixtralTensors.attention(l, 'o')),
                    checkpoint.floats(MixtralTensors.postAttentionNorm(l)),
                    checkpoint.floats(MixtralTensors.router(l)), w1, w2, w3));
            keys.add(new ArrayList<>());
            values.add(new ArrayList<>());
        }
    }

    /** Processes the tokens at the next positions (one after another; the cache makes that equal to a batch). */
    public Step forward(int[] tokenIds) {
        int layerCount = c.numLayers();
        int[][][] ids = new int[layerCount][tokenIds.length][];
        double[][][] weights = new double[layerCount][tokenIds.length][];
        double[][] entropy = new double[layerCount][tokenIds.length];
        double[] h = null;
        for (int t = 0; t < tokenIds.length; t++) {
            int position = keys.get(0).size();
            h = new double[c.hiddenSize()];
            for (int i = 0; i < h.length; i++) {
                h[i] = embedding[tokenIds[t] * c.hiddenSize() + i];
            }
            for (int l = 0; l < layerCount; l++) {
                Layer layer = layers.get(l);
                add(h, attention(l, layer, rmsNorm(h, layer.inputNorm()), position));
                double[] x = rmsNorm(h, layer.postNorm());
                double[] probs = softmax(linear(layer.router(), x, c.numExperts()));
                int[] chosen = topK(probs, c.topK());
                double mass = 0;
                for (int e : chosen) {
                    mass += probs[e];
                }
                double[] w = new double[chosen.length];
                for (int r = 0; r < chosen.length; r++) {
                    w[r] = probs[chosen[r]] / mass;
                    double[] gate = linear(layer.w1()[chosen[r]], x, c.intermediateSize());
                    double[] up = linear(layer.w3()[chosen[r]], x, c.intermediateSize());
                    for (int i = 0; i < gate.length; i++) {
                        gate[i] = gate[i] / (1 + Math.exp(-gate[i])) * up[i];
                    }
                    double[] down = linear(layer.w2()[chosen[r]], gate, c.hiddenSize());
                    for (int i = 0; i < h.length; i++) {
                        h[i] += w[r] * down[i];
                    }
                }
                ids[l][t] = chosen;
                weights[l][t] = w;
                for (double p : probs) {
                    entropy[l][t] -= p > 0 ? p * Math.log(p) : 0;
                }
            }
        }
        double[] logits = linear(lmHead, rmsNorm(h, finalNorm), c.vocabSize());
        return new Step(ids, weights, entropy, logits);
    }

    private double[] attention(int l, Layer layer, double[] x, int position) {
        int d = c.headDim();
        double[] q = rotate(linear(layer.q(), x, c.numHeads() * d), position);
        keys.get(l).add(rotate(linear(layer.k(), x, c.numKvHeads() * d), position));
        values.get(l).add(linear(layer.v(), x, c.numKvHeads() * d));
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
        return linear(layer.o(), context, c.hiddenSize());
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
    private static double[] linear(float[] w, double[] x, int out) {
        double[] y = new double[out];
        for (int o = 0; o < out; o++) {
            double sum = 0;
            for (int i = 0; i < x.length; i++) {
                sum += w[o * x.length + i] * x[i];
            }
            y[o] = sum;
        }
        return y;
    }

    private double[] rmsNorm(double[] x, float[] weight) {
        double sumSquares = 0;
        for (double v : x) {
            sumSquares += v * v;
        }
        double inverse = 1 / Math.sqrt(sumSquares / x.length + c.rmsNormEps());
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] * inverse * weight[i];
        }
        return y;
    }

    private static double[] softmax(double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.exp(x[i] - max);
            sum += y[i];
        }
        for (int i = 0; i < x.length; i++) {
            y[i] /= sum;
        }
        return y;
    }

    private static int[] topK(double[] p, int k) {
        int[] chosen = new int[k];
        boolean[] taken = new boolean[p.length];
        for (int r = 0; r < k; r++) {
            int best = -1;
            for (int e = 0; e < p.length; e++) {
                if (!taken[e] && (best < 0 || p[e] > p[best])) {
                    best = e;
                }
            }
            taken[best] = true;
            chosen[r] = best;
        }
        return chosen;
    }

    private static void add(double[] h, double[] delta) {
        for (int i = 0; i < h.length; i++) {
            h[i] += delta[i];
        }
    }
}
