package io.moescope.ingest.copy;

import io.moescope.ingest.support.Databases;
import io.moescope.ingest.support.TimescaleDbServer;

/** {@link RequestKeysTest} on the TimescaleDB server (hypertables), as its superuser. */
class RequestKeysOnTimescaleDbTest extends RequestKeysTest {

    @Override
    protected Databases databases() {
        return TimescaleDbServer.required().databases(TimescaleDbServer.SUPERUSER);
    }
}
