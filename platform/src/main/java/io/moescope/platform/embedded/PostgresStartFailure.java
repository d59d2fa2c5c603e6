package io.moescope.platform.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Why the embedded PostgreSQL did not start, as far as the failure tells, and what to do about that cause. Its port
 * is checked free before it starts ({@link FreePorts}), so a failure here is never answered with "free the port":
 * that advice sent users after the wrong fault.
 */
final class PostgresStartFailure {

    private PostgresStartFailure() {
    }

    /** @param pgData the server's data folder */
    static EmbeddedServerException explain(Path pgData, IOException e) {
        if (e instanceof FileSystemException folder) {
            return EmbeddedServerException.cannotUseDataFolder("PostgreSQL", folder);
        }
        SQLException last = sqlCause(e);
        // SQLSTATE class 28: invalid authorization; the server is up and refuses the password moescope keeps for it
        if (last != null && last.getSQLState() != null && last.getSQLState().startsWith("28")) {
            return new EmbeddedServerException("the embedded PostgreSQL (data in " + pgData + ") refused moescope's "
                    + "password: " + last.getMessage(), "The password in "
                    + PasswordAuthentication.file(pgData) + " is not this cluster's: put back the file that belongs to"
                    + " it, or reset the admin password as docs/security.md says (\"Lost it?\").", e);
        }
        Optional<Long> holder = livePostmaster(pgData);
        if (holder.isPresent()) {
            return EmbeddedServerException.folderHeld("PostgreSQL", pgData, "another process (pid " + holder.get()
                    + ", named in the folder's postmaster.pid)");
        }
        // PostgreSQL's own account (zonky logs the server's output at INFO) is the only place the cause is named
        return new EmbeddedServerException("the embedded PostgreSQL (data in " + pgData + ") did not start: "
                + e.getMessage() + (last == null ? "" : "; last error: " + last.getMessage()),
                "PostgreSQL's own messages say why (a cluster of another PostgreSQL version, a damaged cluster, too"
                        + " little memory or disk): start again with"
                        + " --logging.level.io.zonky.test.db.postgres.embedded=INFO to see them, or set"
                        + " spring.datasource.url to use your own PostgreSQL.", e);
    }

    /**
     * The running process the folder's {@code postmaster.pid} names: PostgreSQL refuses to start on a folder whose
     * server is alive. A server moescope can tell for its own orphan was stopped before the start ({@link
     * LeftoverPostgres}); one still named here belongs to someone else (another user's, or one it cannot identify).
     */
    private static Optional<Long> livePostmaster(Path pgData) {
        try {
            List<String> lines = Files.readAllLines(pgData.resolve("postmaster.pid"), StandardCharsets.US_ASCII);
            if (lines.isEmpty() || !lines.get(0).strip().matches("\\d{1,18}")) {
                return Optional.empty();
            }
            long pid = Long.parseLong(lines.get(0).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(ProcessHandle::pid);
        } catch (IOException e) {
            return Optional.empty(); // no file (the usual case), or unreadable: nothing to tell
        }
    }

    /** zonky's "Gave up waiting for server to start" carries the last connection attempt's error as its cause. */
    private static SQLException sqlCause(Throwable e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }
}
