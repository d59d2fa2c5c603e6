package io.moescope.traces.export;

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
    void theHeaderNamesTheFormatItsVersionTheRunItsTokenCountAndEveryFieldOfTheModel() {
        assertThat(new ExportHeader("night-run", MODEL, 42).toJson()).isEqualTo("{\"format\":\"moescope-export\","
                + "\"version\":2,\"run\":\"night-run\",\"tokens\":42,\"model\":{\"name\":\"tiny-mixtral\","
                + "\"architecture\":\"MixtralForCausalLM\",\"numExperts\":8,\"topK\":2,\"numLayers\":3,"
                + "\"moeLayers\":[1,2],\"totalParameters\":1000000,\"activeParameters\":300000}}");
    }

    @Test
    void aWrittenHeaderParsesBackToTheSameRunModelAndTokenCount() {
        var header = new ExportHeader("night-run", MODEL, 42);
        assertThat(ExportHeader.parse(header.toJson())).isEqualTo(header);
    }

    @Test
    void theHeaderOfARunWhoseRequestsCannotBeToldApartSaysWhyAfterTheModel() {
        var header = new ExportHeader("night-run", MODEL, 42, "one req_id for every prompt");

        assertThat(header.toJson()).endsWith("\"activeParameters\":300000},"
                + "\"requestsNotSeparable\":\"one req_id for every prompt\"}");
        assertThat(ExportHeader.parse(header.toJson())).isEqualTo(header);
    }

    @Test
    void aHeaderWithoutTheFieldIsOfARunWhoseRequestsCanBeToldApart() {
        assertThat(ExportHeader.parse(new ExportHeader("night-run", MODEL, 42).toJson()).requestsNotSeparable())
                .isNull();
    }

    @Test
    void aVersion1HeaderStillReadsAndAnnouncesNoTokenCount() {
        String version1 = new ExportHeader("old", MODEL, 42).toJson().replace("\"version\":2", "\"version\":1")
                .replace(",\"tokens\":42", "");

        var header = ExportHeader.parse(version1);

        assertThat(header.runName()).isEqualTo("old");
        assertThat(header.tokens()).isEmpty();
    }

    @Test
    void aVersion2HeaderWithoutItsTokenCountIsRefused() {
        assertThatThrownBy(() -> ExportHeader.parse("{\"format\":\"moescope-export\",\"version\":2}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("export version 2 header without its \"tokens\" count");
    }

    @Test
    void aHeaderOfANewerVersionIsRefusedNamingTheVersionsThisBuildReads() {
        assertThatThrownBy(() -> ExportHeader.parse("{\"format\":\"moescope-export\",\"version\":3}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("export version 3 (this build reads 1 to 2)");
    }

    @Test
    void anObjectWithoutTheFormatMarkIsNotAHeader() {
        assertThatThrownBy(() -> ExportHeader.parse("{\"run\":\"x\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not a moescope export header");
    }
}
