package io.moescope.ingest.copy;

import static io.moescope.ingest.support.Tokens.T0_MICROS;
import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import io.moescope.storage.expertcache.ExpertCacheStats;
import io.moescope.storage.routing.RunTokenReader;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * The orders in which the readers of a stored run hand out its requests. Requests {@code req-1} to {@code req-12}
 * arrive in that order, a batch each (request keys 1 to 12), so their arrival differs from their ids' order, in which
 * {@code req-10} comes before {@code req-2}.
 */
class ReadingOrderTest extends WrittenTablesTest {

    private static final List<String> ARRIVED = IntStream.rangeClosed(1, 12).mapToObj(i -> "req-" + i).toList();

    ReadingOrderTest() {
        super("reading_order");
    }

    @BeforeEach
    void storeRequestsOneBatchEach() throws SQLException {
        for (int i = 0; i < ARRIVED.size(); i++) {
            write(List.of(token(ARRIVED.get(i), 0, i), token(ARRIVED.get(i), 1, i)));
        }
        assertThat(ARRIVED.stream().sorted().toList()).isNotEqualTo(ARRIVED);
    }

    @Test
    void thePagesOfARunsTokensListItsRequestsAsTheyArrived() {
        assertThat(requests(RunTokenReader.Order.ARRIVAL)).isEqualTo(ARRIVED);
    }

    @Test
    void anExportListsTheRequestsByIdBytewiseWhateverTheirArrival() {
        assertThat(requests(RunTokenReader.Order.REQUEST_ID)).containsExactly("req-1", "req-10", "req-11", "req-12",
                "req-2", "req-3", "req-4", "req-5", "req-6", "req-7", "req-8", "req-9");
    }

    /**
     * Request req-n has n cache accesses at layer 0, so a unit's accesses name its request; req-0 has accesses but no
     * stored token (no request key).
     */
    @Test
    void theMeasuredWarmUpsResamplingUnitsComeInArrivalOrderThenThoseWithoutTokensLast() throws SQLException {
        execute("INSERT INTO expert_cache_access SELECT 'run-1', 'req-' || n, 0, 1, 0, e, e, false, 0, 0, NULL, 8,"
                + " 'LRU', now() FROM generate_series(0, 12) AS n, generate_series(0, greatest(n, 1) - 1) AS e");
        var accesses = new ArrayList<Long>();

        new ExpertCacheStats(JdbcClient.create(db)).requestHits("run-1", unit -> accesses.add(unit.get(0)[1]));

        assertThat(accesses).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 1L);
    }

    /** The request ids in the order of their first token read. */
    private List<String> requests(RunTokenReader.Order order) {
        return new RunTokenReader(db, new DataSourceTransactionManager(db)).withTokens("run-1", order, tokens -> {
            var requests = new ArrayList<String>();
            tokens.forEachRemaining(t -> {
                if (requests.isEmpty() || !requests.get(requests.size() - 1).equals(t.requestId())) {
                    requests.add(t.requestId());
                }
            });
            return requests;
        });
    }

    private static TokenRouting token(String requestId, int index, int second) {
        return new TokenRouting("run-1", requestId, index, 5, Phase.DECODE, T0_MICROS + second * 1_000_000L,
                List.of(new RouterDecision(0, new int[] {1}, new float[] {1f}, 0f)));
    }
}
