package io.moescope.platform.runs;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A row of the {@code run_overview} view: a run's identity and the volume stored for it. Read-only. */
@Entity
@Immutable
@Table(name = "run_overview")
class RunOverview {

    @Id
    @Column(name = "run_id")
    private String runId;
    private String name;
    private String source;
    private String status;
    @Column(name = "model_name")
    private String modelName;
    private String architecture;
    @Column(name = "num_experts")
    private int numExperts;
    @Column(name = "top_k")
    private int topK;
    @Column(name = "num_layers")
    private int numLayers;
    @Column(name = "num_moe_layers")
    private int numMoeLayers;
    @Column(name = "total_parameters")
    private long totalParameters;
    @Column(name = "active_parameters")
    private long activeParameters;
    @Column(name = "started_at")
    private Instant startedAt;
    @Column(name = "finished_at")
    private Instant finishedAt;
    @Column(name = "tokens_reported")
    private long tokensReported;
    private long tokens;
    private long decisions;
    @Column(name = "last_routed_at")
    private Instant lastRoutedAt;
    @Column(name = "requests_not_separable")
    private String requestsNotSeparable;
    /** jsonb (V46): a tap's responses by outcome. */
    @JdbcTypeCode(SqlTypes.JSON)
    private Map<String, Long> responses;

    protected RunOverview() {
        // for JPA
    }

    RunSummary toSummary() {
        return new RunSummary(runId, name, source, status, modelName, architecture, numExperts, topK, numLayers,
                numMoeLayers, totalParameters, activeParameters, startedAt, finishedAt, reportedTokens(), tokens,
                decisions, lastRoutedAt, requestsNotSeparable, responses);
    }

    /** The column holds 0 until an end event sets it: unknown, not none. */
    private Long reportedTokens() {
        return "FINISHED".equals(status) || "FAILED".equals(status) ? tokensReported : null;
    }
}
