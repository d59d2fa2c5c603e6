package io.moescope.traces.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * The header of a {@code .safetensors} file: an 8-byte little-endian header length, then a JSON object naming each
 * tensor's dtype, shape and byte range within the data that follows (the {@code __metadata__} entry aside). The one
 * reader of the format: the probe's checkpoints and TensorRT-LLM's expert statistics both go through it, each saying
 * which dtypes it takes (and how wide they are) and which exception names a broken file.
 *
 * @param file    the file, for messages
 * @param tensors the entries in header order
 */
public record SafetensorsHeader(Path file, Map<String, Entry> tensors) {

    /** Guards against reading a multi-gigabyte "header" from a file that is not safetensors at all. */
    private static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One tensor's entry.
     *
     * @param name       tensor name
     * @param dtype      the header's dtype, e.g. {@code BF16}, {@code I64}
     * @param shape      dimensions, outermost first
     * @param dataOffset byte offset of the first element from the start of the file
     * @param byteSize   bytes of data: the elements times the dtype's width
     */
    public record Entry(String name, String dtype, long[] shape, long dataOffset, long byteSize) {

        public Entry {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        public long elements() {
            return SafetensorsHeader.elements(shape);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry other && name.equals(other.name) && dtype.equals(other.dtype)
                    && Arrays.equals(shape, other.shape) && dataOffset == other.dataOffset
                    && byteSize == other.byteSize;
        }

        @Override
        public int hashCode() {
            return 31 * name.hashCode() + Arrays.hashCode(shape);
        }

        @Override
        public String toString() {
            return name + " " + dtype + Arrays.toString(shape);
        }
    }

    public SafetensorsHeader {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    /**
     * Reads and checks the header of the file open on {@code channel}.
     *
     * @param dtypeBytes the width of each dtype the caller takes; throws (the caller's message) for any other
     * @param failure    the caller's exception for a broken file, given the message
     */
    public static SafetensorsHeader read(Path file, FileChannel channel, ToIntFunction<Entry> dtypeBytes,
                                         Function<String, RuntimeException> failure) throws IOException {
        long size = channel.size();
        if (size < 8) {
            throw failure.apply("truncated safetensors header in " + file + ": the file has " + size
                    + " bytes, fewer than the 8-byte header length");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, lengthBytes, 0);
        long headerLength = lengthBytes.flip().getLong();
        if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || headerLength > size - 8) {
            throw failure.apply("truncated safetensors header in " + file + ": it declares " + headerLength
                    + " header bytes but " + (size - 8) + " bytes follow the length field");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(channel, headerBytes, 8);
        JsonNode header;
        try {
            header = JSON.readTree(new String(headerBytes.array(), StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw failure.apply("malformed safetensors header in " + file + ": " + e.getOriginalMessage());
        }
        if (header == null || !header.isObject()) {
            throw failure.apply("malformed safetensors header in " + file + ": not a JSON object");
        }
        long dataStart = 8 + headerLength;
        var tensors = new LinkedHashMap<String, Entry>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getKey().equals("__metadata__")) {
                tensors.put(entry.getKey(), entry(file, entry.getKey(), entry.getValue(), dataStart, size,
                        dtypeBytes, failure));
            }
        }
        return new SafetensorsHeader(file, tensors);
    }

    private static Entry entry(Path file, String name, JsonNode node, long dataStart, long fileSize,
                               ToIntFunction<Entry> dtypeBytes, Function<String, RuntimeException> failure) {
        String dtype = node.path("dtype").asText("");
        JsonNode shapeNode = node.path("shape");
        JsonNode offsets = node.path("data_offsets");
        long[] shape = new long[shapeNode.isArray() ? shapeNode.size() : 0];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
        }
        // the dtype is the caller's to judge first: its refusal names the type, the most useful message
        int width = dtypeBytes.applyAsInt(new Entry(name, dtype, shape, dataStart, 0));
        if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
            throw failure.apply("malformed safetensors header in " + file + ": tensor " + name
                    + " lacks a shape or a two-element data_offsets");
        }
        long begin = offsets.get(0).asLong();
        long end = offsets.get(1).asLong();
        long byteSize = elements(shape) * width;
        if (end - begin != byteSize) {
            throw failure.apply("tensor " + name + " in " + file + " has " + (end - begin)
                    + " data bytes but its shape and dtype need " + byteSize);
        }
        if (begin < 0 || dataStart + end > fileSize) {
            throw failure.apply("truncated safetensors file " + file + ": tensor " + name + " ends at byte "
                    + (dataStart + end) + " but the file has " + fileSize);
        }
        return new Entry(name, dtype, shape, dataStart + begin, byteSize);
    }

    private static long elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
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
}
