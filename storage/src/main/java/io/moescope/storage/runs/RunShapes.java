package io.moescope.storage.runs;

import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Reads the shape of a run's model from the {@code run} table. */
public final class RunShapes {

    private static final String SHAPE =
            "SELECT num_experts, top_k, coalesce(moe_layers[1], 0) FROM run WHERE run_id = ?";

    private final JdbcClient jdbc;

    public RunShapes(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** N, k and the first MoE layer of a run. */
    public record Shape(int numExperts, int topK, int firstMoeLayer) {
    }

    /** @return empty when the run is unknown */
    public Optional<Shape> of(String runId) {
        return jdbc.sql(SHAPE).param(runId)
                .query((rs, row) -> new Shape(rs.getInt(1), rs.getInt(2), rs.getInt(3)))
                .optional();
    }
}
