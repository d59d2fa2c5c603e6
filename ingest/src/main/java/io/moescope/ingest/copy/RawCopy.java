package io.moescope.ingest.copy;

import io.moescope.events.TokenRouting;
import io.moescope.storage.routing.TimePartitions;
import io.moescope.storage.routing.TokenRoutingTable;
import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The physical limit the ingest benchmark compares against: a binary COPY of pre-encoded rows straight into
 * {@code token_routing}, with no idempotency, no rollups, nothing else. Encoding is separate from copying so that a
 * measurement can leave it out.
 */
public final class RawCopy {

    private RawCopy() {
    }

    /**
     * The binary COPY stream of {@code tokens}, as {@link TokenRoutingCopyWriter} sends it, with request keys numbered
     * in the stream instead of stored ones ({@link BatchRequestKeys#numbered}): the rows are only counted and sized.
     */
    public static byte[] encode(List<TokenRouting> tokens) {
        return encodeParts(List.of(tokens))[0];
    }

    /**
     * One COPY stream per part, for as many connections at once, with request keys numbered across all parts as
     * stored ones are: two requests never share a key. Numbered part by part, the parts' rows all had keys 1, 2, ...
     * and went into the same pages of the primary key, where the connections waited on each other.
     */
    public static byte[][] encodeParts(List<List<TokenRouting>> parts) {
        TokenBatch batch = TokenBatch.of(parts.stream().flatMap(List::stream).toList());
        BatchRequestKeys keys = BatchRequestKeys.numbered(batch);
        byte[][] streams = new byte[parts.size()][];
        int from = 0;
        for (int p = 0; p < parts.size(); p++) {
            int to = from + parts.get(p).size();
            streams[p] = encode(batch, IntStream.range(from, to).toArray(), keys);
            from = to;
        }
        return streams;
    }

    private static byte[] encode(TokenBatch batch, int[] order, BatchRequestKeys keys) {
        var bytes = new ByteArrayOutputStream(order.length * 512);
        try {
            TokenRoutingCopyWriter.encode(batch, order, keys, bytes::write);
        } catch (SQLException e) {
            throw new IllegalStateException("an in-memory sink cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /**
     * COPYs a stream from {@link #encode} into {@code token_routing} in the caller's transaction.
     *
     * @return rows copied
     */
    public static long copy(Connection connection, byte[] stream) throws SQLException {
        return TokenRoutingTable.copyRaw(connection, stream);
    }

    /** Creates the partitions of the days of {@code tokens}, as the writer does before its COPY. */
    public static void preparePartitions(Connection connection, List<TokenRouting> tokens) throws SQLException {
        TokenBatch batch = TokenBatch.of(tokens);
        new TimePartitions().ensure(connection, batch.size(), batch::timestampMicros);
    }
}
