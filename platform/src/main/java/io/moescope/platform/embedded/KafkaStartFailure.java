package io.moescope.platform.embedded;

import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * Why the embedded Kafka broker did not start, as far as the failure tells, and what to do about that cause, as
 * {@link PostgresStartFailure} says it for PostgreSQL. Its port is checked free before it starts ({@link FreePorts}),
 * so a failure here is never answered with "free the port".
 */
final class KafkaStartFailure {

    private KafkaStartFailure() {
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
