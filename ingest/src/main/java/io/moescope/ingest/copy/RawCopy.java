package io.moescope.ingest.copy;

import io.moescope.events.TokenRouting;
import io.moescope.storage.routing.TimePartitions;
import io.moescope.storage.routing.TokenRoutingTable;
import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

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
        var bytes = new ByteArrayOutputStream(tokens.size() * 512);
        try {
            TokenBatch batch = TokenBatch.of(tokens);
            int[] order = new int[batch.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            TokenRoutingCopyWriter.encode(batch, order, BatchRequestKeys.numbered(batch), bytes::write);
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
