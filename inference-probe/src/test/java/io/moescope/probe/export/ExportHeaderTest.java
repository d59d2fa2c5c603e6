package io.moescope.probe.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.events.ModelIdentity;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 8 "Export": the header that describes the model, first in both export formats. */
class ExportHeaderTest {

    private static final ModelIdentity MODEL = new ModelIdentity("tiny-mixtral", "MixtralForCausalLM", 8, 2, 3,
            List.of(1, 2), 1_000_000L, 300_000L);

    @Test
    void theHeaderNamesTheFormatItsVersionTheRunAndEveryFieldOfTheModel() {
        assertThat(new ExportHeader("night-run", MODEL).toJson()).isEqualTo("{\"format\":\"moescope-export\","
                + "\"version\":1,\"run\":\"night-run\",\"model\":{\"name\":\"tiny-mixtral\","
                + "\"architecture\":\"MixtralForCausalLM\",\"numExperts\":8,\"topK\":2,\"numLayers\":3,"
                + "\"moeLayers\":[1,2],\"totalParameters\":1000000,\"activeParameters\":300000}}");
    }

    @Test
    void aWrittenHeaderParsesBackToTheSameRunAndModel() {
        var header = new ExportHeader("night-run", MODEL);
        assertThat(ExportHeader.parse(header.toJson())).isEqualTo(header);
    }

    @Test
    void aHeaderOfAnotherVersionIsRefusedNamingBothVersions() {
        assertThatThrownBy(() -> ExportHeader.parse("{\"format\":\"moescope-export\",\"version\":2}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("export version 2 (this build reads 1)");
    }

    @Test
    void anObjectWithoutTheFormatMarkIsNotAHeader() {
        assertThatThrownBy(() -> ExportHeader.parse("{\"run\":\"x\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not a moescope export header");
    }
}
