package io.moescope.traces.engine;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.stream.Collectors;

/**
 * Builds routed-expert payloads byte for byte as the engines do, for tests: a {@code .npy} file as NumPy's
 * {@code np.save} writes it (vLLM base64-encodes it whole), and SGLang's raw little-endian bytes.
 */
public final class EngineWire {

    private EngineWire() {
    }

    /** {@code np.save} of an int32 array in format 1.0, base64: what vLLM puts in {@code routed_experts}. */
    public static String vllmNpy(int[] shape, int... ids) {
        return Base64.getEncoder().encodeToString(npy(1, "<i4", false, shape, littleEndian(4, ids)));
    }

    /**
     * A {@code .npy} file: magic, version, header length (uint16 LE in 1.0, uint32 LE in 2.0 and 3.0), the header
     * dict padded with spaces and ended by a newline so that the data starts at a multiple of 64, then the data.
     */
    public static byte[] npy(int major, String descr, boolean fortranOrder, int[] shape, byte[] data) {
        String dims = Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        String header = "{'descr': '" + descr + "', 'fortran_order': " + (fortranOrder ? "True" : "False")
                + ", 'shape': (" + dims + (shape.length == 1 ? "," : "") + "), }";
        int lengthBytes = major == 1 ? 2 : 4;
        int prefix = 6 + 2 + lengthBytes;
        int padded = ((prefix + header.length() + 1 + 63) / 64) * 64 - prefix;
        header = header + " ".repeat(padded - header.length() - 1) + "\n";
        var out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        ByteBuffer length = ByteBuffer.allocate(lengthBytes).order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) {
            length.putShort((short) padded);
        } else {
            length.putInt(padded);
        }
        out.writeBytes(length.array());
        out.writeBytes(header.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1));
        out.writeBytes(data);
        return out.toByteArray();
    }

    /** SGLang's payload: the ids as raw bytes of {@code dtype} (int32, uint16, uint8), little-endian, base64. */
    public static String sglang(String dtype, int... ids) {
        int width = switch (dtype) {
            case "int32" -> 4;
            case "uint16" -> 2;
            case "uint8" -> 1;
            default -> throw new IllegalArgumentException(dtype);
        };
        return Base64.getEncoder().encodeToString(littleEndian(width, ids));
    }

    /** The ids as little-endian integers of {@code width} bytes. */
    public static byte[] littleEndian(int width, int... ids) {
        ByteBuffer buffer = ByteBuffer.allocate(ids.length * width).order(ByteOrder.LITTLE_ENDIAN);
        for (int id : ids) {
            switch (width) {
                case 1 -> buffer.put((byte) id);
                case 2 -> buffer.putShort((short) id);
                case 4 -> buffer.putInt(id);
                default -> buffer.putLong(id);
            }
        }
        return buffer.array();
    }
}
