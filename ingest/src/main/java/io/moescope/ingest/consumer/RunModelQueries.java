package io.moescope.ingest.consumer;

import io.moescope.ingest.validation.RunModel;
import io.moescope.ingest.validation.RunModelDirectory;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads run models from the {@code run} table for {@link RunModelDirectory}. */
final class RunModelQueries implements RunModelDirectory.Loader {

    private static final String SELECT = "SELECT run_id, num_layers, num_experts, top_k, moe_layers, source FROM run"
            + " WHERE run_id = ANY (?)";

    private final JdbcTransactions transactions;

    RunModelQueries(JdbcTransactions transactions) {
        this.transactions = transactions;
    }

    /** @throws IngestStorageException when the database cannot answer; the batch is then retried */
    @Override
    public Map<String, RunModel> load(Collection<String> runIds) {
        return transactions.inTransaction("the models of " + runIds.size() + " runs", connection -> {
            var models = new HashMap<String, RunModel>();
            try (PreparedStatement statement = connection.prepareStatement(SELECT)) {
                statement.setArray(1, connection.createArrayOf("text", runIds.toArray()));
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        models.put(rs.getString(1), RunModel.of(rs.getString(1), rs.getInt(2), rs.getInt(3),
                                rs.getInt(4), layers(rs.getArray(5)), rs.getString(6)));
                    }
                }
            }
            return models;
        });
    }

    private static List<Integer> layers(Array array) throws java.sql.SQLException {
        var layers = new ArrayList<Integer>();
        if (array != null) {
            for (Object layer : (Object[]) array.getArray()) {
                layers.add(((Number) layer).intValue());
            }
        }
        return layers;
    }
}
