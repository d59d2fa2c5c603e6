package io.moescope.ingest.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@link IngestChildApp} in a separate JVM: the ingest wiring alone, so that a test can kill it like a crash does
 * ({@link #kill()}: SIGKILL, no shutdown hook, no offset commit, no consumer leaving its group) and start another.
 */
public final class IngestProcess implements AutoCloseable {

    static final String READY = "moescope-ingest-child-ready";

    private final Process process;
    private final Path log;

    private IngestProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts a child and waits until its context is up (listeners started). */
    public static IngestProcess start(Path log, Map<String, String> properties, Duration timeout) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), IngestChildApp.class.getName()));
        properties.forEach((k, v) -> command.add("--" + k + "=" + v));
        try {
            if (!Files.exists(log)) {
                Files.createFile(log);
            }
            long readyBefore = readyLines(log);
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            var child = new IngestProcess(process, log);
            child.awaitReady(timeout, readyBefore);
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start an ingest process", e);
        }
    }

    /** Like a crash or {@code kill -9}: the JVM gets no chance to do anything. */
    public void kill() {
        process.destroyForcibly();
        waitFor();
    }

    /** A graceful stop (SIGTERM): shutdown hooks run, consumers leave their group. */
    public void stop() {
        process.destroy();
        waitFor();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    private void waitFor() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("ingest process " + process.pid() + " did not end");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitReady(Duration timeout, long readyBefore) throws IOException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (readyLines(log) > readyBefore) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("ingest process exited with " + process.exitValue() + ", see " + log);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        close();
        throw new IllegalStateException("ingest process not ready after " + timeout + ", see " + log);
    }

    private static long readyLines(Path log) throws IOException {
        // The log is appended to by every child of a test; count the READY lines rather than look for one.
        try (var lines = Files.lines(log, java.nio.charset.StandardCharsets.ISO_8859_1)) {
            return lines.filter(READY::equals).count();
        }
    }
}
