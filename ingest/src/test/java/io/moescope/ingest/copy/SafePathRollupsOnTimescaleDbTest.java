package io.moescope.ingest.copy;

import io.moescope.ingest.support.Databases;
import io.moescope.ingest.support.TimescaleDbServer;

/** {@link SafePathRollupsTest} on the TimescaleDB server (hypertables), as its superuser. */
class SafePathRollupsOnTimescaleDbTest extends SafePathRollupsTest {

    @Override
    protected Databases databases() {
        return TimescaleDbServer.required().databases(TimescaleDbServer.SUPERUSER);
    }
}
