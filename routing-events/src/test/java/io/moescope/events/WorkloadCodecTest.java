package io.moescope.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class WorkloadCodecTest {

    private final WorkloadCodec codec = new WorkloadCodec();

    @Test
    void aWorkloadRoundTripsWithTextAndChatPromptsAndAMissingArrival() {
        var model = new ModelIdentity("demo", "MixtralForCausalLM", 8, 2, 2, List.of(0, 1), 1000, 400);
        var workload = new RunWorkload("run-1", model, "/models/demo",
                new RunWorkload.Generation(16, 0.7, 0.9, 42, List.of(2), 3, "LFU"), List.of(
                        new RunWorkload.Request("req-1", "Hello", List.of(), OptionalLong.of(1_700_000_000_000_000L)),
                        new RunWorkload.Request("req-2", "", List.of(new RunWorkload.Message("system", "Be brief."),
                                new RunWorkload.Message("user", "Hi")), OptionalLong.empty())));

        assertThat(codec.decode(codec.encode(workload))).isEqualTo(workload);
    }

    @Test
    void aLifecycleRecordIsNotMistakenForAWorkload() {
        var model = new ModelIdentity("demo", "MixtralForCausalLM", 8, 2, 2, List.of(0, 1), 1000, 400);
        byte[] lifecycle = new EventCodec().encode(new RunLifecycle("r", "n", RunStatus.STARTED, 1L, "probe", model,
                0));
        assertThatThrownBy(() -> codec.decode(lifecycle)).isInstanceOf(EventDecodingException.class)
                .hasMessageStartingWith("not a run workload: ");
    }
}
