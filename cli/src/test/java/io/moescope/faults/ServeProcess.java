package io.moescope.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@code java -jar moescope.jar serve} in a process of its own, as the launcher runs it: embedded PostgreSQL and
 * Kafka on fixed ports and a data dir that survive the process, so that a test can kill it like a crash does and
 * start it again on the same data.
 *
 * @param jar            the packaged application (failsafe passes {@code moescope.jar})
 * @param dataDir        {@code moescope.data-dir}
 * @param pgWorkingDir   where zonky unpacks the PostgreSQL binaries ({@code ot.epg.working-dir})
 * @param ports          the servers' ports
 * @param log            stdout and stderr of every start, appended
 */
record ServeProcess(Path jar, Path dataDir, Path pgWorkingDir, Ports ports, Path log) {

    static final String STARTED = "Started MoescopeCli in";

    /**
     * How long a start may take before a test gives up: a ceiling, not a speed check. A start takes well under a
     * minute on a quiet 2-core machine, but over 3 minutes was seen at load average 20 (other builds beside it).
     */
    static final Duration START_TIMEOUT = Duration.ofMinutes(8);

    /** HTTP, embedded Kafka and embedded PostgreSQL ports. */
    record Ports(int http, int kafka, int postgres) {

        static Ports free() throws IOException {
            return new Ports(freePort(), freePort(), freePort());
        }

        private static int freePort() throws IOException {
            try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            }
        }
    }

    static Path packagedJar() {
        Path jar = Path.of(System.getProperty("moescope.jar", "target/moescope.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no packaged application at " + jar + ": run with mvn verify");
        }
        return jar;
    }

    /**
     * The embedded PostgreSQL as the application reaches it: with the password its first start wrote beside the
     * database (call after a start).
     */
    PGSimpleDataSource database() throws IOException {
        var db = new PGSimpleDataSource();
        db.setURL("jdbc:postgresql://localhost:" + ports.postgres() + "/postgres");
        db.setUser("postgres");
        db.setPassword(Files.readString(dataDir.resolve("postgres.password")).strip());
        return db;
    }

    String bootstrapServers() {
        return "localhost:" + ports.kafka();
    }

    /** Starts the application without waiting for it. */
    Process launch(String... extraArguments) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = new ArrayList<>(List.of(java, "-Xmx1g", "-Dai.djl.offline=true",
                "-Dot.epg.working-dir=" + pgWorkingDir, "-Dmoescope.data-dir=" + dataDir, "-jar", jar.toString(),
                "serve", "--server.port=" + ports.http(), "--moescope.embedded.kafka-port=" + ports.kafka(),
                "--moescope.embedded.postgres-port=" + ports.postgres(), "--moescope.demo.enabled=false"));
        command.addAll(List.of(extraArguments));
        try {
            Files.createDirectories(log.getParent());
            var builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            Optional.ofNullable(System.getProperty("DJL_CACHE_DIR"))
                    .ifPresent(dir -> builder.environment().put("DJL_CACHE_DIR", dir));
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command, e);
        }
    }

    /** Starts the application and waits until it says it has started. */
    Process start(Duration timeout) throws IOException, InterruptedException {
        long startedBefore = count(STARTED);
        Process process = launch();
        Instant deadline = Instant.now().plus(timeout);
        while (count(STARTED) == startedBefore) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moescope exited with " + process.exitValue() + ":\n" + tail(40));
            }
            if (Instant.now().isAfter(deadline)) {
                killTree(process);
                throw new IllegalStateException("moescope not started after " + timeout + ":\n" + tail(40));
            }
            Thread.sleep(100);
        }
        return process;
    }

    /**
     * SIGKILL to the whole tree at once, as a crash of the machine's processes (or the OOM killer, or
     * {@code kill -9 -- -PGID} from an operator) does: the JVM with its in-process broker, and the embedded
     * PostgreSQL's postmaster and every backend, which pg_ctl detached from the JVM.
     */
    void killTree(Process process) throws IOException {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(process.toHandle());
        process.descendants().forEach(tree::add);
        postmaster().ifPresent(postmaster -> {
            tree.add(postmaster);
            postmaster.descendants().forEach(tree::add);
        });
        tree.forEach(ProcessHandle::destroyForcibly);
        tree.forEach(handle -> handle.onExit().orTimeout(60, TimeUnit.SECONDS).join());
    }

    /** The embedded PostgreSQL's postmaster, from the pid file it keeps in its data dir. */
    Optional<ProcessHandle> postmaster() throws IOException {
        Path pidFile = dataDir.resolve("postgres").resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
        return lines.isEmpty() ? Optional.empty()
                : ProcessHandle.of(Long.parseLong(lines.get(0).strip())).filter(ProcessHandle::isAlive);
    }

    /** A graceful stop (SIGTERM), as Ctrl-C or a service manager does. */
    static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("moescope did not stop within 90 s of SIGTERM");
        }
    }

    long count(String text) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
            return lines.filter(line -> line.contains(text)).count();
        }
    }

    String tail(int lines) throws IOException {
        if (!Files.exists(log)) {
            return "(no log)";
        }
        List<String> all = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
