package io.moescope.traces.delivery;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * How a {@link KafkaRoutingSink} buffers.
 *
 * @param queueBytes    encoded bytes of the records waiting in memory before new ones go to the spool file
 * @param inFlightBytes encoded bytes of the records handed to the producer but not yet acknowledged; below the
 *                      producer's {@code buffer.memory} (32 MiB by default), so that a send never blocks on it
 * @param spoolFile     where records go while the broker cannot take them; deleted when all were delivered
 * @param closeTimeout  how long {@code close()} waits for the broker to acknowledge everything
 */
public record DeliveryOptions(long queueBytes, int inFlightBytes, Path spoolFile, Duration closeTimeout) {

    private static final int MIB = 1024 * 1024;

    public DeliveryOptions {
        if (queueBytes < 1 || inFlightBytes < 1) {
            throw new IllegalArgumentException("queue bytes and in-flight bytes must be positive but are "
                    + queueBytes + " and " + inFlightBytes);
        }
        if (closeTimeout.isNegative() || closeTimeout.isZero()) {
            throw new IllegalArgumentException("the close timeout must be positive but is " + closeTimeout);
        }
    }

    /** 32 MiB queued, 16 MiB in flight, a fresh spool file in the temp folder, 2 minutes to close. */
    public static DeliveryOptions defaults() {
        return new DeliveryOptions(32L * MIB, 16 * MIB, freshSpoolFile(), Duration.ofMinutes(2));
    }

    /** A new file name in the temp folder, so that deliveries running side by side never share a spool. */
    public static Path freshSpoolFile() {
        return Path.of(System.getProperty("java.io.tmpdir"), "moescope-spool-" + UUID.randomUUID() + ".bin");
    }

    public DeliveryOptions withSpoolFile(Path file) {
        return new DeliveryOptions(queueBytes, inFlightBytes, file, closeTimeout);
    }

    public DeliveryOptions withCloseTimeout(Duration timeout) {
        return new DeliveryOptions(queueBytes, inFlightBytes, spoolFile, timeout);
    }
}
