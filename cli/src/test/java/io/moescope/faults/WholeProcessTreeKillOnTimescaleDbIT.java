package io.moescope.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.ingest.support.TimescaleDbServer;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@link WholeProcessTreeKillIT} on a real TimescaleDB server (hypertables) that crashes together with the
 * application: the test starts a server of its own ({@code ../shared/timescaledb/start-timescaledb}), the
 * application writes to it instead of the embedded PostgreSQL (Kafka stays in-process), and at each kill the
 * server's postmaster and every one of its processes get SIGKILL in the same sweep as the application's JVM. The
 * server is then started again on its data (crash recovery), and the application after it on the same data dir.
 * Runs where {@code MOESCOPE_TIMESCALEDB_URL} says the TimescaleDB kit is installed, as {@code .ci/run} does; that
 * server itself is not used.
 */
@EnabledIfEnvironmentVariable(named = TimescaleDbServer.URL_VARIABLE, matches = ".+",
        disabledReason = TimescaleDbServer.HOW_TO_RUN)
class WholeProcessTreeKillOnTimescaleDbIT extends WholeProcessTreeKillIT {

    private TimescaleDbServerProcess server;

    @Override
    ServeProcess.ExternalDatabase startDatabase(Path work) throws Exception {
        Assumptions.assumeTrue(TimescaleDbServer.fromEnvironment().isPresent(), TimescaleDbServer.HOW_TO_RUN);
        server = TimescaleDbServerProcess.start(ServeProcess.Ports.freePort(), work.resolve("timescaledb.log"));
        return server.database();
    }

    @Override
    List<ProcessHandle> databaseProcesses() throws IOException {
        return List.of(server.postmaster().orElseThrow(
                () -> new IllegalStateException("the TimescaleDB server is not running")));
    }

    @Override
    void restartDatabase() throws Exception {
        server.restart();
    }

    /** Not plain PostgreSQL by accident: the raw table is a hypertable, on a server that commits durably. */
    @Override
    String storagePath(PGSimpleDataSource db) throws SQLException {
        assertThat(value(db, "SELECT count(*) FROM timescaledb_information.hypertables "
                + "WHERE hypertable_name = 'token_routing'")).as("token_routing is a hypertable").isEqualTo("1");
        assertThat(value(db, "SHOW fsync")).isEqualTo("on");
        assertThat(value(db, "SHOW synchronous_commit")).isEqualTo("on");
        return " on TimescaleDB " + value(db, "SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'");
    }

    @AfterEach
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }
}
