package io.moescope.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A TimescaleDB server of a test's own (Debian's PostgreSQL 15 with the extension that
 * {@code ../shared/timescaledb/start-timescaledb} builds, beside the repository), so that the test can kill it with
 * SIGKILL, postmaster and every backend, and start it again on the same data, as a crashed machine's server is.
 * Runs as root, as that script and CI do; the server itself runs as user {@code postgres}.
 */
final class TimescaleDbServerProcess implements AutoCloseable {

    private static final Path PG_CTL = Path.of("/usr/lib/postgresql/15/bin/pg_ctl");
    private static final Duration START_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration RESTART_RETRIES = Duration.ofMinutes(2);
    /** What {@code start-timescaledb} makes: a superuser whose password is its name, owning this database. */
    private static final String ROLE = "moescope";

    private final Path home;
    private final Path dataDir;
    private final Path log;
    private final String jdbcUrl;

    private TimescaleDbServerProcess(Path home, Path log, String jdbcUrl) {
        this.home = home;
        this.dataDir = home.resolve("data");
        this.log = log;
        this.jdbcUrl = jdbcUrl;
    }

    /**
     * Starts a new server on {@code port}, its data in a new folder under the temporary directory (user postgres
     * must reach it, which a folder under a private home may not allow). What the commands print goes to
     * {@code log}; the server's own log is copied beside it when the server is closed.
     */
    static TimescaleDbServerProcess start(int port, Path log) throws IOException, InterruptedException {
        Path script = startScript();
        Path home = Files.createTempDirectory("moescope-timescaledb");
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> printed = run(log, List.of(script.toString(), home.resolve("data").toString(),
                Integer.toString(port)));
        String url = printed.isEmpty() ? "" : printed.get(printed.size() - 1).strip();
        var server = new TimescaleDbServerProcess(home, log, url);
        if (!url.startsWith("jdbc:postgresql:")) {
            server.close();
            throw new IllegalStateException(script + " printed no JDBC URL on its last line: " + printed);
        }
        return server;
    }

    /** {@code ../shared/timescaledb/start-timescaledb} beside the repository that holds the working directory. */
    static Path startScript() {
        for (Path dir = Path.of("").toAbsolutePath(); dir.getParent() != null; dir = dir.getParent()) {
            Path script = dir.getParent().resolve(Path.of("shared", "timescaledb", "start-timescaledb"));
            if (Files.isExecutable(script)) {
                return script;
            }
        }
        throw new IllegalStateException("no ../shared/timescaledb/start-timescaledb beside the repository of "
                + Path.of("").toAbsolutePath());
    }

    /** As the application is configured for it: the superuser {@code moescope} on its database {@code moescope}. */
    ServeProcess.ExternalDatabase database() {
        return new ServeProcess.ExternalDatabase(jdbcUrl, ROLE, ROLE);
    }

    /** The postmaster, whose descendants are every other process of the server; empty when it is not running. */
    Optional<ProcessHandle> postmaster() throws IOException {
        return ServeProcess.postmaster(dataDir);
    }

    /**
     * Starts the server again on its data after it was killed (crash recovery replays its WAL before it accepts
     * connections). Tried again until {@link #RESTART_RETRIES} has passed: the killed postmaster stays a zombie until
     * init reaps it (seconds on these machines), and a new postmaster refuses its data dir while the pid in
     * {@code postmaster.pid} still exists; a backend forked just as its postmaster was killed likewise holds the
     * shared memory until it notices and exits.
     */
    void restart() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(RESTART_RETRIES);
        while (true) {
            try {
                run(log, pgCtl("start", "-l", dataDir.resolve("server.log").toString(), "-w", "-t",
                        Long.toString(START_TIMEOUT.toSeconds())));
                return;
            } catch (IllegalStateException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    /** Stops the server (fast shutdown, or SIGKILL if that fails), keeps its log beside ours, deletes its data. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (postmaster().isPresent()) {
            try {
                run(log, pgCtl("stop", "-m", "fast", "-w", "-t", "120"));
            } catch (IllegalStateException e) {
                Optional<ProcessHandle> postmaster = postmaster();
                postmaster.ifPresent(p -> p.descendants().forEach(ProcessHandle::destroyForcibly));
                postmaster.ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        Path serverLog = dataDir.resolve("server.log");
        if (Files.exists(serverLog)) {
            Files.copy(serverLog, log.resolveSibling("timescaledb-server.log"), StandardCopyOption.REPLACE_EXISTING);
        }
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> {
                try {
                    Files.delete(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private List<String> pgCtl(String action, String... options) {
        var command = new ArrayList<>(List.of("runuser", "-u", "postgres", "--", PG_CTL.toString(), "-D",
                dataDir.toString(), action));
        command.addAll(List.of(options));
        return command;
    }

    /** Runs a command to its end, its output appended to {@code log}; returns what it printed this time. */
    private static List<String> run(Path log, List<String> command) throws IOException, InterruptedException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        Path output = Files.createTempFile(log.toAbsolutePath().getParent(), "command", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(START_TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not end within " + START_TIMEOUT);
            }
            List<String> printed = Files.readAllLines(output, StandardCharsets.UTF_8);
            Files.writeString(log, "$ " + String.join(" ", command) + "\n" + String.join("\n", printed) + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(command + " exited with " + process.exitValue() + ":\n"
                        + String.join("\n", printed));
            }
            return printed;
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
