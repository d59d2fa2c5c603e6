package io.moescope.traces.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An integer element type of an engine's expert ids: a NumPy {@code descr} ({@code '<i4'}) or an SGLang
 * {@code routed_experts_dtype} ({@code int32}, {@code uint16}, {@code uint8}). Decoding refuses a value that does not
 * fit an int.
 *
 * @param bytes  width of one element
 * @param signed whether the top bit is a sign
 * @param order  byte order of the elements
 */
record IntegerType(int bytes, boolean signed, ByteOrder order) {

    /** SGLang's {@code routed_experts_dtype}; null (absent) is int32, its default. */
    static IntegerType ofSglang(String dtype) {
        if (dtype == null) {
            return new IntegerType(4, true, ByteOrder.LITTLE_ENDIAN);
        }
        return switch (dtype) {
            case "int32" -> new IntegerType(4, true, ByteOrder.LITTLE_ENDIAN);
            case "uint16" -> new IntegerType(2, false, ByteOrder.LITTLE_ENDIAN);
            case "uint8" -> new IntegerType(1, false, ByteOrder.LITTLE_ENDIAN);
            default -> throw new IllegalArgumentException("routed_experts_dtype '" + dtype
                    + "' is not supported: one of int32, uint16, uint8");
        };
    }

    /**
     * A NumPy array-protocol type string: byte order ({@code <} little, {@code >} big, {@code |} not applicable),
     * kind ({@code i} signed, {@code u} unsigned) and width 1, 2, 4 or 8.
     */
    static IntegerType ofNumpy(String descr) {
        if (descr.length() != 3) {
            throw new IllegalArgumentException(unsupported(descr));
        }
        char orderChar = descr.charAt(0);
        char kind = descr.charAt(1);
        int width = Character.digit(descr.charAt(2), 10);
        boolean widthOk = width == 1 || width == 2 || width == 4 || width == 8;
        if ((kind != 'i' && kind != 'u') || !widthOk) {
            throw new IllegalArgumentException(unsupported(descr));
        }
        ByteOrder order = switch (orderChar) {
            case '<' -> ByteOrder.LITTLE_ENDIAN;
            case '>' -> ByteOrder.BIG_ENDIAN;
            case '|' -> {
                if (width != 1) {
                    throw new IllegalArgumentException(unsupported(descr) + " ('|' is for 1-byte types only)");
                }
                yield ByteOrder.LITTLE_ENDIAN;
            }
            default -> throw new IllegalArgumentException(unsupported(descr) + " (byte order must be '<', '>' or "
                    + "'|'; '=' is never written to a file by np.save)");
        };
        return new IntegerType(width, kind == 'i', order);
    }

    private static String unsupported(String descr) {
        return ".npy descr '" + descr + "' is not supported: expert ids must be integers (i1, u1, i2, u2, i4, u4, "
                + "i8, u8)";
    }

    /** Decodes {@code count} elements of {@code data} from its position; the caller has checked the byte count. */
    int[] decode(ByteBuffer data, int count) {
        ByteBuffer in = data.slice().order(order);
        int[] out = new int[count];
        if (bytes == 4 && signed) {
            // every value fits: one bulk copy (vLLM's int32 and SGLang's default), not a value at a time
            in.asIntBuffer().get(out);
            return out;
        }
        for (int i = 0; i < count; i++) {
            long value = switch (bytes) {
                case 1 -> signed ? in.get() : Byte.toUnsignedLong(in.get());
                case 2 -> signed ? in.getShort() : Short.toUnsignedLong(in.getShort());
                case 4 -> signed ? in.getInt() : Integer.toUnsignedLong(in.getInt());
                default -> in.getLong();
            };
            if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE || (bytes == 8 && !signed && value < 0)) {
                throw new IllegalArgumentException("expert id #" + i + " = " + (bytes == 8 && !signed
                        ? Long.toUnsignedString(value) : value) + " does not fit an int");
            }
            out[i] = (int) value;
        }
        return out;
    }
}
