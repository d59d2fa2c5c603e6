package io.moescope.probe.demo;

import io.moescope.probe.checkpoint.Architecture;
import io.moescope.probe.checkpoint.ConfigWriter;
import io.moescope.probe.checkpoint.DType;
import io.moescope.probe.checkpoint.DecoderTensors;
import io.moescope.probe.checkpoint.MoeCheckpoint;
import io.moescope.probe.checkpoint.MoeConfig;
import io.moescope.probe.checkpoint.Mxfp4;
import io.moescope.probe.checkpoint.SafetensorsWriter;
import io.moescope.probe.checkpoint.SafetensorsWriter.Declaration;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a small Mixtral checkpoint ({@code config.json}, {@code model.safetensors} with HF tensor names,
 * {@code tokenizer.json}) that the probe runs like a real one.
 *
 * <p>The weights are seeded random numbers: this is NOT a trained model and its text is gibberish. It exists so that
 * the whole pipeline (probe, Kafka, storage, dashboard) can run and be tested without downloading gigabytes. The same
 * spec always produces the same bytes. Router rows are scaled unevenly across experts so that the load heatmap shows
 * structure while every expert still gets tokens.
 */
public final class DemoCheckpointWriter {

    private static final Logger LOG = LoggerFactory.getLogger(DemoCheckpointWriter.class);

    private final DemoModelSpec spec;

    public DemoCheckpointWriter(DemoModelSpec spec) {
        this.spec = spec;
    }

    /** Creates {@code dir} if needed and writes the three files into it, reporting each tensor to {@code progress}. */
    public void write(Path dir, DemoProgress progress) throws IOException {
        write(dir, spec.toConfig(), progress);
    }

    /**
     * Writes a checkpoint of any supported architecture with the spec's seed and router scaling; {@code config}
     * gives the dimensions and the architecture (its vocabulary must be the demo tokenizer's).
     */
    public void write(Path dir, MoeConfig config, DemoProgress progress) throws IOException {
        write(dir, config, ConfigWriter.Layout.RELEASED, progress);
    }

    /** As {@link #write(Path, MoeConfig, DemoProgress)}, with config.json in the given layout. */
    public void write(Path dir, MoeConfig config, ConfigWriter.Layout layout, DemoProgress progress)
            throws IOException {
        if (config.arch() == Architecture.GPT_OSS && !config.gptOssExperts().mxfp4()) {
            // the released form is the one worth benching; the float form's stacked [in, out] layout is not written
            throw new IllegalArgumentException("the demo writer writes gpt-oss with MXFP4 experts, as released");
        }
        Files.createDirectories(dir);
        new ConfigWriter(layout).write(config, dir.resolve(MoeCheckpoint.CONFIG_FILE));
        new DemoTokenizer().write(dir.resolve(MoeCheckpoint.TOKENIZER_FILE));
        var formats = new ReleasedFormats(config);
        var declarations = new ArrayList<Declaration>();
        DecoderTensors.expected(config).forEach((name, shape) -> {
            declarations.add(new Declaration(name, formats.dtype(name, shape), shape));
            if (formats.fp8(name, shape)) {
                long[] scales = config.deepseek().weightBlocks().scaleShape(shape[0], shape[1]);
                declarations.add(new Declaration(DecoderTensors.scaleInverse(name), DType.F32, scales));
            }
        });
        var random = new Random(spec.seed());
        // MXFP4 scales and FP8 block scales come out of quantising the tensor declared just before them
        var byProducts = new HashMap<String, Object>();
        int written = 0;
        try (var out = SafetensorsWriter.create(dir.resolve(MoeCheckpoint.WEIGHTS_FILE), declarations)) {
            for (Declaration d : declarations) {
                Object bytesOrFloats = byProducts.containsKey(d.name()) ? byProducts.remove(d.name())
                        : quantised(d, config, formats, random, byProducts);
                if (bytesOrFloats instanceof byte[] bytes) {
                    out.write(d.name(), bytes);
                } else {
                    out.write(d.name(), (float[]) bytesOrFloats);
                }
                progress.tensorsWritten(++written, declarations.size());
            }
        }
        LOG.info("wrote demo checkpoint with {} tensors to {}", written, dir);
    }

    /**
     * What to store for one declared tensor: seeded values, or for MXFP4 blocks and FP8 weights those values
     * quantised, their scales put in {@code byProducts} under the name of the tensor that holds them.
     */
    private Object quantised(Declaration d, MoeConfig config, ReleasedFormats formats, Random random,
                             Map<String, Object> byProducts) {
        if (d.name().endsWith("_blocks")) {
            // [E, out, in/32, 16]: each expert's [out, in] matrix of seeded values, in MXFP4
            int experts = (int) d.shape()[0];
            int rows = (int) d.shape()[1];
            int in = (int) d.shape()[2] * Mxfp4.BLOCK;
            var blocks = new ByteArrayOutputStream();
            var scales = new ByteArrayOutputStream();
            for (int e = 0; e < experts; e++) {
                Mxfp4.Packed packed = Mxfp4.quantise(values(d.name(), new long[] {rows, in}, random), rows);
                blocks.writeBytes(packed.blocks());
                scales.writeBytes(packed.scales());
            }
            byProducts.put(d.name().replace("_blocks", "_scales"), scales.toByteArray());
            return blocks.toByteArray();
        }
        float[] v = values(d.name(), d.shape(), random);
        if (formats.fp8(d.name(), d.shape())) {
            int out = (int) d.shape()[0];
            int in = (int) d.shape()[1];
            byProducts.put(DecoderTensors.scaleInverse(d.name()), config.deepseek().weightBlocks().quantise(v, out,
                    in));
        }
        return v;
    }

    /** Row-major values of one tensor; the scale keeps activations near unit size through every layer. */
    private float[] values(String name, long[] shape, Random random) {
        int rows = (int) shape[0];
        int cols = 1;
        for (int i = 1; i < shape.length; i++) {
            cols *= (int) shape[i];
        }
        float[] v = new float[rows * cols];
        if (name.endsWith(".bias")) {
            fill(v, 0, v.length, 0.1, random);
        } else if (name.endsWith("e_score_correction_bias")) {
            // small beside sigmoid scores in (0, 1): it shifts choices near the boundary, as a trained bias does
            fill(v, 0, v.length, 0.05, random);
        } else if (name.endsWith("norm.weight")) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (1.0 + 0.1 * random.nextGaussian());
            }
        } else if (name.endsWith("gate.weight") || name.endsWith("mlp.router.weight")) {
            for (int r = 0; r < rows; r++) {
                double skew = rows == 1 ? 1 : 1 + spec.routerSkew() * r / (rows - 1);
                fill(v, r * cols, cols, spec.routerScale() * skew / Math.sqrt(cols), random);
            }
        } else if (name.equals(DecoderTensors.embedTokens())) {
            fill(v, 0, v.length, 1.0, random);
        } else {
            // Linear layers [out, in]: variance 1/in keeps the output the same size as the input.
            int in = (int) shape[shape.length - 1];
            fill(v, 0, v.length, 1 / Math.sqrt(in), random);
        }
        return v;
    }

    private static void fill(float[] v, int from, int count, double std, Random random) {
        for (int i = from; i < from + count; i++) {
            v[i] = (float) (std * random.nextGaussian());
        }
    }
}
