package io.moescope.probe.checkpoint;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/** The safetensors element types this reader converts to {@code float}. */
public enum DType {
    F32(4),
    F16(2),
    BF16(2),
    /** {@code float8_e4m3fn}, DeepSeek-V3's released weights; scaled per block by {@link BlockScales}. */
    F8_E4M3(1);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    /** The type named by a safetensors header's {@code dtype} field, empty for types this reader does not convert. */
    public static Optional<DType> fromHeader(String name) {
        return Arrays.stream(values()).filter(t -> t.name().equals(name)).findFirst();
    }

    /** Reads one element at the buffer's position (little-endian buffer) and widens it to float. */
    float read(ByteBuffer buffer) {
        return switch (this) {
            case F32 -> buffer.getFloat();
            // bfloat16 is the upper half of a float32: widening is a shift.
            case BF16 -> Float.intBitsToFloat((buffer.getShort() & 0xFFFF) << 16);
            case F16 -> HalfFloats.toFloat(buffer.getShort());
            case F8_E4M3 -> Float8E4M3.toFloat(buffer.get());
        };
    }

    /** Writes one float narrowed to this type (round to nearest even) at the buffer's position. */
    void write(ByteBuffer buffer, float value) {
        switch (this) {
            case F32 -> buffer.putFloat(value);
            case BF16 -> buffer.putShort(HalfFloats.toBfloat16(value));
            case F16 -> buffer.putShort(HalfFloats.toHalf(value));
            case F8_E4M3 -> buffer.put(Float8E4M3.fromFloat(value));
        }
    }
}
