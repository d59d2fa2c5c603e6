package io.moescope.platform.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server unpacked from a jar (zonky), its data in a folder that survives restarts.
 *
 * <p>It runs durably. zonky's defaults ({@code fsync=off}, {@code synchronous_commit=off}) suit throw-away test
 * databases: a commit is acknowledged before its WAL is on disk. Ingest commits Kafka offsets right after each
 * database commit, so with those defaults a killed server loses routing that Kafka will never deliver again.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private final EmbeddedPostgres postgres;
    private final String password;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, String password) {
        this.postgres = postgres;
        this.password = password;
    }

    /**
     * Call only while holding the data dir's {@link DataDirLock}: a server still running on {@code dataDir} is then
     * taken to be an earlier moescope's orphan and stopped first.
     *
     * <p>The one start of an embedded PostgreSQL, for serve and the benchmarks alike: a failure comes as an
     * {@link EmbeddedServerException} that names its cause and the action for it ({@link PostgresStartFailure}).
     *
     * @param port 0 picks a free one
     */
    public static EmbeddedPostgresServer start(Path dataDir, int port) {
        try {
            return startServer(dataDir, port);
        } catch (IOException e) {
            throw PostgresStartFailure.explain(dataDir, e);
        }
    }

    private static EmbeddedPostgresServer startServer(Path dataDir, int port) throws IOException {
        PrivateFolders.ownerOnly(dataDir);
        stopLeftover(dataDir);
        int serverPort = port == 0 ? FreePorts.pick() : port;
        FreePorts.requireFree(serverPort, "PostgreSQL", "moescope.embedded.postgres-port");
        var authentication = PasswordAuthentication.of(dataDir);
        var server = new EmbeddedPostgresServer(EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(serverPort)
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setDataDirectoryCustomizer(folder -> authentication.writeRules(folder.toPath()))
                .setConnectConfig("password", authentication.password())
                .start(), authentication.password());
        try {
            authentication.secure(server.jdbcUrl(), dataDir);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private static void stopLeftover(Path dataDir) throws IOException {
        var leftover = LeftoverPostgres.find(dataDir);
        if (leftover.isPresent()) {
            leftover.get().stop(dataDir);
            log.warn("Stopped the embedded PostgreSQL (pid {}) that an earlier moescope left running on {} when it "
                    + "ended abruptly; starting afresh", leftover.get().pid(), dataDir);
        }
    }

    /** Without the password: the URL is logged. */
    public String jdbcUrl() {
        return postgres.getJdbcUrl(PasswordAuthentication.USER, "postgres");
    }

    public String username() {
        return PasswordAuthentication.USER;
    }

    public String password() {
        return password;
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
