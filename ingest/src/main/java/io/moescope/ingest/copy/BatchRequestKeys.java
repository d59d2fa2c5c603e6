package io.moescope.ingest.copy;

import io.moescope.storage.routing.RoutingRequests;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;

/**
 * The {@code request_key} of each token of a batch: the 4-byte key its row carries instead of its run's and request's
 * ids (V53, {@link RoutingRequests}).
 */
final class BatchRequestKeys {

    /** The key of each token, by its position in the batch. */
    private final int[] ofToken;

    private BatchRequestKeys(int[] ofToken) {
        this.ofToken = ofToken;
    }

    /**
     * The stored keys of the batch's (run, request) pairs, made for those that have none, in the caller's
     * transaction: one statement for the batch.
     *
     * @param order the batch's tokens in (run, request) order, as {@link TokenRoutingCopyWriter#keyOrder} gives them
     */
    static BatchRequestKeys resolve(Connection connection, TokenBatch batch, int[] order) throws SQLException {
        List<int[]> pairs = pairs(batch, order);
        String[] runIds = new String[pairs.size()];
        String[] requestIds = new String[pairs.size()];
        long[] firstMicros = new long[pairs.size()];
        for (int p = 0; p < pairs.size(); p++) {
            int[] range = pairs.get(p);
            runIds[p] = batch.runId(order[range[0]]);
            requestIds[p] = batch.requestId(order[range[0]]);
            long first = Long.MAX_VALUE;
            for (int i = range[0]; i < range[1]; i++) {
                first = Math.min(first, batch.timestampMicros(order[i]));
            }
            firstMicros[p] = first;
        }
        return spread(batch, order, pairs, RoutingRequests.keys(connection, runIds, requestIds, firstMicros));
    }

    /**
     * Keys numbered 1, 2, ... by the pairs' first tokens, not stored: for a COPY stream that measures the table alone
     * ({@link RawCopy}).
     */
    static BatchRequestKeys numbered(TokenBatch batch) {
        var keys = new HashMap<List<String>, Integer>();
        int[] ofToken = new int[batch.size()];
        for (int t = 0; t < ofToken.length; t++) {
            ofToken[t] = keys.computeIfAbsent(List.of(batch.runId(t), batch.requestId(t)), pair -> keys.size() + 1);
        }
        return new BatchRequestKeys(ofToken);
    }

    int of(int token) {
        return ofToken[token];
    }

    /**
     * {@code order} sorted by request key, each request's tokens kept in their order (token index, time), so the rows
     * go in in primary-key order (request_key, token_index, routed_at), the order in which both of the writer's paths
     * take row locks. {@code order} holds each request's tokens together, as (run, request) order does: the requests
     * are sorted, not the tokens.
     */
    int[] inKeyOrder(int[] order) {
        var starts = new ArrayList<Integer>();
        for (int i = 0; i < order.length; i++) {
            if (i == 0 || of(order[i]) != of(order[i - 1])) {
                starts.add(i);
            }
        }
        starts.sort(Comparator.comparingInt(start -> of(order[start])));
        int[] sorted = new int[order.length];
        int n = 0;
        for (int start : starts) {
            int key = of(order[start]);
            for (int i = start; i < order.length && of(order[i]) == key; i++) {
                sorted[n++] = order[i];
            }
        }
        return sorted;
    }

    /** The ranges [from, to) of {@code order} that hold one (run, request) pair each. */
    private static List<int[]> pairs(TokenBatch batch, int[] order) {
        var pairs = new ArrayList<int[]>();
        int from = 0;
        for (int i = 1; i <= order.length; i++) {
            if (i == order.length || !batch.runId(order[i]).equals(batch.runId(order[from]))
                    || !batch.requestId(order[i]).equals(batch.requestId(order[from]))) {
                pairs.add(new int[] {from, i});
                from = i;
            }
        }
        return pairs;
    }

    private static BatchRequestKeys spread(TokenBatch batch, int[] order, List<int[]> pairs, int[] keys) {
        int[] ofToken = new int[batch.size()];
        for (int p = 0; p < pairs.size(); p++) {
            for (int i = pairs.get(p)[0]; i < pairs.get(p)[1]; i++) {
                ofToken[order[i]] = keys[p];
            }
        }
        return new BatchRequestKeys(ofToken);
    }
}
