package io.moescope.storage.runs;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Reads the shape of a run's model, and whether its requests can be told apart, from the {@code run} table. */
public final class RunShapes {

    private static final String SHAPE = "SELECT num_experts, top_k, moe_layers, requests_not_separable FROM run"
            + " WHERE run_id = ?";

    private final JdbcClient jdbc;

    public RunShapes(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * N, k and the MoE layers of a run, in layer order.
     *
     * @param requestsNotSeparable why the run's requests cannot be told apart (so its sequence metrics are
     *                             undefined); null when they can
     */
    public record Shape(int numExperts, int topK, List<Integer> moeLayers, String requestsNotSeparable) {

        public Shape {
            moeLayers = List.copyOf(moeLayers);
        }

        /** The first MoE layer, or 0 for a run that declares none. */
        public int firstMoeLayer() {
            return moeLayers.isEmpty() ? 0 : moeLayers.get(0);
        }
    }

    /** @return empty when the run is unknown */
    public Optional<Shape> of(String runId) {
        return jdbc.sql(SHAPE).param(runId)
                .query((rs, row) -> new Shape(rs.getInt(1), rs.getInt(2),
                        Arrays.asList((Integer[]) rs.getArray(3).getArray()), rs.getString(4)))
                .optional();
    }
}
