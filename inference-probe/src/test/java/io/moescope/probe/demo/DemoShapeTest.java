package io.moescope.probe.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.probe.checkpoint.MoeConfig;
import org.junit.jupiter.api.Test;

class DemoShapeTest {

    @Test
    void theOlmoeLikeShapeRoutesLikeOlmoe1b7bWithNarrowerWidths() {
        MoeConfig c = DemoShape.OLMOE_LIKE.config();
        assertThat(c.architecture()).isEqualTo("OlmoeForCausalLM");
        assertThat(c.numExperts()).isEqualTo(64);
        assertThat(c.topK()).isEqualTo(8);
        assertThat(c.moeLayers()).hasSize(16);
        assertThat(c.normTopKProb()).isFalse();
        assertThat(c.hiddenSize()).isEqualTo(256);
        assertThat(c.intermediateSize()).isEqualTo(128);
    }

    @Test
    void theDemoShapeIsTheDemoModel() {
        assertThat(DemoShape.DEMO.config()).isEqualTo(DemoModelSpec.defaults().toConfig());
    }

    @Test
    void shapesAreFoundByTheirCommandLineNames() {
        assertThat(DemoShape.byCliName("olmoe-like")).isEqualTo(DemoShape.OLMOE_LIKE);
        assertThat(DemoShape.byCliName("demo")).isEqualTo(DemoShape.DEMO);
    }

    @Test
    void anUnknownShapeIsRefusedWithTheKnownOnes() {
        assertThatThrownBy(() -> DemoShape.byCliName("mixtral")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown demo shape 'mixtral'; known: demo, olmoe-like");
    }
}
