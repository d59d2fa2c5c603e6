package io.moescope.traces.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the bytes of a {@code .npy} file (NumPy's format, versions 1.0, 2.0 and 3.0): the magic {@code \x93NUMPY},
 * major and minor version, the header length (2 bytes little-endian in 1.0, 4 bytes in 2.0 and 3.0), the header dict
 * (latin-1, UTF-8 in 3.0), then the data. vLLM's OpenAI server sends routed experts as base64 of such a file
 * ({@code np.save} of an int32 array {@code [positions, num_hidden_layers, top_k]}).
 */
public final class NpyFile {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private NpyFile() {
    }

    /**
     * @param npy the whole file
     * @return its integer array as {@code [rows, layers, slots]}
     * @throws IllegalArgumentException naming what is malformed or unsupported (Fortran order, a non-integer dtype,
     *                                  a shape of another rank) and, when the data does not fill the declared shape,
     *                                  both the shape's byte count and the data's
     */
    public static ExpertGrid routedExperts(byte[] npy) {
        ByteBuffer in = ByteBuffer.wrap(npy).order(ByteOrder.LITTLE_ENDIAN);
        if (npy.length < MAGIC.length + 2 || !Arrays.equals(npy, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new IllegalArgumentException("not a .npy file: it does not start with the magic \\x93NUMPY");
        }
        in.position(MAGIC.length);
        int major = in.get();
        int minor = in.get();
        if (major < 1 || major > 3) {
            throw new IllegalArgumentException(".npy version " + major + "." + minor + " is not supported: 1.0, 2.0"
                    + " or 3.0");
        }
        int lengthBytes = major == 1 ? 2 : 4;
        if (in.remaining() < lengthBytes) {
            throw new IllegalArgumentException(".npy file of " + npy.length + " bytes ends inside its header");
        }
        long headerLength = major == 1 ? Short.toUnsignedInt(in.getShort()) : Integer.toUnsignedLong(in.getInt());
        if (headerLength > in.remaining()) {
            throw new IllegalArgumentException(".npy header of " + headerLength + " bytes but only " + in.remaining()
                    + " bytes follow");
        }
        String text = new String(npy, in.position(), (int) headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        in.position(in.position() + (int) headerLength);
        return grid(NpyHeader.parse(text), in);
    }

    private static ExpertGrid grid(NpyHeader header, ByteBuffer data) {
        if (header.fortranOrder()) {
            throw new IllegalArgumentException(".npy fortran_order True is not supported: routed experts are "
                    + "written in C order");
        }
        IntegerType type = IntegerType.ofNumpy(header.descr());
        long[] shape = header.shape();
        if (shape.length != 3) {
            throw new IllegalArgumentException(".npy shape " + shape(shape) + " is not [positions, layers, top_k]");
        }
        long count = product(shape);
        long needed = count < 0 ? -1 : count * type.bytes();
        if (count < 0 || count > Integer.MAX_VALUE - 8 || needed != data.remaining()) {
            throw new IllegalArgumentException(".npy shape " + shape(shape) + " of " + header.descr() + " needs "
                    + (needed < 0 ? "more than 2^63" : needed) + " data bytes but the file holds "
                    + data.remaining());
        }
        return new ExpertGrid((int) shape[0], (int) shape[1], (int) shape[2], type.decode(data, (int) count));
    }

    /** The element count, or -1 beyond a long. */
    private static long product(long[] shape) {
        try {
            return Math.multiplyExact(Math.multiplyExact(shape[0], shape[1]), shape[2]);
        } catch (ArithmeticException e) {
            return -1;
        }
    }

    private static String shape(long[] shape) {
        return Arrays.toString(shape).replace('[', '(').replace(']', ')');
    }
}
