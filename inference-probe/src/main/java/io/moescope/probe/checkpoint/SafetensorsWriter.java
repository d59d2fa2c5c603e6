package io.moescope.probe.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

/**
 * Streams tensors into a {@code .safetensors} file. The header is written first from the declared tensors, then each
 * tensor's data in declaration order, so a writer never holds more than one tensor in memory.
 */
public final class SafetensorsWriter implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A tensor to be written: name, element type and shape. */
    public record Declaration(String name, DType dtype, long[] shape) {

        public Declaration {
            shape = shape.clone();
        }

        long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final List<Declaration> declarations;
    private int next;

    private SafetensorsWriter(Path file, FileChannel channel, List<Declaration> declarations) {
        this.file = file;
        this.channel = channel;
        this.declarations = declarations;
    }

    /** Creates (or replaces) the file and writes its header. */
    public static SafetensorsWriter create(Path file, List<Declaration> declarations) throws IOException {
        var channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        try {
            var writer = new SafetensorsWriter(file, channel, List.copyOf(declarations));
            writer.writeHeader();
            return writer;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Writes the next declared tensor.
     *
     * @param name   must be the next declared name
     * @param values row-major elements, as many as the declared shape holds
     */
    public void write(String name, float[] values) throws IOException {
        Declaration d = next(name, values.length);
        ByteBuffer buffer = ByteBuffer.allocate(values.length * d.dtype().bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            d.dtype().write(buffer, v);
        }
        writeFully(buffer.flip());
        this.next++;
    }

    /** Writes the next declared tensor, a U8 one (MXFP4 blocks or scales), from its bytes. */
    public void write(String name, byte[] values) throws IOException {
        Declaration d = next(name, values.length);
        if (d.dtype() != DType.U8) {
            throw new IllegalArgumentException("tensor " + name + " is declared " + d.dtype() + "; bytes are for U8");
        }
        writeFully(ByteBuffer.wrap(values));
        this.next++;
    }

    /** The declaration {@code name} must be, checked against the writing order and the element count. */
    private Declaration next(String name, int elements) {
        if (next >= declarations.size()) {
            throw new IllegalStateException("all " + declarations.size() + " declared tensors of " + file
                    + " are written; " + name + " was not declared");
        }
        Declaration d = declarations.get(next);
        if (!d.name().equals(name)) {
            throw new IllegalStateException("expected tensor " + d.name() + " next in " + file + " but got " + name);
        }
        if (elements != d.elements()) {
            throw new IllegalArgumentException("tensor " + name + " has shape " + Arrays.toString(d.shape())
                    + " (" + d.elements() + " elements) but " + elements + " values were given");
        }
        return d;
    }

    @Override
    public void close() throws IOException {
        try {
            if (next != declarations.size()) {
                throw new IllegalStateException(file + " is incomplete: " + next + " of " + declarations.size()
                        + " declared tensors were written");
            }
        } finally {
            channel.close();
        }
    }

    private void writeHeader() throws IOException {
        ObjectNode header = JSON.createObjectNode();
        long offset = 0;
        for (Declaration d : declarations) {
            long bytes = d.elements() * d.dtype().bytes();
            ObjectNode entry = header.putObject(d.name());
            entry.put("dtype", d.dtype().name());
            var shape = entry.putArray("shape");
            Arrays.stream(d.shape()).forEach(shape::add);
            entry.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        // The format lets the header be padded with spaces; 8-byte alignment keeps every F32 tensor aligned.
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer buffer = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(padded).put(json);
        while (buffer.hasRemaining()) {
            buffer.put((byte) ' ');
        }
        writeFully(buffer.flip());
    }

    private void writeFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
