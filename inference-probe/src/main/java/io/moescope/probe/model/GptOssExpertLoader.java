package io.moescope.probe.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.moescope.probe.checkpoint.GptOssExperts;
import io.moescope.probe.checkpoint.MoeCheckpoint;
import io.moescope.probe.checkpoint.MoeConfig;
import io.moescope.probe.checkpoint.Mxfp4;
import io.moescope.probe.checkpoint.StackedExpertTensor;

/**
 * Materialises one gpt-oss expert from the stacked tensors of its layer: only that expert's slice of each tensor is
 * read from the memory map, so with an {@link ExpertCache} only the resident experts are ever expanded (MXFP4 to float
 * is 8x the bytes). MXFP4 matrices dequantise to {@code [out, in]} and are transposed to {@code [in, out]}, as
 * transformers' {@code convert_moe_packed_tensors} does; float matrices are stored {@code [in, out]} already.
 */
final class GptOssExpertLoader {

    private GptOssExpertLoader() {
    }

    static ExpertCache.Loaded load(MoeCheckpoint checkpoint, int layer, int expert, NDManager manager) {
        MoeConfig c = checkpoint.config();
        GptOssExperts settings = c.gptOssExperts();
        int h = c.hiddenSize();
        int width = c.intermediateSize();
        var reader = new SliceReader(checkpoint, c, layer, expert);
        float[] gateUpBias = reader.floats(StackedExpertTensor.GATE_UP_BIAS);
        float[] downBias = reader.floats(StackedExpertTensor.DOWN_BIAS);
        NDArray gate;
        NDArray up;
        NDArray down;
        if (settings.mxfp4()) {
            // [2I, H]: rows are outputs, gate on the even ones, up on the odd ones
            float[] gateUp = Mxfp4.dequantise(reader.bytes(StackedExpertTensor.GATE_UP_BLOCKS),
                    reader.bytes(StackedExpertTensor.GATE_UP_SCALES), 2 * width);
            gate = manager.create(rows(gateUp, width, h, 0), new Shape(width, h)).transpose();
            up = manager.create(rows(gateUp, width, h, 1), new Shape(width, h)).transpose();
            float[] downOutIn = Mxfp4.dequantise(reader.bytes(StackedExpertTensor.DOWN_BLOCKS),
                    reader.bytes(StackedExpertTensor.DOWN_SCALES), h);
            down = manager.create(downOutIn, new Shape(h, width)).transpose();
        } else {
            // [H, 2I]: columns are outputs, gate on the even ones, up on the odd ones
            float[] gateUp = reader.floats(StackedExpertTensor.GATE_UP);
            gate = manager.create(columns(gateUp, h, width, 0), new Shape(h, width));
            up = manager.create(columns(gateUp, h, width, 1), new Shape(h, width));
            down = manager.create(reader.floats(StackedExpertTensor.DOWN), new Shape(width, h));
        }
        var expertWeights = new ClampedGlu(gate, manager.create(every(gateUpBias, 0)), up,
                manager.create(every(gateUpBias, 1)), down, manager.create(downBias),
                (float) settings.swigluAlpha(), (float) settings.swigluLimit());
        return new ExpertCache.Loaded(expertWeights, reader.bytesRead());
    }

    /** Rows {@code parity, parity + 2, ...} of a {@code [2 * count, length]} matrix. */
    private static float[] rows(float[] m, int count, int length, int parity) {
        float[] out = new float[count * length];
        for (int r = 0; r < count; r++) {
            System.arraycopy(m, (2 * r + parity) * length, out, r * length, length);
        }
        return out;
    }

    /** Columns {@code parity, parity + 2, ...} of a {@code [rowCount, 2 * count]} matrix. */
    private static float[] columns(float[] m, int rowCount, int count, int parity) {
        float[] out = new float[rowCount * count];
        for (int r = 0; r < rowCount; r++) {
            for (int j = 0; j < count; j++) {
                out[r * count + j] = m[r * 2 * count + 2 * j + parity];
            }
        }
        return out;
    }

    private static float[] every(float[] v, int parity) {
        return columns(v, 1, v.length / 2, parity);
    }

    /** Reads one expert's slice of each stacked tensor and counts the file bytes it touched. */
    private static final class SliceReader {

        private final MoeCheckpoint checkpoint;
        private final MoeConfig config;
        private final int layer;
        private final int expert;
        private long bytes;

        SliceReader(MoeCheckpoint checkpoint, MoeConfig config, int layer, int expert) {
            this.checkpoint = checkpoint;
            this.config = config;
            this.layer = layer;
            this.expert = expert;
        }

        float[] floats(StackedExpertTensor t) {
            int n = t.perExpertElements(config);
            String name = t.name(layer);
            bytes += checkpoint.fileBytes(name) / config.numExperts();
            return checkpoint.floats(name, (long) expert * n, n);
        }

        byte[] bytes(StackedExpertTensor t) {
            int n = t.perExpertElements(config);
            bytes += n;
            return checkpoint.bytes(t.name(layer), (long) expert * n, n);
        }

        long bytesRead() {
            return bytes;
        }
    }
}
