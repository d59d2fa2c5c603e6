package io.moescope.probe.checkpoint;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * The safetensors element types this reader takes: the float types it converts to {@code float} (FP8 included, whose
 * block scales are applied by the checkpoint, not here), and {@code U8}, the packed bytes of MXFP4 experts
 * ({@code *_blocks}, {@code *_scales}), which are read as bytes and decoded by {@link Mxfp4} only.
 */
public enum DType {
    F32(4),
    F16(2),
    BF16(2),
    /** {@code float8_e4m3fn}, DeepSeek-V3's released weights; scaled per block by {@link BlockScales}. */
    F8_E4M3(1),
    U8(1);

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

    /** Whether {@link #read} widens this type to float; U8 holds packed codes, not numbers. */
    public boolean isFloat() {
        return this != U8;
    }

    /** Reads one element at the buffer's position (little-endian buffer) and widens it to float. */
    float read(ByteBuffer buffer) {
        return switch (this) {
            case F32 -> buffer.getFloat();
            // bfloat16 is the upper half of a float32: widening is a shift.
            case BF16 -> Float.intBitsToFloat((buffer.getShort() & 0xFFFF) << 16);
            case F16 -> HalfFloats.toFloat(buffer.getShort());
            case F8_E4M3 -> Float8E4M3.toFloat(buffer.get());
            case U8 -> throw new IllegalStateException("U8 tensors hold packed MXFP4 codes, not floats");
        };
    }

    /** Writes one float narrowed to this type (round to nearest even) at the buffer's position. */
    void write(ByteBuffer buffer, float value) {
        switch (this) {
            case F32 -> buffer.putFloat(value);
            case BF16 -> buffer.putShort(HalfFloats.toBfloat16(value));
            case F16 -> buffer.putShort(HalfFloats.toHalf(value));
            case F8_E4M3 -> buffer.put(Float8E4M3.fromFloat(value));
            case U8 -> throw new IllegalStateException("U8 tensors are written as bytes, not floats");
        }
    }
}
