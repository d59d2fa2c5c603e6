package io.moescope.ingest.consumer;

import io.moescope.ingest.validation.RunModel;
import io.moescope.ingest.validation.RunModelDirectory;
import io.moescope.storage.runs.RunModels;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** Reads run models from the {@code run} table ({@link RunModels}) for {@link RunModelDirectory}. */
final class RunModelQueries implements RunModelDirectory.Loader {

    private final JdbcTransactions transactions;

    RunModelQueries(JdbcTransactions transactions) {
        this.transactions = transactions;
    }

    /** @throws IngestStorageException when the database cannot answer; the batch is then retried */
    @Override
    public Map<String, RunModel> load(Collection<String> runIds) {
        return transactions.inTransaction("the models of " + runIds.size() + " runs", connection -> {
            var models = new HashMap<String, RunModel>();
            for (RunModels.Model m : RunModels.load(connection, runIds)) {
                models.put(m.runId(), RunModel.of(m.runId(), m.numLayers(), m.numExperts(), m.topK(),
                        m.moeLayers(), m.source()));
            }
            return models;
        });
    }
}
