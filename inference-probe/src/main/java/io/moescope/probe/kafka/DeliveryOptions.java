package io.moescope.probe.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * How a {@link KafkaRoutingSink} buffers.
 *
 * @param queueCapacity records waiting in memory before new ones go to the spool file
 * @param maxInFlight   records handed to the producer but not yet acknowledged
 * @param spoolFile     where records go while the broker cannot take them; deleted when all were delivered
 * @param closeTimeout  how long {@code close()} waits for the broker to acknowledge everything
 */
public record DeliveryOptions(int queueCapacity, int maxInFlight, Path spoolFile, Duration closeTimeout) {

    public DeliveryOptions {
        if (queueCapacity < 1 || maxInFlight < 1) {
            throw new IllegalArgumentException("queue capacity and max in flight must be positive but are "
                    + queueCapacity + " and " + maxInFlight);
        }
    }

    /** 10,000 records queued, 10,000 in flight, a fresh spool file in the temp folder, 2 minutes to close. */
    public static DeliveryOptions defaults() {
        return new DeliveryOptions(10_000, 10_000,
                Path.of(System.getProperty("java.io.tmpdir"), "moescope-spool-" + UUID.randomUUID() + ".bin"),
                Duration.ofMinutes(2));
    }

    public DeliveryOptions withSpoolFile(Path file) {
        return new DeliveryOptions(queueCapacity, maxInFlight, file, closeTimeout);
    }
}
