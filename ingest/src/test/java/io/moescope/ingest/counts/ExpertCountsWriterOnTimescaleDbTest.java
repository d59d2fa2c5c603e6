package io.moescope.ingest.counts;

import io.moescope.ingest.support.Databases;
import io.moescope.ingest.support.TimescaleDbServer;

/** {@link ExpertCountsWriterTest} on the TimescaleDB server (hypertables), as its superuser. */
class ExpertCountsWriterOnTimescaleDbTest extends ExpertCountsWriterTest {

    @Override
    protected Databases databases() {
        return TimescaleDbServer.required().databases(TimescaleDbServer.SUPERUSER);
    }
}
