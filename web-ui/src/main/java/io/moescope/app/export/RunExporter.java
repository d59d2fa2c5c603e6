package io.moescope.app.export;

import io.moescope.events.ModelIdentity;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import io.moescope.probe.export.ExportFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Streams a stored run in moescope's export formats with constant memory: the rows come through a server-side
 * cursor ({@link #FETCH_SIZE} at a time, which PostgreSQL only does inside a transaction) in request id, token index
 * order, and each is written before the next is read.
 */
@Service
public class RunExporter {

    static final int FETCH_SIZE = 2000;

    private static final String RUN = "SELECT name, model_name, architecture, num_experts, top_k, num_layers, "
            + "moe_layers, total_parameters, active_parameters FROM run WHERE run_id = ?";
    private static final String TOKENS = "SELECT request_id, token_index, token_id, phase, routed_at, layers, "
            + "expert_ids, weights, router_entropy FROM token_routing WHERE run_id = ? ORDER BY request_id COLLATE \"C\", "
            + "token_index";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate readOnly;

    RunExporter(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = new JdbcTemplate(jdbc.getDataSource());
        this.jdbc.setFetchSize(FETCH_SIZE);
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    /** The run's name and model identity, or empty for an unknown run id. */
    public Optional<StoredRun> find(String runId) {
        return jdbc.query(RUN, (rs, i) -> new StoredRun(runId, rs.getString("name"), new ModelIdentity(
                rs.getString("model_name"), rs.getString("architecture"), rs.getInt("num_experts"), rs.getInt("top_k"),
                rs.getInt("num_layers"), integers(rs.getArray("moe_layers")), rs.getLong("total_parameters"),
                rs.getLong("active_parameters"))), runId).stream().findFirst();
    }

    /** Writes the header and every stored token of {@code run} to {@code out}, then flushes it. */
    public void export(StoredRun run, ExportFormat format, Writer out) {
        readOnly.executeWithoutResult(status -> {
            try {
                ExportFormat.TokenWriter writer = format.open(out, run.name(), run.model());
                jdbc.query(TOKENS, rs -> {
                    try {
                        writer.token(token(run.runId(), rs));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, run.runId());
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** A run's export identity. */
    public record StoredRun(String runId, String name, ModelIdentity model) {
    }

    private static TokenRouting token(String runId, ResultSet rs) throws SQLException {
        Short[] layers = (Short[]) rs.getArray("layers").getArray();
        Short[] experts = (Short[]) rs.getArray("expert_ids").getArray();
        Float[] weights = (Float[]) rs.getArray("weights").getArray();
        Float[] entropy = (Float[]) rs.getArray("router_entropy").getArray();
        int k = layers.length == 0 ? 0 : experts.length / layers.length;
        var decisions = new ArrayList<RouterDecision>(layers.length);
        for (int i = 0; i < layers.length; i++) {
            int[] ids = new int[k];
            float[] w = new float[k];
            for (int j = 0; j < k; j++) {
                ids[j] = experts[i * k + j];
                w[j] = weights[i * k + j];
            }
            decisions.add(new RouterDecision(layers[i], ids, w, entropy[i] == null ? Float.NaN : entropy[i]));
        }
        OffsetDateTime routedAt = rs.getObject("routed_at", OffsetDateTime.class);
        return new TokenRouting(runId, rs.getString("request_id"), rs.getInt("token_index"), rs.getInt("token_id"),
                rs.getShort("phase") == 0 ? Phase.PREFILL : Phase.DECODE,
                ChronoUnit.MICROS.between(java.time.Instant.EPOCH, routedAt.toInstant()), decisions);
    }

    private static List<Integer> integers(Array array) throws SQLException {
        return Arrays.stream((Integer[]) array.getArray()).toList();
    }
}
