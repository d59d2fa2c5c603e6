package io.moescope.probe.checkpoint;

import io.moescope.traces.safetensors.SafetensorsHeader;
import java.util.Arrays;

/**
 * One tensor of a checkpoint: its safetensors header entry, with the element type the probe computes in.
 *
 * @param entry the header's entry: name (e.g. {@code model.layers.0.block_sparse_moe.gate.weight}), shape, byte range
 * @param dtype the entry's element type
 */
public record TensorInfo(SafetensorsHeader.Entry entry, DType dtype) {

    public String name() {
        return entry.name();
    }

    /** Dimensions, outermost first. */
    public long[] shape() {
        return entry.shape();
    }

    /** Byte offset of the first element from the start of the file. */
    public long dataOffset() {
        return entry.dataOffset();
    }

    public long elements() {
        return entry.elements();
    }

    public long byteSize() {
        return entry.byteSize();
    }

    public boolean hasShape(long... expected) {
        return Arrays.equals(entry.shape(), expected);
    }

    @Override
    public String toString() {
        return entry.toString();
    }
}
