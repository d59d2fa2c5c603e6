package io.moescope.app.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A PostgreSQL server unpacked from a jar (zonky), its data in a folder that survives restarts. */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** @param port 0 picks a free one */
    public static EmbeddedPostgresServer start(Path dataDir, int port) throws IOException {
        int serverPort = port == 0 ? FreePorts.pick() : port;
        FreePorts.requireFree(serverPort, "PostgreSQL", "moescope.embedded.postgres-port");
        Files.createDirectories(dataDir);
        return new EmbeddedPostgresServer(EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(serverPort)
                .start());
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    public String username() {
        return "postgres";
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
