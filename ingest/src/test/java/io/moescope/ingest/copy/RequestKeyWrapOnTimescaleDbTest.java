package io.moescope.ingest.copy;

import io.moescope.ingest.support.Databases;
import io.moescope.ingest.support.TimescaleDbServer;

/** {@link RequestKeyWrapTest} on the TimescaleDB server (hypertables), as its superuser. */
class RequestKeyWrapOnTimescaleDbTest extends RequestKeyWrapTest {

    @Override
    protected Databases databases() {
        return TimescaleDbServer.required().databases(TimescaleDbServer.SUPERUSER);
    }
}
