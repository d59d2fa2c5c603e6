package io.moescope.platform.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo run is sent once per data dir unless every start asks for one. */
class DemoOnceTest {

    @TempDir
    Path modelDir;

    @Test
    void aFreshDataDirSendsTheDemo() throws Exception {
        assertThat(DemoOnce.in(modelDir, false).earlierRun()).isEmpty();
    }

    @Test
    void aDataDirThatSentOneDoesNotSendAnother() throws Exception {
        DemoOnce.in(modelDir, false).remember("run-1");
        assertThat(DemoOnce.in(modelDir, false).earlierRun()).hasValue("run-1");
    }

    @Test
    void everyStartSendsOneWhateverWasSentBefore() throws Exception {
        DemoOnce.in(modelDir, false).remember("run-1");
        assertThat(DemoOnce.in(modelDir, true).earlierRun()).isEmpty();
    }
}
