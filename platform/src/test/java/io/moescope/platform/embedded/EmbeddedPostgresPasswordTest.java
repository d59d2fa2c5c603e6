package io.moescope.platform.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL asks every connection for the password it made on its first start (issue #18: zonky's
 * {@code trust} let any local user read all routing data or insert an ADMIN token).
 */
class EmbeddedPostgresPasswordTest {

    @TempDir
    Path dataDir;

    @Test
    void theFirstStartKeepsAPasswordOnlyTheOwnerCanReadInAFolderOnlyTheOwnerCanEnter() throws Exception {
        try (var server = EmbeddedPostgresServer.start(dataDir.resolve("postgres"), 0)) {
            Path file = dataDir.resolve("postgres.password");
            assertThat(Files.readString(file).strip()).isEqualTo(server.password()).hasSize(32);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("postgres"))))
                    .isEqualTo("rwx------");
        }
    }

    @Test
    void aConnectionWithoutThePasswordIsRefused() throws Exception {
        try (var server = EmbeddedPostgresServer.start(dataDir.resolve("postgres"), 0)) {
            assertThatThrownBy(() -> connect(server.jdbcUrl(), null)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("password");
            assertThatThrownBy(() -> connect(server.jdbcUrl(), "guessed")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("password authentication failed for user \"postgres\"");
        }
    }

    @Test
    void theApplicationsCredentialsConnect() throws Exception {
        try (var server = EmbeddedPostgresServer.start(dataDir.resolve("postgres"), 0);
             Connection c = connect(server.jdbcUrl(), server.password())) {
            assertThat(c.isValid(5)).isTrue();
        }
    }

    @Test
    void aRestartOnTheSameDataKeepsThePassword() throws Exception {
        String first;
        try (var server = EmbeddedPostgresServer.start(dataDir.resolve("postgres"), 0)) {
            first = server.password();
        }
        try (var server = EmbeddedPostgresServer.start(dataDir.resolve("postgres"), 0);
             Connection c = connect(server.jdbcUrl(), first)) {
            assertThat(server.password()).isEqualTo(first);
            assertThat(c.isValid(5)).isTrue();
        }
    }

    @Test
    void aDataDirFromBeforePasswordsIsSecuredOnItsNextStart() throws Exception {
        Path pgData = dataDir.resolve("postgres");
        try (var old = EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false).start()) {
            try (Connection c = old.getPostgresDatabase().getConnection()) {
                assertThat(c.isValid(5)).as("zonky's default: trust").isTrue();
            }
        }
        try (var server = EmbeddedPostgresServer.start(pgData, 0)) {
            assertThat(dataDir.resolve("postgres.password")).exists();
            assertThatThrownBy(() -> connect(server.jdbcUrl(), null)).isInstanceOf(SQLException.class);
            try (Connection c = connect(server.jdbcUrl(), server.password())) {
                assertThat(c.isValid(5)).isTrue();
            }
        }
    }

    /**
     * docs/security.md's "Lost it?": the server's folder deleted, its password file left beside it. The new cluster
     * has no password, so the old file's scram rules once kept it from ever accepting the start's connection.
     */
    @Test
    void aDeletedServerFolderStartsAfreshWithANewPassword() throws Exception {
        Path pgData = dataDir.resolve("postgres");
        String first;
        try (var server = EmbeddedPostgresServer.start(pgData, 0)) {
            first = server.password();
        }
        try (Stream<Path> files = Files.walk(pgData)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        try (var server = EmbeddedPostgresServer.start(pgData, 0);
             Connection c = connect(server.jdbcUrl(), server.password())) {
            assertThat(c.isValid(5)).isTrue();
            assertThat(server.password()).isNotEqualTo(first);
            assertThat(Files.readString(dataDir.resolve("postgres.password")).strip()).isEqualTo(server.password());
        }
    }

    private static Connection connect(String url, String password) throws SQLException {
        var properties = new Properties();
        if (password != null) {
            properties.setProperty("password", password);
        }
        return DriverManager.getConnection(url, properties);
    }
}
