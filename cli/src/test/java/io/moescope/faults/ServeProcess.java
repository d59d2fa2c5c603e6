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
 * start it again on the same data. With an external database, the application writes to that server instead of
 * the embedded PostgreSQL ({@code spring.datasource.*}); Kafka stays embedded.
 *
 * @param jar              the packaged application (failsafe passes {@code moescope.jar})
 * @param dataDir          {@code moescope.data-dir}
 * @param pgWorkingDir     where zonky unpacks the PostgreSQL binaries ({@code ot.epg.working-dir})
 * @param ports            the servers' ports
 * @param log              stdout and stderr of every start, appended
 * @param externalDatabase the PostgreSQL the application writes to, or null for the embedded one
 */
record ServeProcess(Path jar, Path dataDir, Path pgWorkingDir, Ports ports, Path log,
                    ExternalDatabase externalDatabase) {

    static final String STARTED = "Started MoescopeCli in";

    /**
     * How long a start may take before a test gives up: a ceiling, not a speed check. A start takes well under a
     * minute on a quiet 2-core machine, but over 3 minutes was seen at load average 20 (other builds beside it).
     */
    static final Duration START_TIMEOUT = Duration.ofMinutes(8);

    /** On the embedded PostgreSQL. */
    ServeProcess(Path jar, Path dataDir, Path pgWorkingDir, Ports ports, Path log) {
        this(jar, dataDir, pgWorkingDir, ports, log, null);
    }

    /** A PostgreSQL server of one's own, as {@code spring.datasource.url}, {@code username} and {@code password}. */
    record ExternalDatabase(String url, String username, String password) {
    }

    /** HTTP, embedded Kafka and embedded PostgreSQL ports. */
    record Ports(int http, int kafka, int postgres) {

        static Ports free() throws IOException {
            return new Ports(freePort(), freePort(), freePort());
        }

        static int freePort() throws IOException {
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
     * The database as the application reaches it: the external one, or the embedded PostgreSQL with the password its
     * first start wrote beside the database (call after a start).
     */
    PGSimpleDataSource database() throws IOException {
        var db = new PGSimpleDataSource();
        if (externalDatabase != null) {
            db.setURL(externalDatabase.url());
            db.setUser(externalDatabase.username());
            db.setPassword(externalDatabase.password());
            return db;
        }
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
                "--moescope.demo.enabled=false"));
        if (externalDatabase == null) {
            command.add("--moescope.embedded.postgres-port=" + ports.postgres());
        } else {
            command.addAll(List.of("--spring.datasource.url=" + externalDatabase.url(),
                    "--spring.datasource.username=" + externalDatabase.username(),
                    "--spring.datasource.password=" + externalDatabase.password()));
        }
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
        killTree(process, List.of());
    }

    /**
     * {@link #killTree(Process)}, and in the same sweep {@code others} with all their descendants: an external
     * database server that crashes together with the application.
     */
    void killTree(Process process, List<ProcessHandle> others) throws IOException {
        List<ProcessHandle> roots = new ArrayList<>();
        roots.add(process.toHandle());
        postmaster().ifPresent(roots::add);
        roots.addAll(others);
        List<ProcessHandle> tree = new ArrayList<>();
        for (ProcessHandle root : roots) {
            tree.add(root);
            root.descendants().forEach(tree::add);
        }
        tree.forEach(ProcessHandle::destroyForcibly);
        tree.forEach(handle -> handle.onExit().orTimeout(60, TimeUnit.SECONDS).join());
    }

    /** The embedded PostgreSQL's postmaster, from the pid file it keeps in its data dir. */
    Optional<ProcessHandle> postmaster() throws IOException {
        return postmaster(dataDir.resolve("postgres"));
    }

    /** The live postmaster of a PostgreSQL data dir, from the pid file the server keeps there. */
    static Optional<ProcessHandle> postmaster(Path pgDataDir) throws IOException {
        Path pidFile = pgDataDir.resolve("postmaster.pid");
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
