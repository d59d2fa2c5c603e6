package io.moescope.ingest.copy;

import io.moescope.ingest.support.Databases;
import io.moescope.ingest.support.TimescaleDbServer;

/** {@link TokenRoutingCopyWriterTest} on the TimescaleDB server (hypertables), as its superuser. */
class TokenRoutingCopyWriterOnTimescaleDbTest extends TokenRoutingCopyWriterTest {

    @Override
    protected Databases databases() {
        return TimescaleDbServer.required().databases(TimescaleDbServer.SUPERUSER);
    }
}
