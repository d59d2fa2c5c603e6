package io.moescope.storage.routing;

import io.moescope.events.ModelIdentity;
import io.moescope.events.PackedRouting;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A stored run's identity and its tokens with every column, read with constant memory: the rows come through a
 * server-side cursor ({@link #FETCH_SIZE} at a time, which PostgreSQL only does inside a transaction), each handed on
 * before the next is read.
 */
public final class RunTokenReader {

    static final int FETCH_SIZE = 2000;

    private static final String RUN = "SELECT name, model_name, architecture, num_experts, top_k, num_layers, "
            + "moe_layers, total_parameters, active_parameters, requests_not_separable FROM run WHERE run_id = ?";
    private static final String TOKENS = "SELECT request_id, token_index, token_id, phase, routed_at, routing "
            + "FROM token_routing_named WHERE run_id = ? ORDER BY ";
    // token_routing_named (V53): a run's rows are found through its request keys, by the primary key
    private static final String COUNT = "SELECT count(*) FROM token_routing_named WHERE run_id = ?";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate readOnly;

    public RunTokenReader(DataSource dataSource, PlatformTransactionManager transactions) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.jdbc.setFetchSize(FETCH_SIZE);
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
        // One snapshot for the whole read: a count taken beside the cursor (withCountedTokens) must match what the
        // cursor hands out even while an ingest is still adding tokens to the run. Read-only transactions never fail
        // to serialize in PostgreSQL, and the open cursor holds its snapshot anyway.
        this.readOnly.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    }

    /** The order a run's tokens are read in; within a request, always token index order. */
    public enum Order {
        /**
         * The requests' arrival (their request keys, the primary key's order): {@link RoutingReader}'s, and so the
         * metric suite's. What the pages of a run's tokens use.
         */
        ARRIVAL("request_key, token_index"),
        /**
         * Request id (bytewise), whatever the arrival: what exports use, so that export -> import -> export gives the
         * same file though the import stores its requests in an order of its own (Kafka partitions, batches).
         */
        REQUEST_ID("request_id COLLATE \"C\", token_index"),
        /** The time they were routed, ties by request id: what replays use, to send the tokens as they came. */
        ROUTED_AT("routed_at, request_id COLLATE \"C\", token_index");

        private final String orderBy;

        Order(String orderBy) {
            this.orderBy = orderBy;
        }
    }

    /** Makes the caller's record of a run's identity. */
    @FunctionalInterface
    public interface Run<T> {
        /** @param requestsNotSeparable why the run's requests cannot be told apart; null when they can */
        T of(String name, ModelIdentity model, String requestsNotSeparable);
    }

    /** The run's name, model identity and request separation, or empty for an unknown run id. */
    public <T> Optional<T> find(String runId, Run<T> run) {
        return jdbc.query(RUN, (rs, i) -> run.of(rs.getString("name"), new ModelIdentity(
                rs.getString("model_name"), rs.getString("architecture"), rs.getInt("num_experts"), rs.getInt("top_k"),
                rs.getInt("num_layers"), integers(rs.getArray("moe_layers")), rs.getLong("total_parameters"),
                rs.getLong("active_parameters")), rs.getString("requests_not_separable")), runId).stream().findFirst();
    }

    /** Hands {@code work} the run's tokens in {@code order}, as a lazily read iterator valid only during the call. */
    public <T> T withTokens(String runId, Order order, Function<Iterator<TokenRouting>, T> work) {
        return readOnly.execute(status -> {
            try (Stream<TokenRouting> tokens = jdbc.queryForStream(TOKENS + order.orderBy,
                    (rs, i) -> token(runId, rs), runId)) {
                return work.apply(tokens.iterator());
            }
        });
    }

    /**
     * As {@link #withTokens}, also handing {@code work} the number of tokens the iterator will hand out (counted in
     * the same snapshot).
     */
    public <T> T withCountedTokens(String runId, Order order, BiFunction<Long, Iterator<TokenRouting>, T> work) {
        return withTokens(runId, order, tokens -> work.apply(jdbc.queryForObject(COUNT, Long.class, runId), tokens));
    }

    private static TokenRouting token(String runId, ResultSet rs) throws SQLException {
        // weights and entropies as stored: binary16, rounded from what was captured (PackedRouting)
        List<RouterDecision> decisions = PackedRouting.decode(rs.getBytes("routing"));
        OffsetDateTime routedAt = rs.getObject("routed_at", OffsetDateTime.class);
        return new TokenRouting(runId, rs.getString("request_id"), rs.getInt("token_index"), rs.getInt("token_id"),
                Phase.ofCode(rs.getShort("phase")),
                ChronoUnit.MICROS.between(Instant.EPOCH, routedAt.toInstant()), decisions);
    }

    private static List<Integer> integers(Array array) throws SQLException {
        return Arrays.stream((Integer[]) array.getArray()).toList();
    }
}
