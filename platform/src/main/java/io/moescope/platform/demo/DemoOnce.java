package io.moescope.platform.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The demo run is streamed once per data dir: every start adding another "demo" run (3 starts, 3 runs) buries the
 * user's own runs and makes {@code --run demo} ambiguous. A file beside the demo checkpoint remembers the run
 * sent; {@code moescope.demo.every-start=true} asks for a new one on every start.
 *
 * @param marker     the file that holds the id of the demo run sent from this data dir
 * @param everyStart stream even when one was sent before
 */
record DemoOnce(Path marker, boolean everyStart) {

    static DemoOnce in(Path modelDir, boolean everyStart) {
        return new DemoOnce(modelDir.resolve("streamed-run"), everyStart);
    }

    /** @return the run an earlier start sent, when this start should not send another */
    Optional<String> earlierRun() throws IOException {
        if (everyStart || !Files.exists(marker)) {
            return Optional.empty();
        }
        return Optional.of(Files.readString(marker, StandardCharsets.UTF_8).strip());
    }

    /** Called once the run is sent (every record acknowledged by Kafka). */
    void remember(String runId) throws IOException {
        Files.createDirectories(marker.getParent());
        Files.writeString(marker, runId + "\n", StandardCharsets.UTF_8);
    }
}
