package io.moescope.events;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Avro's binary encoding of the primitive values {@link TokenRoutingWriter} writes, into an array sized up front.
 * Avro's own {@code BinaryEncoder} over a {@code ByteArrayOutputStream} cost about 30 ns an expert id and weight: every
 * value went through a synchronized stream write, and arrays through its item bookkeeping. Here a value is a few
 * stores into the array. The encodings are Avro's (zig-zag varints, little-endian IEEE floats with their raw bits,
 * NaN payloads included); the writer's tests hold the bytes to Avro's.
 */
final class BinaryOutput {

    /** The most bytes a zig-zag varint of an int takes. */
    static final int MAX_INT_BYTES = 5;
    /** The most bytes a zig-zag varint of a long takes. */
    static final int MAX_LONG_BYTES = 10;
    static final int FLOAT_BYTES = 4;

    private final byte[] bytes;
    private int size;

    /** @param bytes at least as long as what will be written: it is never grown; written from its start */
    BinaryOutput(byte[] bytes) {
        this.bytes = bytes;
    }

    void writeRaw(byte[] raw) {
        System.arraycopy(raw, 0, bytes, size, raw.length);
        size += raw.length;
    }

    void writeInt(int n) {
        writeVarint((n << 1) ^ (n >> 31));
    }

    void writeLong(long n) {
        long z = (n << 1) ^ (n >> 63);
        while ((z & ~0x7FL) != 0) {
            bytes[size++] = (byte) ((z & 0x7F) | 0x80);
            z >>>= 7;
        }
        bytes[size++] = (byte) z;
    }

    void writeFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        bytes[size++] = (byte) bits;
        bytes[size++] = (byte) (bits >>> 8);
        bytes[size++] = (byte) (bits >>> 16);
        bytes[size++] = (byte) (bits >>> 24);
    }

    /** A string as Avro writes it: its UTF-8 length, then the UTF-8 bytes. */
    void writeString(byte[] utf8) {
        writeInt(utf8.length);
        writeRaw(utf8);
    }

    /** The {@code size} bytes {@code routing} packed, as Avro writes {@code bytes}: their length, then them. */
    void writePacked(PackedRouting.Encoder routing, int size) {
        writeInt(size);
        routing.write(ByteBuffer.wrap(bytes, this.size, size));
        this.size += size;
    }

    /** An array's items are written after this: one block of {@code count}, ended by {@link #endArray}. */
    void startArray(int count) {
        // Avro writes no block for an empty array, only its end
        if (count > 0) {
            writeInt(count);
        }
    }

    void endArray() {
        bytes[size++] = 0;
    }

    /** The bytes written, in a new array of their length. */
    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    /** {@code z} as unsigned: Avro's zig-zag has already made it so. */
    private void writeVarint(int z) {
        while ((z & ~0x7F) != 0) {
            bytes[size++] = (byte) ((z & 0x7F) | 0x80);
            z >>>= 7;
        }
        bytes[size++] = (byte) z;
    }
}
