package io.moescope.probe.reference;

import io.moescope.probe.checkpoint.ConfigWriter;
import io.moescope.probe.checkpoint.DType;
import io.moescope.probe.checkpoint.GptOssExperts;
import io.moescope.probe.checkpoint.MoeCheckpoint;
import io.moescope.probe.checkpoint.MoeConfig;
import io.moescope.probe.checkpoint.Mxfp4;
import io.moescope.probe.checkpoint.RopeScaling;
import io.moescope.probe.checkpoint.SafetensorsWriter;
import io.moescope.probe.checkpoint.SafetensorsWriter.Declaration;
import io.moescope.probe.checkpoint.SlidingWindow;
import io.moescope.probe.demo.DemoTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;

/**
 * Writes a small gpt-oss checkpoint in the layout of the released {@code openai/gpt-oss-20b} files, with the tensor
 * names spelled out here (not taken from the code under test): bfloat16 attention, sinks, router and biases, experts
 * either as MXFP4 {@code *_blocks} (U8 {@code [E, out, in/32, 16]}) and {@code *_scales} (U8 {@code [E, out, in/32]})
 * quantised from real-valued weights as released, or as bfloat16 {@code gate_up_proj [E, H, 2I]} / {@code down_proj [E, I, H]} as transformers 5 saves a
 * dequantised model; in one file or two shards with an index. Seeded random weights; the router's rows are scaled
 * apart so that no two logits tie.
 */
public final class GptOssCheckpointWriter {

    private final long seed;
    private final boolean sharded;

    public GptOssCheckpointWriter(long seed, boolean sharded) {
        this.seed = seed;
        this.sharded = sharded;
    }

    /**
     * 3 layers (sliding, full, sliding), 8 experts top-3, head_dim 24 apart from hidden / heads = 16, 4 query heads on
     * 2 key/value heads, YaRN as released (factor 32 over 4096, truncate false), window 4.
     */
    public static MoeConfig smallConfig(boolean mxfp4) {
        return new MoeConfig("GptOssForCausalLM", 64, 32, 3, 4, 2, 24, 8, 3, DemoTokenizer.VOCAB_SIZE, 1e-5,
                150000, 131072, false, DemoTokenizer.BOS_ID, DemoTokenizer.EOS_ID, 32, 0, false, true,
                List.of(0, 1, 2), RopeScaling.gptOssDefault(), new SlidingWindow(4, List.of(0, 2)),
                new GptOssExperts(1.702, 7.0, mxfp4));
    }

    /** A tensor to write: float values, or bytes for U8. */
    private record Tensor(String name, DType dtype, long[] shape, float[] floats, byte[] bytes) {
    }

    public void write(Path dir, MoeConfig c, ConfigWriter.Layout layout) throws IOException {
        Files.createDirectories(dir);
        new ConfigWriter(layout).write(c, dir.resolve(MoeCheckpoint.CONFIG_FILE));
        new DemoTokenizer().write(dir.resolve(MoeCheckpoint.TOKENIZER_FILE));
        write(dir, tensors(c));
    }

    /** Writes the given tensors plus {@code extra} (a name the model does not read), for refusal tests. */
    public void writeWithExtra(Path dir, MoeConfig c, String extra, long[] shape) throws IOException {
        Files.createDirectories(dir);
        new ConfigWriter(ConfigWriter.Layout.RELEASED).write(c, dir.resolve(MoeCheckpoint.CONFIG_FILE));
        new DemoTokenizer().write(dir.resolve(MoeCheckpoint.TOKENIZER_FILE));
        var all = new ArrayList<>(tensors(c));
        all.add(floats(extra, shape, 0.1, new Random(1)));
        write(dir, all);
    }

    /** Writes the tensors with one of them stored as U8 bytes although it holds floats. */
    public void writeWithU8(Path dir, MoeConfig c, String asBytes) throws IOException {
        Files.createDirectories(dir);
        new ConfigWriter(ConfigWriter.Layout.RELEASED).write(c, dir.resolve(MoeCheckpoint.CONFIG_FILE));
        new DemoTokenizer().write(dir.resolve(MoeCheckpoint.TOKENIZER_FILE));
        var all = new ArrayList<Tensor>();
        for (Tensor t : tensors(c)) {
            all.add(t.name().equals(asBytes)
                    ? new Tensor(t.name(), DType.U8, t.shape(), null, new byte[t.floats().length]) : t);
        }
        write(dir, all);
    }

    private void write(Path dir, List<Tensor> tensors) throws IOException {
        if (!sharded) {
            writeFile(dir.resolve(MoeCheckpoint.WEIGHTS_FILE), tensors);
            return;
        }
        // two shards, split in the middle of the layers as the release splits them, and the HF index
        int half = tensors.size() / 2;
        var weightMap = new LinkedHashMap<String, String>();
        String first = "model-00000-of-00001.safetensors";
        String second = "model-00001-of-00001.safetensors";
        writeFile(dir.resolve(first), tensors.subList(0, half));
        writeFile(dir.resolve(second), tensors.subList(half, tensors.size()));
        tensors.forEach(t -> weightMap.put(t.name(), weightMap.size() < half ? first : second));
        var index = new StringBuilder("{\"metadata\": {\"total_size\": 0}, \"weight_map\": {");
        weightMap.forEach((name, file) -> index.append('"').append(name).append("\": \"").append(file)
                .append("\", "));
        index.setLength(index.length() - 2);
        Files.writeString(dir.resolve(MoeCheckpoint.WEIGHTS_INDEX_FILE), index.append("}}").toString());
    }

    private static void writeFile(Path file, List<Tensor> tensors) throws IOException {
        var declarations = tensors.stream().map(t -> new Declaration(t.name(), t.dtype(), t.shape())).toList();
        try (var out = SafetensorsWriter.create(file, declarations)) {
            for (Tensor t : tensors) {
                if (t.dtype() == DType.U8) {
                    out.write(t.name(), t.bytes());
                } else {
                    out.write(t.name(), t.floats());
                }
            }
        }
    }

    private List<Tensor> tensors(MoeConfig c) {
        var random = new Random(seed);
        int h = c.hiddenSize();
        int width = c.intermediateSize();
        int e = c.numExperts();
        int q = c.numHeads() * c.headDim();
        int kv = c.numKvHeads() * c.headDim();
        var out = new ArrayList<Tensor>();
        out.add(floats("model.embed_tokens.weight", new long[] {c.vocabSize(), h}, 1.0, random));
        for (int l = 0; l < c.numLayers(); l++) {
            String p = "model.layers." + l + ".";
            out.add(norm(p + "input_layernorm.weight", h, random));
            out.add(floats(p + "self_attn.q_proj.weight", new long[] {q, h}, 1 / Math.sqrt(h), random));
            out.add(floats(p + "self_attn.q_proj.bias", new long[] {q}, 0.1, random));
            out.add(floats(p + "self_attn.k_proj.weight", new long[] {kv, h}, 1 / Math.sqrt(h), random));
            out.add(floats(p + "self_attn.k_proj.bias", new long[] {kv}, 0.1, random));
            out.add(floats(p + "self_attn.v_proj.weight", new long[] {kv, h}, 1 / Math.sqrt(h), random));
            out.add(floats(p + "self_attn.v_proj.bias", new long[] {kv}, 0.1, random));
            out.add(floats(p + "self_attn.o_proj.weight", new long[] {h, q}, 1 / Math.sqrt(q), random));
            out.add(floats(p + "self_attn.o_proj.bias", new long[] {h}, 0.1, random));
            // sinks near the scores' size, so that they take a visible share of each row
            out.add(floats(p + "self_attn.sinks", new long[] {c.numHeads()}, 1.0, random));
            out.add(norm(p + "post_attention_layernorm.weight", h, random));
            out.add(router(p + "mlp.router.weight", e, h, random));
            out.add(floats(p + "mlp.router.bias", new long[] {e}, 0.5, random));
            if (c.gptOssExperts().mxfp4()) {
                // the same spreads as the float form below, quantised as a release is
                out.addAll(mxfp4(p + "mlp.experts.gate_up_proj", e, 2 * width, h, 3.0, random));
                out.add(floats(p + "mlp.experts.gate_up_proj_bias", new long[] {e, 2L * width}, 0.5, random));
                out.addAll(mxfp4(p + "mlp.experts.down_proj", e, h, width, 1 / Math.sqrt(width), random));
                out.add(floats(p + "mlp.experts.down_proj_bias", new long[] {e, h}, 0.1, random));
            } else {
                // a large spread so that the clamps at +-limit are reached
                out.add(floats(p + "mlp.experts.gate_up_proj", new long[] {e, h, 2L * width}, 3.0, random));
                out.add(floats(p + "mlp.experts.gate_up_proj_bias", new long[] {e, 2L * width}, 0.5, random));
                out.add(floats(p + "mlp.experts.down_proj", new long[] {e, width, h}, 1 / Math.sqrt(width), random));
                out.add(floats(p + "mlp.experts.down_proj_bias", new long[] {e, h}, 0.1, random));
            }
        }
        out.add(norm("model.norm.weight", h, random));
        out.add(floats("lm_head.weight", new long[] {c.vocabSize(), h}, 1 / Math.sqrt(h), random));
        return out;
    }

    private static Tensor floats(String name, long[] shape, double std, Random random) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (std * random.nextGaussian());
        }
        return new Tensor(name, DType.BF16, shape, v, null);
    }

    private static Tensor norm(String name, int h, Random random) {
        float[] v = new float[h];
        for (int i = 0; i < h; i++) {
            v[i] = (float) (1 + 0.1 * random.nextGaussian());
        }
        return new Tensor(name, DType.BF16, new long[] {h}, v, null);
    }

    /** Rows scaled from 1x to 3x: distinct logit scales per expert, so the top-k never hinges on a near tie. */
    private static Tensor router(String name, int experts, int h, Random random) {
        float[] v = new float[experts * h];
        for (int r = 0; r < experts; r++) {
            double scale = (1 + 2.0 * r / Math.max(1, experts - 1)) / Math.sqrt(h);
            for (int i = 0; i < h; i++) {
                v[r * h + i] = (float) (scale * random.nextGaussian());
            }
        }
        return new Tensor(name, DType.BF16, new long[] {experts, h}, v, null);
    }

    /**
     * Seeded weights {@code [E, out, in]} (each expert's HF linear weight) in MXFP4 as released:
     * {@code name_blocks} {@code [E, out, in/32, 16]} and {@code name_scales} {@code [E, out, in/32]}, by the
     * probe's {@link Mxfp4#quantise} (blocks lie along {@code in}, so the experts' rows quantise as one matrix). The
     * reference decodes them with its own table.
     */
    private static List<Tensor> mxfp4(String name, int experts, int out, int in, double std, Random random) {
        float[] weights = floats(name, new long[] {experts, out, in}, std, random).floats();
        Mxfp4.Packed packed = Mxfp4.quantise(weights, experts * out);
        return List.of(new Tensor(name + "_blocks", DType.U8, new long[] {experts, out, in / 32, 16}, null,
                        packed.blocks()),
                new Tensor(name + "_scales", DType.U8, new long[] {experts, out, in / 32}, null, packed.scales()));
    }
}
