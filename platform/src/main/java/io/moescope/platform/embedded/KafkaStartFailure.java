package io.moescope.platform.embedded;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Why the embedded Kafka broker did not start, as far as the failure tells, and what to do about that cause, as
 * {@link PostgresStartFailure} says it for PostgreSQL. Its port is checked free before it starts ({@link FreePorts}),
 * so a failure here is never answered with "free the port".
 */
final class KafkaStartFailure {

    private KafkaStartFailure() {
    }

    /**
     * Fails when another broker holds {@code logDir}'s {@code .lock}: Kafka's own start would find it too, and then
     * end the whole process (its fatal-fault handler halts the JVM) instead of throwing.
     */
    static void requireNotHeld(Path logDir) throws IOException {
        Path lockFile = logDir.resolve(".lock");
        if (!Files.exists(lockFile)) {
            return;
        }
        try (var channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw held(logDir);
            }
            lock.release();
        } catch (OverlappingFileLockException e) {
            throw held(logDir); // a broker in this JVM holds it
        }
    }

    private static EmbeddedServerException held(Path logDir) {
        return EmbeddedServerException.folderHeld("Kafka broker", logDir, "another Kafka broker (it holds the"
                + " folder's .lock)");
    }

    /**
     * @param logDir the broker's log folder
     * @param e      what its start threw: a file-system failure, the log folder's format failing, or the broker's own
     */
    static EmbeddedServerException explain(Path logDir, Exception e) {
        if (e instanceof FileSystemException folder) {
            return EmbeddedServerException.cannotUseDataFolder("Kafka broker", folder);
        }
        // the broker's own log (kafka.*, at WARN in serve) is the only place the cause is named in full
        return new EmbeddedServerException("the embedded Kafka broker (log in " + logDir + ") did not start: "
                + e.getMessage(), "Kafka's own messages say why (a log folder of another Kafka version or cluster,"
                + " a damaged log, too little memory or disk): start again with --logging.level.kafka=INFO to see"
                + " them, or set spring.kafka.bootstrap-servers to use your own Kafka.", e);
    }
}
