package io.moescope.probe.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code .safetensors} file: an 8-byte little-endian header length, a JSON header naming each tensor's dtype, shape
 * and byte range, then the raw data. Only the header is read on open; tensors are memory-mapped one at a time when
 * asked for, so a large checkpoint costs address space, not heap, until a tensor is converted.
 */
public final class SafetensorsFile implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Guards against reading a multi-gigabyte "header" from a file that is not safetensors at all. */
    private static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

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
        TensorInfo info = tensor(name).orElseThrow(
                () -> new CheckpointException("tensor " + name + " is not in " + file));
        if (info.elements() > Integer.MAX_VALUE - 8) {
            throw new CheckpointException("tensor " + name + " in " + file + " has " + info.elements()
                    + " elements, more than one Java array holds");
        }
        try {
            ByteBuffer data = channel.map(FileChannel.MapMode.READ_ONLY, info.dataOffset(), info.byteSize())
                    .order(ByteOrder.LITTLE_ENDIAN);
            float[] values = new float[(int) info.elements()];
            if (info.dtype() == DType.F32) {
                data.asFloatBuffer().get(values);
            } else {
                for (int i = 0; i < values.length; i++) {
                    values[i] = info.dtype().read(data);
                }
            }
            return values;
        } catch (IOException e) {
            throw new CheckpointException("cannot read tensor " + name + " from " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static Map<String, TensorInfo> readHeader(Path file, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size < 8) {
            throw new CheckpointException("truncated safetensors header in " + file + ": the file has " + size
                    + " bytes, fewer than the 8-byte header length");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, lengthBytes, 0);
        long headerLength = lengthBytes.flip().getLong();
        if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || headerLength > size - 8) {
            throw new CheckpointException("truncated safetensors header in " + file + ": it declares "
                    + headerLength + " header bytes but " + (size - 8) + " bytes follow the length field");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(channel, headerBytes, 8);
        JsonNode header;
        try {
            header = JSON.readTree(new String(headerBytes.array(), StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new CheckpointException("malformed safetensors header in " + file + ": "
                    + e.getOriginalMessage(), e);
        }
        if (header == null || !header.isObject()) {
            throw new CheckpointException("malformed safetensors header in " + file + ": not a JSON object");
        }
        long dataStart = 8 + headerLength;
        var tensors = new LinkedHashMap<String, TensorInfo>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getKey().equals("__metadata__")) {
                tensors.put(entry.getKey(), entry(file, entry.getKey(), entry.getValue(), dataStart, size));
            }
        }
        return Collections.unmodifiableMap(tensors);
    }

    private static TensorInfo entry(Path file, String name, JsonNode node, long dataStart, long fileSize) {
        String dtypeName = node.path("dtype").asText("");
        DType dtype = DType.fromHeader(dtypeName).orElseThrow(() -> new CheckpointException("tensor " + name
                + " in " + file + " has dtype '" + dtypeName + "'; supported: F32, F16, BF16"));
        JsonNode shapeNode = node.path("shape");
        JsonNode offsets = node.path("data_offsets");
        if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
            throw new CheckpointException("malformed safetensors header in " + file + ": tensor " + name
                    + " lacks a shape or a two-element data_offsets");
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
        }
        long begin = offsets.get(0).asLong();
        long end = offsets.get(1).asLong();
        var info = new TensorInfo(name, dtype, shape, dataStart + begin);
        if (end - begin != info.byteSize()) {
            throw new CheckpointException("tensor " + name + " in " + file + " has " + (end - begin)
                    + " data bytes but its shape and dtype need " + info.byteSize());
        }
        if (begin < 0 || dataStart + end > fileSize) {
            throw new CheckpointException("truncated safetensors file " + file + ": tensor " + name
                    + " ends at byte " + (dataStart + end) + " but the file has " + fileSize);
        }
        return info;
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            at += n;
        }
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
