package io.moescope.storage.rollups;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.TreeMap;

/**
 * The hard counts of one run, minute and phase over all its layers: per layer present a count per expert, stored
 * as one {@code bytea} in {@code load_grid_minute} (V48). The codec of that column; SQL reads it with
 * {@code moescope_grid_cells} (R__layer_load_counts.sql), which the views {@code expert_load_minute} and
 * {@code expert_load_hourly} use.
 *
 * <p>Why a packed grid: a row per (run, minute, layer, phase) with a {@code bigint} per expert cost about 600 B
 * whatever the traffic, 45 B per decision for a slow run of 46 tokens a minute. One row per minute and phase with
 * most counts in 3 or 4 bits costs about half a byte per layer and expert, and stays below the size at which
 * PostgreSQL moves a value out of line (TOAST), whose copies every update would leave behind.
 *
 * <p>Layout: byte 0 the bits per cell; bytes 1-2 the experts per layer E; bytes 3-4 the number of layers present n;
 * byte 5 the width in bytes of an escaped count (0 if none); then the n layer ids, ascending, two bytes each; then
 * n x E cells, the count of expert e at the i-th layer present in cell i * E + e. Cells of 1 to 8 bits are packed
 * most significant bit first (the last byte padded with zero bits); a cell of all ones is escaped: its count follows
 * the cells, one per escaped cell in cell order, each as wide as byte 5 says. Cells of 16, 32 or 64 bits hold their
 * counts whole. Multi-byte numbers are big-endian. The encoder takes the smallest of these forms (the most bits per
 * cell among equals): a slow minute has most counts small and a few hot experts' counts large.
 *
 * @param layers  the layer ids present, ascending
 * @param experts counts per layer
 * @param counts  {@code layers.length * experts} counts, layer-major
 */
public record CountGrid(int[] layers, int experts, long[] counts) {

    private static final int HEADER_BYTES = 6;
    /** Packed cells of 1 to 8 bits; a cell of all ones holds no count: it is among the escaped ones after the cells. */
    private static final int MAX_PACKED_BITS = 8;
    /** Marks the choice of whole 2-, 4- or 8-byte counts without escapes while encoding. */
    private static final int WIDE_BITS = 0;
    private static final int MAX_UNSIGNED_SHORT = 0xFFFF;

    public CountGrid {
        if (experts < 1 || experts > MAX_UNSIGNED_SHORT || layers.length > MAX_UNSIGNED_SHORT
                || counts.length != layers.length * experts) {
            throw new IllegalArgumentException("a count grid needs 1.." + MAX_UNSIGNED_SHORT + " experts, at most "
                    + MAX_UNSIGNED_SHORT + " layers and a count per layer and expert, not " + layers.length
                    + " layers x " + experts + " experts with " + counts.length + " counts");
        }
        for (int i = 0; i < layers.length; i++) {
            if (layers[i] < 0 || layers[i] > MAX_UNSIGNED_SHORT || i > 0 && layers[i] <= layers[i - 1]) {
                throw new IllegalArgumentException("layer ids must ascend within 0.." + MAX_UNSIGNED_SHORT + ": "
                        + Arrays.toString(layers));
            }
        }
        for (long count : counts) {
            if (count < 0) {
                throw new IllegalArgumentException("a count grid holds no negative count: " + count);
            }
        }
    }

    /** The grid of per-layer count vectors (layer id to one count per expert; shorter vectors end in zeros). */
    public static CountGrid of(TreeMap<Integer, long[]> vectors) {
        int experts = vectors.values().stream().mapToInt(v -> v.length).max().orElse(1);
        int[] layers = vectors.keySet().stream().mapToInt(Integer::intValue).toArray();
        long[] counts = new long[layers.length * experts];
        int i = 0;
        for (long[] vector : vectors.values()) {
            System.arraycopy(vector, 0, counts, i * experts, vector.length);
            i++;
        }
        return new CountGrid(layers, experts, counts);
    }

    /** The count of expert {@code expert} at layer {@code layer}; zero where the grid has none. */
    public long count(int layer, int expert) {
        int i = Arrays.binarySearch(layers, layer);
        return i < 0 || expert >= experts ? 0 : counts[i * experts + expert];
    }

    /** The counts of the {@code i}-th layer present, {@code layers()[i]}, one per expert: a copy. */
    public long[] countsAt(int i) {
        return Arrays.copyOfRange(counts, i * experts, (i + 1) * experts);
    }

    /** The element-wise sum: layers of either, as many experts as the wider. */
    public CountGrid plus(CountGrid other) {
        var vectors = new TreeMap<Integer, long[]>();
        int width = Math.max(experts, other.experts);
        for (CountGrid grid : new CountGrid[] {this, other}) {
            for (int i = 0; i < grid.layers.length; i++) {
                long[] sum = vectors.computeIfAbsent(grid.layers[i], l -> new long[width]);
                for (int e = 0; e < grid.experts; e++) {
                    sum[e] += grid.counts[i * grid.experts + e];
                }
            }
        }
        return of(vectors);
    }

    /** The column's bytes. */
    public byte[] encoded() {
        int bits = WIDE_BITS;
        long cost = wideBytes();
        for (int b = 1; b <= MAX_PACKED_BITS; b++) {
            long packed = packedBytes(b);
            if (packed <= cost) {
                bits = b;
                cost = packed;
            }
        }
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(HEADER_BYTES + 2L * layers.length + cost));
        int escapeWidth = bits == WIDE_BITS ? 0 : escapeWidth(bits);
        int wideWidth = wideWidth();
        out.put((byte) (bits == WIDE_BITS ? 8 * wideWidth : bits)).putShort((short) experts)
                .putShort((short) layers.length).put((byte) escapeWidth);
        for (int layer : layers) {
            out.putShort((short) layer);
        }
        if (bits == WIDE_BITS) {
            for (long count : counts) {
                putCount(out, count, wideWidth);
            }
        } else {
            putPacked(out, bits);
            long escape = (1L << bits) - 1;
            for (long count : counts) {
                if (count >= escape) {
                    putCount(out, count, escapeWidth);
                }
            }
        }
        return out.array();
    }

    /** The grid a column holds. */
    public static CountGrid decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int bits = in.get();
        int experts = Short.toUnsignedInt(in.getShort());
        int[] layers = new int[Short.toUnsignedInt(in.getShort())];
        int escapeWidth = in.get();
        for (int i = 0; i < layers.length; i++) {
            layers[i] = Short.toUnsignedInt(in.getShort());
        }
        long[] counts = new long[layers.length * experts];
        if (bits <= MAX_PACKED_BITS) {
            int cells = in.position();
            long escape = (1L << bits) - 1;
            in.position(cells + packedCellBytes(counts.length, bits));
            for (int c = 0; c < counts.length; c++) {
                counts[c] = packedCell(bytes, cells, c, bits);
                if (counts[c] == escape) {
                    counts[c] = getCount(in, escapeWidth);
                }
            }
        } else {
            for (int c = 0; c < counts.length; c++) {
                counts[c] = getCount(in, bits / 8);
            }
        }
        return new CountGrid(layers, experts, counts);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CountGrid grid && experts == grid.experts && Arrays.equals(layers, grid.layers)
                && Arrays.equals(counts, grid.counts);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(layers) + experts) + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "CountGrid[layers=" + Arrays.toString(layers) + ", experts=" + experts + ", counts="
                + Arrays.toString(counts) + "]";
    }

    /** Every count in 2, 4 or 8 bytes, the fewest that hold the largest. */
    private int wideWidth() {
        return Math.max(2, bytesFor(Arrays.stream(counts).max().orElse(0)));
    }

    private long wideBytes() {
        return (long) counts.length * wideWidth();
    }

    /** Cells of {@code bits} bits, plus the counts they cannot hold, escaped. */
    private long packedBytes(int bits) {
        long escape = (1L << bits) - 1;
        long escaped = Arrays.stream(counts).filter(count -> count >= escape).count();
        return packedCellBytes(counts.length, bits) + escaped * escapeWidth(bits);
    }

    private int escapeWidth(int bits) {
        long escape = (1L << bits) - 1;
        return Arrays.stream(counts).filter(count -> count >= escape).mapToInt(CountGrid::bytesFor).max().orElse(0);
    }

    private static int packedCellBytes(int cells, int bits) {
        return (int) (((long) cells * bits + 7) / 8);
    }

    /** The cells, {@code bits} each, most significant bit first; a count too large for them is the escape value. */
    private void putPacked(ByteBuffer out, int bits) {
        long escape = (1L << bits) - 1;
        byte[] cells = new byte[packedCellBytes(counts.length, bits)];
        for (int c = 0; c < counts.length; c++) {
            long value = Math.min(counts[c], escape);
            for (int bit = 0; bit < bits; bit++) {
                if ((value >>> (bits - 1 - bit) & 1) != 0) {
                    int offset = c * bits + bit;
                    cells[offset / 8] |= (byte) (0x80 >>> (offset % 8));
                }
            }
        }
        out.put(cells);
    }

    /**
     * A packed cell of 1 to 8 bits spans at most two bytes: read both (the second only if there is one) and shift the
     * cell out, as {@code moescope_grid_cells} does; bit by bit cost the load over time of a 61 x 256 grid most of
     * its decoding.
     */
    private static long packedCell(byte[] bytes, int cellsStart, int cell, int bits) {
        int offset = cell * bits;
        int at = cellsStart + offset / 8;
        int window = (bytes[at] & 0xFF) << 8 | (at + 1 < bytes.length ? bytes[at + 1] & 0xFF : 0);
        return window >>> (16 - bits - offset % 8) & (1 << bits) - 1;
    }

    /** The fewest of 1, 2, 4 or 8 bytes that hold {@code count}. */
    private static int bytesFor(long count) {
        int bytes = 1;
        while (bytes < 8 && count >>> (8 * bytes) != 0) {
            bytes *= 2;
        }
        return bytes;
    }

    private static void putCount(ByteBuffer out, long count, int bytes) {
        switch (bytes) {
            case 1 -> out.put((byte) count);
            case 2 -> out.putShort((short) count);
            case 4 -> out.putInt((int) count);
            default -> out.putLong(count);
        }
    }

    private static long getCount(ByteBuffer in, int bytes) {
        return switch (bytes) {
            case 1 -> Byte.toUnsignedLong(in.get());
            case 2 -> Short.toUnsignedLong(in.getShort());
            case 4 -> Integer.toUnsignedLong(in.getInt());
            default -> in.getLong();
        };
    }
}
