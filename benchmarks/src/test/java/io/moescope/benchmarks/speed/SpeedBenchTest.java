package io.moescope.benchmarks.speed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.probe.demo.DemoCheckpointWriter;
import io.moescope.probe.demo.DemoModelSpec;
import io.moescope.probe.demo.DemoProgress;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpeedBenchTest {

    @Test
    void aMixtralCheckpointGetsItsStepsAndTheirMatmulFloorAtTheThreadCountAsked(@TempDir Path dir)
            throws IOException {
        new DemoCheckpointWriter(DemoModelSpec.defaults()).write(dir, DemoProgress.NONE);
        SpeedReport r = new SpeedBench(5, 3, 2).run(dir, 1);
        assertThat(r.intraOpThreads()).isEqualTo(1);
        assertThat(r.promptTokens()).isEqualTo(5);
        assertThat(r.newTokens()).isEqualTo(3);
        assertThat(r.coldPrefill().wallSeconds()).isPositive();
        assertThat(r.prefill().wallSeconds()).isPositive();
        assertThat(r.decode().wallSeconds()).isPositive();
        assertThat(r.floorPrefill().wallSeconds()).isPositive();
        assertThat(r.floorDecode().wallSeconds()).isPositive();
        assertThat(r.prefillTokensPerSecond()).isEqualTo(5 / r.prefill().wallSeconds());
        assertThat(r.decodeTokensPerSecond()).isEqualTo(1 / r.decode().wallSeconds());
    }

    @Test
    void stepsBeyondTheModelsPositionsAreRefusedWithTheBound(@TempDir Path dir) throws IOException {
        var spec = DemoModelSpec.defaults();
        new DemoCheckpointWriter(spec).write(dir, DemoProgress.NONE);
        int positions = spec.toConfig().maxPositionEmbeddings();
        assertThatThrownBy(() -> new SpeedBench(positions, 1, 1).run(dir, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prompt tokens + new tokens (" + (positions + 1) + ") exceed the model's "
                        + "max_position_embeddings " + positions);
    }

    @Test
    void countsBelowOneAreRefused() {
        assertThatThrownBy(() -> new SpeedBench(29, 0, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prompt tokens, new tokens and repeats must be at least 1 but were 29, 0 and 3");
    }
}
