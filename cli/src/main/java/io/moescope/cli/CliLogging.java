package io.moescope.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outside {@code serve} no logging configuration is loaded, and logback's default writes every DEBUG line of the
 * Kafka client to standard output, burying the command's own output (its interface). Commands that use Kafka quiet
 * it for their duration (and restore it, since tests run commands inside a configured application).
 */
final class CliLogging implements AutoCloseable {

    private final Logger kafka;
    private final Level previous;

    private CliLogging(Logger kafka) {
        this.kafka = kafka;
        this.previous = kafka == null ? null : kafka.getLevel();
        if (kafka != null) {
            kafka.setLevel(Level.WARN);
        }
    }

    static CliLogging kafkaWarningsOnly() {
        return new CliLogging(LoggerFactory.getLogger("org.apache.kafka") instanceof Logger l ? l : null);
    }

    @Override
    public void close() {
        if (kafka != null) {
            kafka.setLevel(previous);
        }
    }
}
