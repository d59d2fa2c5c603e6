package io.moescope.platform.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failed start of the embedded Kafka broker names its cause and the action for that cause, as PostgreSQL's does:
 * its port is checked free before it starts, so nothing else is answered with "free the port".
 */
class KafkaStartFailureTest {

    @TempDir
    Path dataDir;

    @Test
    void aLogFolderItCannotUseIsNamedWithTheDataDirsAction() throws IOException {
        Path notAFolder = Files.writeString(dataDir.resolve("kafka"), "");

        assertThatThrownBy(() -> EmbeddedKafkaBroker.start(notAFolder, 0))
                .isInstanceOfSatisfying(EmbeddedServerException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("the embedded Kafka broker cannot use its data folder: "
                            + notAFolder + " (FileAlreadyExistsException)");
                    assertThat(e.action()).isEqualTo("Let this user read and write the data dir (moescope makes it"
                            + " owner-only), or set moescope.data-dir (MOESCOPE_DATA_DIR) to a folder it may use.");
                });
    }

    /**
     * serve's data dir lock keeps a second serve out first; a moescope without it does not. Kafka itself would halt
     * the JVM on the held .lock instead of throwing.
     */
    @Test
    void aLogFolderAnotherBrokerHoldsIsNamedWithTheActionsForTheOtherMoescope() throws IOException {
        Path log = dataDir.resolve("kafka");
        try (var first = EmbeddedKafkaBroker.start(log, 0)) {
            assertThatThrownBy(() -> EmbeddedKafkaBroker.start(log, 0))
                    .isInstanceOfSatisfying(EmbeddedServerException.class, e -> {
                        assertThat(e.getMessage()).isEqualTo("the embedded Kafka broker's data folder " + log
                                + " is in use by another Kafka broker (it holds the folder's .lock)");
                        assertThat(e.action()).isEqualTo("Stop that moescope (or whatever holds the folder) first, or"
                                + " give this one a data dir of its own (MOESCOPE_DATA_DIR, or --moescope.data-dir).");
                    });
        }
    }

    @Test
    void aBrokerThatDidNotStartPointsAtKafkasOwnMessagesNotAtThePort() throws IOException {
        Path log = Files.createDirectories(dataDir.resolve("kafka"));
        // a log folder that says it was formatted, by no Kafka: the broker refuses it when it starts
        Files.writeString(log.resolve("meta.properties"), "version=7\n");

        assertThatThrownBy(() -> EmbeddedKafkaBroker.start(log, 0))
                .isInstanceOfSatisfying(EmbeddedServerException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("the embedded Kafka broker (log in " + log
                            + ") did not start: No readable meta.properties files found.");
                    assertThat(e.action()).isEqualTo("Kafka's own messages say why (a log folder of another Kafka"
                            + " version or cluster, a damaged log, too little memory or disk): start again with"
                            + " --logging.level.kafka=INFO to see them, or set spring.kafka.bootstrap-servers to use"
                            + " your own Kafka.");
                });
    }
}
