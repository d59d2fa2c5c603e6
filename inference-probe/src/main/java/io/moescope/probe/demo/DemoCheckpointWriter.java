package io.moescope.probe.demo;

import io.moescope.probe.checkpoint.Architecture;
import io.moescope.probe.checkpoint.ConfigWriter;
import io.moescope.probe.checkpoint.DType;
import io.moescope.probe.checkpoint.DecoderTensors;
import io.moescope.probe.checkpoint.MoeCheckpoint;
import io.moescope.probe.checkpoint.MoeConfig;
import io.moescope.probe.checkpoint.SafetensorsWriter;
import io.moescope.probe.checkpoint.SafetensorsWriter.Declaration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
        if (config.arch() == Architecture.GPT_OSS) {
            // its stacked, interleaved and packed experts need values this writer's per-matrix scheme does not make
            throw new IllegalArgumentException("the demo writer writes per-expert SwiGLU checkpoints; "
                    + config.architecture() + " is not one");
        }
        Files.createDirectories(dir);
        new ConfigWriter(layout).write(config, dir.resolve(MoeCheckpoint.CONFIG_FILE));
        new DemoTokenizer().write(dir.resolve(MoeCheckpoint.TOKENIZER_FILE));
        Map<String, long[]> shapes = DecoderTensors.expected(config);
        var declarations = new ArrayList<Declaration>(shapes.size());
        shapes.forEach((name, shape) -> declarations.add(new Declaration(name, DType.F32, shape)));
        var random = new Random(spec.seed());
        int written = 0;
        try (var out = SafetensorsWriter.create(dir.resolve(MoeCheckpoint.WEIGHTS_FILE), declarations)) {
            for (Declaration d : declarations) {
                out.write(d.name(), values(d.name(), d.shape(), random));
                progress.tensorsWritten(++written, declarations.size());
            }
        }
        LOG.info("wrote demo checkpoint with {} tensors to {}", written, dir);
    }

    /** Row-major values of one tensor; the scale keeps activations near unit size through every layer. */
    private float[] values(String name, long[] shape, Random random) {
        int rows = (int) shape[0];
        int cols = shape.length > 1 ? (int) shape[1] : 1;
        float[] v = new float[rows * cols];
        if (name.endsWith(".bias")) {
            fill(v, 0, v.length, 0.1, random);
        } else if (name.endsWith("norm.weight")) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (1.0 + 0.1 * random.nextGaussian());
            }
        } else if (name.endsWith("gate.weight")) {
            for (int r = 0; r < rows; r++) {
                double skew = rows == 1 ? 1 : 1 + spec.routerSkew() * r / (rows - 1);
                fill(v, r * cols, cols, spec.routerScale() * skew / Math.sqrt(cols), random);
            }
        } else if (name.equals(DecoderTensors.embedTokens())) {
            fill(v, 0, v.length, 1.0, random);
        } else {
            // Linear layers [out, in]: variance 1/in keeps the output the same size as the input.
            fill(v, 0, v.length, 1 / Math.sqrt(cols), random);
        }
        return v;
    }

    private static void fill(float[] v, int from, int count, double std, Random random) {
        for (int i = from; i < from + count; i++) {
            v[i] = (float) (std * random.nextGaussian());
        }
    }
}
