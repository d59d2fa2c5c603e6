package io.moescope.platform.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The embedded PostgreSQL outlives a moescope that is killed ({@code kill -9}, a crash, the OOM killer): pg_ctl
 * detaches the server, so it keeps the data dir and its port, and the next start would fail on them. Called only
 * while the {@link DataDirLock} is held, so a server still running on the data dir belongs to nobody. It is stopped
 * with SIGTERM, PostgreSQL's smart shutdown: the dead application's sessions are already gone, so the server writes
 * a shutdown checkpoint and ends. (pg_ctl is no help here: it refuses to run as root, which containers often are.)
 */
final class LeftoverPostgres {

    private static final long STOP_TIMEOUT_SECONDS = 60;

    private final ProcessHandle postmaster;

    private LeftoverPostgres(ProcessHandle postmaster) {
        this.postmaster = postmaster;
    }

    /**
     * The server running on {@code dataDir}, from the pid in its {@code postmaster.pid}; empty when there is none
     * or the pid now belongs to another program (PostgreSQL itself then treats the file as stale).
     */
    static Optional<LeftoverPostgres> find(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
        if (lines.isEmpty() || !lines.get(0).strip().matches("\\d+")) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(lines.get(0).strip()))
                .filter(ProcessHandle::isAlive)
                .flatMap(process -> process.info().command()
                        .map(Path::of)
                        .filter(command -> command.getFileName().toString().equals("postgres"))
                        .map(command -> new LeftoverPostgres(process)));
    }

    long pid() {
        return postmaster.pid();
    }

    /** Asks the server for a smart shutdown and waits until its process has ended. */
    void stop(Path dataDir) throws IOException {
        postmaster.destroy();
        try {
            postmaster.onExit().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the leftover PostgreSQL (pid " + pid() + ")", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the PostgreSQL (pid " + pid() + ") left running on " + dataDir
                    + " by an earlier moescope did not stop within " + STOP_TIMEOUT_SECONDS + " s", e);
        }
    }
}
