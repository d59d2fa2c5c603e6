package io.moescope.storage.runs;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Reads the models of runs from the {@code run} table. Plain JDBC; stateless. */
public final class RunModels {

    private static final String SELECT = "SELECT run_id, num_layers, num_experts, top_k, moe_layers, source FROM run"
            + " WHERE run_id = ANY (?)";

    private RunModels() {
    }

    /** A run's model as its {@code STARTED} event stored it. */
    public record Model(String runId, int numLayers, int numExperts, int topK, List<Integer> moeLayers,
                        String source) {
    }

    /** The models of those of {@code runIds} that the table has. */
    public static List<Model> load(Connection connection, Collection<String> runIds) throws SQLException {
        var models = new ArrayList<Model>();
        try (PreparedStatement statement = connection.prepareStatement(SELECT)) {
            statement.setArray(1, connection.createArrayOf("text", runIds.toArray()));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    models.add(new Model(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getInt(4),
                            layers(rs.getArray(5)), rs.getString(6)));
                }
            }
        }
        return models;
    }

    private static List<Integer> layers(Array array) throws SQLException {
        var layers = new ArrayList<Integer>();
        if (array != null) {
            for (Object layer : (Object[]) array.getArray()) {
                layers.add(((Number) layer).intValue());
            }
        }
        return layers;
    }
}
