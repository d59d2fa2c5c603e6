package io.moescope.probe.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.probe.checkpoint.ConfigWriter;
import io.moescope.probe.demo.DemoModelSpec;
import io.moescope.traces.model.ModelConfig;
import io.moescope.traces.model.ParameterCounts;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntraOpThreadsTest {

    /** OLMoE-1B-7B: 1.28B active parameters per token (HfConfigsTest reproduces the count from its config). */
    private static final long OLMOE_ACTIVE = 1_282_017_280L;

    @Test
    void aLargeModelGetsEveryProcessorButOne() {
        assertThat(IntraOpThreads.choose(16, OLMOE_ACTIVE)).isEqualTo(15);
        assertThat(IntraOpThreads.choose(8, OLMOE_ACTIVE)).isEqualTo(7);
    }

    @Test
    void aTwoCoreMachineRunsOneThreadWhateverTheModel() {
        assertThat(IntraOpThreads.choose(2, OLMOE_ACTIVE)).isEqualTo(1);
    }

    @Test
    void aSingleProcessorStillGetsOneThread() {
        assertThat(IntraOpThreads.choose(1, OLMOE_ACTIVE)).isEqualTo(1);
    }

    @Test
    void theDemoModelRunsOnOneThreadEvenOnAManyCoreMachine(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("config.json");
        new ConfigWriter(ConfigWriter.Layout.RELEASED).write(DemoModelSpec.defaults().toConfig(), config);
        long active = ParameterCounts.of(ModelConfig.read(config)).active();
        assertThat(IntraOpThreads.choose(64, active)).isEqualTo(1);
    }

    @Test
    void aMidSizedModelGetsOneThreadPerFiftyMillionActiveParameters() {
        assertThat(IntraOpThreads.choose(16, 120_000_000L)).isEqualTo(2);
        assertThat(IntraOpThreads.choose(16, 199_999_999L)).isEqualTo(3);
    }

    @Test
    void noProcessorsIsRejected() {
        assertThatThrownBy(() -> IntraOpThreads.choose(0, OLMOE_ACTIVE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("processors must be at least 1 and active parameters not negative but were 0 and "
                        + OLMOE_ACTIVE);
    }
}
