package io.moescope.platform.workload;

import io.moescope.events.RunWorkload;
import io.moescope.platform.runs.RunCatalog;
import io.moescope.platform.tokens.StoredTokens;
import io.moescope.storage.workload.RecordedWorkloadRows;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The workloads probe runs recorded (tables {@code run_workload}, {@code workload_request}, {@code token_text},
 * written by ingest), read
 * back as {@link RunWorkload}s with the run's full model identity.
 */
@Service
@Transactional(readOnly = true)
public class RecordedWorkloads {

    private final RecordedWorkloadRows rows;
    private final StoredTokens stored;
    private final RunCatalog runs;

    RecordedWorkloads(RecordedWorkloadRows rows, StoredTokens stored, RunCatalog runs) {
        this.rows = rows;
        this.stored = stored;
        this.runs = runs;
    }

    /**
     * @return the run's workload; empty when the run is unknown
     * @throws NoRecordedWorkloadException when the run exists but recorded no workload (imported and replayed runs)
     */
    public Optional<RunWorkload> find(String runId) {
        Optional<StoredTokens.StoredRun> run = stored.find(runId);
        if (run.isEmpty()) {
            return Optional.empty();
        }
        Optional<RunWorkload> found = rows.find(runId, run.get().model());
        if (found.isEmpty()) {
            String source = runs.find(runId).map(r -> r.source()).orElse("unknown");
            throw new NoRecordedWorkloadException("run '" + run.get().name() + "' (" + runId + ", source " + source
                    + ") has no recorded workload: only probe runs record their prompts and generation parameters,"
                    + " imported and replayed runs cannot be run again through a model");
        }
        return found;
    }
}
