package io.moescope.storage.expertcache;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Measured expert-cache figures of a run, aggregated in PostgreSQL from {@code expert_cache_access}. */
public final class ExpertCacheStats {

    private static final String OFFLOADING = """
            SELECT min(capacity), min(policy), count(DISTINCT (request_id, token_index))
            FROM expert_cache_access WHERE run_id = ?""";

    private static final String LAYERS = """
            SELECT layer, count(*), count(*) FILTER (WHERE hit), count(DISTINCT expert), sum(bytes_read),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY load_nanos) FILTER (WHERE NOT hit),
                   percentile_cont(0.95) WITHIN GROUP (ORDER BY load_nanos) FILTER (WHERE NOT hit),
                   max(load_nanos) FILTER (WHERE NOT hit)
            FROM expert_cache_access WHERE run_id = ? GROUP BY layer ORDER BY layer""";

    // a request's step at a token index is its unit: the moments of its accesses and hits give the interval
    private static final String CURVE = """
            SELECT layer, token_index, count(*), sum(accesses), sum(hits), sum(hits * hits),
                   sum(hits * accesses), sum(accesses * accesses)
            FROM (SELECT layer, token_index, count(*) AS accesses, count(*) FILTER (WHERE hit) AS hits
                  FROM expert_cache_access WHERE run_id = ? AND token_index < ?
                  GROUP BY layer, token_index, request_id) AS by_request
            GROUP BY layer, token_index ORDER BY layer, token_index""";

    // the requests in their arrival (request_key, as the suite's pass reads them), then any without stored tokens
    private static final String REQUEST_HITS = """
            SELECT array_agg(c.layer ORDER BY c.layer), array_agg(c.hits ORDER BY c.layer),
                   array_agg(c.accesses ORDER BY c.layer)
            FROM (SELECT run_id, request_id, layer, count(*) AS accesses, count(*) FILTER (WHERE hit) AS hits
                  FROM expert_cache_access WHERE run_id = ? GROUP BY run_id, request_id, layer) AS c
            LEFT JOIN routing_request r ON r.run_id = c.run_id AND r.request_id = c.request_id
            GROUP BY c.request_id, r.request_key
            ORDER BY r.request_key NULLS LAST, c.request_id COLLATE "C\"""";

    private final JdbcClient jdbc;

    public ExpertCacheStats(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Makes the caller's record of a run's offloading settings. */
    @FunctionalInterface
    public interface Offloading<T> {
        T of(int capacity, String policy, long steps);
    }

    /** Makes the caller's record of one layer's figures; the load times are of misses, null when none missed. */
    @FunctionalInterface
    public interface Layer<T> {
        T of(int layer, long accesses, long hits, int expertsUsed, long bytesRead, Double medianLoadNanos,
             Double p95LoadNanos, Double maxLoadNanos);
    }

    /**
     * Receives one point of a layer's warm-up curve: accesses and hits at a token index, summed over the requests
     * with a step there, and the sums of their per-request squares and product (the point's sampling spread).
     */
    @FunctionalInterface
    public interface CurvePoint {
        void accept(int layer, int tokenIndex, long requests, long accesses, long hits, double hitsSquared,
                    double hitsTimesAccesses, double accessesSquared);
    }

    /** @return the cache capacity, policy and number of steps; empty when the run stored no cache access */
    public <T> Optional<T> offloading(String runId, Offloading<T> offloading) {
        return jdbc.sql(OFFLOADING).param(runId)
                .query((rs, row) -> rs.getLong(3) == 0 ? Optional.<T>empty()
                        : Optional.of(offloading.of(rs.getInt(1), rs.getString(2), rs.getLong(3))))
                .single();
    }

    /** The figures of each layer, in layer order. */
    public <T> List<T> layers(String runId, Layer<T> layer) {
        return jdbc.sql(LAYERS).param(runId).query((rs, row) -> layer.of(rs.getInt(1), rs.getLong(2), rs.getLong(3),
                rs.getInt(4), rs.getLong(5), number(rs.getObject(6)), number(rs.getObject(7)),
                number(rs.getObject(8)))).list();
    }

    /** Hands on the warm-up curve of each layer up to token index {@code maxTokens}, by layer and token index. */
    public void curves(String runId, int maxTokens, CurvePoint point) {
        jdbc.sql(CURVE).param(runId).param(maxTokens).query(rs -> {
            point.accept(rs.getInt(1), rs.getInt(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getDouble(6),
                    rs.getDouble(7), rs.getDouble(8));
        });
    }

    /**
     * Hands on each request's {hits, accesses} per layer, one request at a time: the units of a resampling over
     * requests, in the order the metric suite's pass reads the requests (their arrival, by request key), so that a
     * seeded resampling draws the same requests as the suite's warm-up; requests without a stored token (no key)
     * last, by request id (bytewise). The order decides which requests the seeded draws take, so the exact interval.
     */
    public void requestHits(String runId, Consumer<Map<Integer, long[]>> request) {
        jdbc.sql(REQUEST_HITS).param(runId).query(rs -> {
            Integer[] layers = (Integer[]) rs.getArray(1).getArray();
            Long[] hits = (Long[]) rs.getArray(2).getArray();
            Long[] accesses = (Long[]) rs.getArray(3).getArray();
            var byLayer = new TreeMap<Integer, long[]>();
            for (int i = 0; i < layers.length; i++) {
                byLayer.put(layers[i], new long[] {hits[i], accesses[i]});
            }
            request.accept(byLayer);
        });
    }

    private static Double number(Object value) {
        return value == null ? null : ((Number) value).doubleValue();
    }
}
