package io.moescope.platform.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.Properties;

/**
 * The embedded PostgreSQL takes passwords, not every local connection: zonky's initdb writes {@code trust} for
 * 127.0.0.1, so any local user could read the routing data or insert an ADMIN token hash (issue #18).
 *
 * <p>The password is made on the first start and kept in {@code <data-dir>/postgres.password} (mode 0600, the
 * data dir itself 0700). The file is written last, after the server holds the password and {@code pg_hba.conf}
 * asks for it: a start that finds the file beside a cluster knows the server is secured and writes the scram rules
 * before the server starts; a start that does not (a new data dir, one from before this change, a first start that
 * died half-way, or a cluster folder deleted under its password file) boots with {@code trust} once, sets a fresh
 * password, switches to scram and reloads.
 */
final class PasswordAuthentication {

    static final String USER = "postgres";
    private static final String FILE = "postgres.password";

    private final Path file;
    private final String password;
    private final boolean secured;

    private PasswordAuthentication(Path file, String password, boolean secured) {
        this.file = file;
        this.password = password;
        this.secured = secured;
    }

    /** @param pgData the server's data folder; the password lives beside it, initdb needs the folder empty */
    static PasswordAuthentication of(Path pgData) throws IOException {
        Path file = file(pgData);
        // The password belongs to the cluster in pgData: without one (its folder deleted to reset the admin password,
        // docs/security.md) initdb makes a cluster without it, which must be secured afresh like a new data dir.
        if (Files.exists(file) && Files.exists(pgData.resolve("PG_VERSION"))) {
            return new PasswordAuthentication(file, Files.readString(file, StandardCharsets.UTF_8).strip(), true);
        }
        var bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return new PasswordAuthentication(file, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), false);
    }

    /** Where the password of the cluster in {@code pgData} is kept: beside it, since initdb needs the folder empty. */
    static Path file(Path pgData) {
        return pgData.resolveSibling(FILE);
    }

    String password() {
        return password;
    }

    /** Before the server starts: the rules it must find in its data folder. */
    void writeRules(Path pgData) {
        write(pgData.resolve("pg_hba.conf"), rules(secured ? "scram-sha-256" : "trust"));
    }

    /** After the server started: on an unsecured data dir, set the password, ask for it, then keep it. */
    void secure(String jdbcUrl, Path pgData) throws IOException {
        if (secured) {
            return;
        }
        var properties = new Properties();
        properties.setProperty("user", USER);
        try (Connection c = DriverManager.getConnection(jdbcUrl, properties); Statement s = c.createStatement()) {
            // The password has only base64url characters: nothing to quote.
            s.execute("SET password_encryption = 'scram-sha-256'");
            s.execute("ALTER ROLE " + USER + " PASSWORD '" + password + "'");
            write(pgData.resolve("pg_hba.conf"), rules("scram-sha-256"));
            s.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IOException("could not set the embedded PostgreSQL's password: " + e.getMessage(), e);
        }
        Path partial = file.resolveSibling(FILE + ".partial");
        Files.deleteIfExists(partial);
        Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(partial, password + "\n", StandardCharsets.UTF_8);
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String rules(String method) {
        return "# Written by moescope on every start: every connection needs the password in ../" + FILE + "\n"
                + "local all all " + method + "\n"
                + "host all all 127.0.0.1/32 " + method + "\n"
                + "host all all ::1/128 " + method + "\n";
    }

    private static void write(Path path, String content) {
        try {
            Files.writeString(path, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + path, e);
        }
    }
}
