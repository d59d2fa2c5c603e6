package io.moescope.platform.storagepaths;

import io.moescope.ingest.support.TimescaleDbServer;
import java.sql.SQLException;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link UpgradeFromPreviousReleaseTest} on the TimescaleDB server (hypertables), as its superuser. */
@EnabledIfEnvironmentVariable(named = TimescaleDbServer.URL_VARIABLE, matches = ".+",
        disabledReason = TimescaleDbServer.HOW_TO_RUN)
class UpgradeFromPreviousReleaseOnTimescaleDbTest extends UpgradeFromPreviousReleaseTest {

    @DynamicPropertySource
    static void releasedTimescaleDbDatabase(DynamicPropertyRegistry registry) throws SQLException {
        releasedDatabaseWithRuns(registry, TimescaleDbServer.required().databases(TimescaleDbServer.SUPERUSER));
    }
}
