package io.moescope.ingest.storage;

import io.moescope.ingest.support.Databases;
import io.moescope.ingest.support.TimescaleDbServer;

/** {@link RepeatableFunctionMigrationsTest} on the TimescaleDB server, as its non-superuser database owner. */
class RepeatableFunctionMigrationsOnTimescaleDbTest extends RepeatableFunctionMigrationsTest {

    @Override
    protected Databases databases() {
        return TimescaleDbServer.required().databases(TimescaleDbServer.OWNER);
    }
}
