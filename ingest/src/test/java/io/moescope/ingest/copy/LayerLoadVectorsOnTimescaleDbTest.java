package io.moescope.ingest.copy;

import io.moescope.ingest.support.Databases;
import io.moescope.ingest.support.TimescaleDbServer;

/** {@link LayerLoadVectorsTest} on the TimescaleDB server (hypertables), as its superuser. */
class LayerLoadVectorsOnTimescaleDbTest extends LayerLoadVectorsTest {

    @Override
    protected Databases databases() {
        return TimescaleDbServer.required().databases(TimescaleDbServer.SUPERUSER);
    }
}
