package io.moescope.platform.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failed start of the embedded PostgreSQL names its cause and the action for that cause: the port is checked free
 * before the server starts, so only a taken port is answered with "free the port".
 */
class PostgresStartFailureTest {

    private static final Path PG_DATA = Path.of("/srv/moescope/.moescope/postgres");

    @Test
    void aTakenPortIsNamedAndTheActionIsToFreeItOrChooseAnother() throws IOException {
        try (var taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> FreePorts.requireFree(port, "PostgreSQL", "moescope.embedded.postgres-port"))
                    .isInstanceOfSatisfying(EmbeddedServerException.class, e -> {
                        assertThat(e.getMessage()).isEqualTo("port " + port
                                + " for the embedded PostgreSQL is already in use");
                        assertThat(e.action()).isEqualTo("Stop what listens on port " + port
                                + ", set moescope.embedded.postgres-port to another port (0 = any free port), or"
                                + " point moescope at your own server.");
                    });
        }
    }

    @Test
    void aRefusedPasswordIsNamedWithThePasswordFileThatDoesNotBelongToTheCluster() {
        var refused = new SQLException("FATAL: password authentication failed for user \"postgres\"", "28P01");
        EmbeddedServerException e = PostgresStartFailure.explain(PG_DATA,
                new IOException("Gave up waiting for server to start after 10000ms", refused));
        assertThat(e.getMessage()).isEqualTo("the embedded PostgreSQL (data in /srv/moescope/.moescope/postgres)"
                + " refused moescope's password: FATAL: password authentication failed for user \"postgres\"");
        assertThat(e.action()).isEqualTo("The password in /srv/moescope/.moescope/postgres.password is not this"
                + " cluster's: put back the file that belongs to it, or reset the admin password as docs/security.md"
                + " says (\"Lost it?\").");
    }

    /**
     * A server moescope can tell for its own orphan is stopped before the start (LeftoverPostgres); PostgreSQL refuses
     * a folder whose postmaster.pid names any other live process. Here a process that is no PostgreSQL stands in for
     * a server moescope cannot identify (another user's).
     */
    @Test
    void aDataFolderAnotherProcessHoldsIsNamedWithItsPidAndTheActionsForTheOtherMoescope(@TempDir Path dataDir)
            throws Exception {
        Path pgData = dataDir.resolve("postgres");
        EmbeddedPostgresServer.start(pgData, 0).close();
        Process holder = new ProcessBuilder("sleep", "300").start();
        try {
            Files.writeString(pgData.resolve("postmaster.pid"), holder.pid() + "\n" + pgData + "\n");

            assertThatThrownBy(() -> EmbeddedPostgresServer.start(pgData, 0))
                    .isInstanceOfSatisfying(EmbeddedServerException.class, e -> {
                        assertThat(e.getMessage()).isEqualTo("the embedded PostgreSQL's data folder " + pgData
                                + " is in use by another process (pid " + holder.pid() + ", named in the folder's"
                                + " postmaster.pid)");
                        assertThat(e.action()).isEqualTo("Stop that moescope (or whatever holds the folder) first, or"
                                + " give this one a data dir of its own (MOESCOPE_DATA_DIR, or --moescope.data-dir).");
                    });
        } finally {
            holder.destroy();
        }
    }

    @Test
    void aDataFolderItMayNotUseIsNamed() {
        EmbeddedServerException e = PostgresStartFailure.explain(PG_DATA,
                new AccessDeniedException("/srv/moescope/.moescope/postgres"));
        assertThat(e.getMessage()).isEqualTo("the embedded PostgreSQL cannot use its data folder:"
                + " /srv/moescope/.moescope/postgres (AccessDeniedException)");
        assertThat(e.action()).isEqualTo("Let this user read and write the data dir (moescope makes it owner-only),"
                + " or set moescope.data-dir (MOESCOPE_DATA_DIR) to a folder it may use.");
    }

    @Test
    void aServerThatNeverAnsweredPointsAtPostgresqlsOwnMessagesNotAtThePort() {
        var refused = new SQLException("Connection to localhost:54320 refused.", "08001");
        EmbeddedServerException e = PostgresStartFailure.explain(PG_DATA,
                new IOException("Gave up waiting for server to start after 10000ms", refused));
        assertThat(e.getMessage()).isEqualTo("the embedded PostgreSQL (data in /srv/moescope/.moescope/postgres)"
                + " did not start: Gave up waiting for server to start after 10000ms; last error: Connection to"
                + " localhost:54320 refused.");
        assertThat(e.action()).isEqualTo("PostgreSQL's own messages say why (a cluster of another PostgreSQL"
                + " version, a damaged cluster, too little memory or disk): start again with"
                + " --logging.level.io.zonky.test.db.postgres.embedded=INFO to see them, or set"
                + " spring.datasource.url to use your own PostgreSQL.");
    }
}
