package io.moescope.platform.storagepaths;

import io.moescope.ingest.support.Databases;
import java.sql.SQLException;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link UpgradeFromPreviousReleaseTest} on plain PostgreSQL (the partitioned path). */
class UpgradeFromPreviousReleaseOnPostgresTest extends UpgradeFromPreviousReleaseTest {

    @DynamicPropertySource
    static void releasedPostgresDatabase(DynamicPropertyRegistry registry) throws SQLException {
        releasedDatabaseWithRuns(registry, Databases.EMBEDDED_POSTGRES);
    }
}
