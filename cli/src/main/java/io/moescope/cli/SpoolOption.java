package io.moescope.cli;

import io.moescope.traces.delivery.DeliveryOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --spool}: where a live run's events wait while Kafka is away (probe, tap). */
final class SpoolOption {

    @Option(names = "--spool", paramLabel = "FILE",
            description = "Where events wait while the broker is unreachable; sent when it returns, deleted when "
                    + "all were delivered (default: a new file in the temp folder).")
    Path spool;

    /** The delivery defaults, spooling to {@code --spool} when given. */
    DeliveryOptions delivery() {
        return spool == null ? DeliveryOptions.defaults() : DeliveryOptions.defaults().withSpoolFile(spool);
    }
}
