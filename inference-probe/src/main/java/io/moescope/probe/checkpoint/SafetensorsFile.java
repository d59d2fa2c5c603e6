package io.moescope.probe.checkpoint;

import io.moescope.traces.safetensors.SafetensorsHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code .safetensors} checkpoint file, its header read by {@link SafetensorsHeader} (the types of {@link DType}:
 * F32, F16, BF16 and F8_E4M3 converted to float; U8 read as bytes). Only the header is read on open; tensors (or one
 * expert's slice of a stacked tensor) are memory-mapped one at a time when asked for, so a large checkpoint costs
 * address space, not heap, until a tensor is converted.
 */
public final class SafetensorsFile implements AutoCloseable {

    private final Path file;
    private final FileChannel channel;
    private final Map<String, TensorInfo> tensors;

    private SafetensorsFile(Path file, FileChannel channel, Map<String, TensorInfo> tensors) {
        this.file = file;
        this.channel = channel;
        this.tensors = tensors;
    }

    /** Opens the file and parses its header; a {@link CheckpointException} names the file when it is not valid. */
    public static SafetensorsFile open(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException("safetensors file " + file + " does not exist");
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            var tensors = readHeader(file, channel);
            return new SafetensorsFile(file, channel, tensors);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new CheckpointException("cannot read safetensors file " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    /** Tensor entries in header order. */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    public Optional<TensorInfo> tensor(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    /** The tensor's elements widened to float, row-major. */
    public float[] floats(String name) {
        TensorInfo info = info(name);
        if (info.elements() > Integer.MAX_VALUE - 8) {
            throw new CheckpointException("tensor " + name + " in " + file + " has " + info.elements()
                    + " elements, more than one Java array holds");
        }
        return floats(name, 0, (int) info.elements());
    }

    /**
     * {@code count} elements of a float tensor from element {@code first} on, widened to float: one expert's slice of
     * a stacked {@code [experts, ...]} tensor, read from the memory map without touching the others.
     */
    public float[] floats(String name, long first, int count) {
        TensorInfo info = info(name);
        if (!info.dtype().isFloat()) {
            throw new CheckpointException("tensor " + name + " in " + file + " has dtype " + info.dtype()
                    + ", packed codes that are not read as floats");
        }
        ByteBuffer data = map(info, first * info.dtype().bytes(), (long) count * info.dtype().bytes());
        float[] values = new float[count];
        if (info.dtype() == DType.F32) {
            data.asFloatBuffer().get(values);
        } else {
            for (int i = 0; i < values.length; i++) {
                values[i] = info.dtype().read(data);
            }
        }
        return values;
    }

    /** {@code count} raw bytes of a U8 tensor from byte {@code first} on (MXFP4 blocks and scales). */
    public byte[] bytes(String name, long first, int count) {
        TensorInfo info = info(name);
        if (info.dtype() != DType.U8) {
            throw new CheckpointException("tensor " + name + " in " + file + " has dtype " + info.dtype()
                    + "; only U8 tensors are read as bytes");
        }
        byte[] bytes = new byte[count];
        map(info, first, count).get(bytes);
        return bytes;
    }

    private TensorInfo info(String name) {
        return tensor(name).orElseThrow(() -> new CheckpointException("tensor " + name + " is not in " + file));
    }

    /** Maps {@code length} bytes of the tensor's data from {@code offset} (relative to its first byte) on. */
    private ByteBuffer map(TensorInfo info, long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > info.byteSize()) {
            throw new CheckpointException("bytes " + offset + ".." + (offset + length) + " lie outside tensor "
                    + info.name() + " (" + info.byteSize() + " bytes) in " + file);
        }
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, info.dataOffset() + offset, length)
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new CheckpointException("cannot read tensor " + info.name() + " from " + file + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static Map<String, TensorInfo> readHeader(Path file, FileChannel channel) throws IOException {
        var header = SafetensorsHeader.read(file, channel, entry -> dtype(file, entry).bytes(),
                CheckpointException::new);
        var tensors = new LinkedHashMap<String, TensorInfo>();
        header.tensors().forEach((name, entry) -> tensors.put(name,
                new TensorInfo(entry, dtype(file, entry))));
        return Collections.unmodifiableMap(tensors);
    }

    private static DType dtype(Path file, SafetensorsHeader.Entry entry) {
        return DType.fromHeader(entry.dtype()).orElseThrow(() -> new CheckpointException("tensor " + entry.name()
                + " in " + file + " has dtype '" + entry.dtype() + "'; supported: F32, F16, BF16, F8_E4M3 and U8"
                + " (MXFP4 blocks and scales)"));
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closing a read-only channel cannot lose data.
            }
        }
    }
}
