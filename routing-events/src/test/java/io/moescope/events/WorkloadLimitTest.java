package io.moescope.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class WorkloadLimitTest {

    private static final RunWorkload WORKLOAD = new RunWorkload("run-1",
            new ModelIdentity("demo", "MixtralForCausalLM", 8, 2, 2, List.of(0, 1), 1000, 400), "/models/demo",
            new RunWorkload.Generation(16, 0.0, 1.0, 7, List.of(2), 0, "LRU"),
            List.of(new RunWorkload.Request("req-1", "Hello", List.of(), OptionalLong.empty()),
                    new RunWorkload.Request("req-2", "Hi", List.of(), OptionalLong.empty())),
            Map.of(1, "<s>", 44, "Hi", 45, "Hello"));

    @Test
    void theDefaultLimitIsSixteenMebibytes() {
        assertThat(WorkloadLimit.DEFAULT.maxBytes()).isEqualTo(16_777_216);
    }

    @Test
    void kafkaIsConfiguredForTheLimitPlusSixtyFourKibibytesOfRecordFraming() {
        assertThat(WorkloadLimit.KAFKA_RECORD_BYTES).isEqualTo(16_777_216 + 65_536);
    }

    @Test
    void aWorkloadExactlyAtTheLimitPasses() {
        assertThatCode(() -> new WorkloadLimit(1000).require(WORKLOAD, 1000)).doesNotThrowAnyException();
    }

    @Test
    void aWorkloadOverTheLimitIsRefusedNamingItsSizeTheLimitAndWhatToDo() {
        assertThatThrownBy(() -> new WorkloadLimit(16_777_216).require(WORKLOAD, 20_971_521))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the workload of run run-1 is 20,971,521 bytes (20.0 MiB) with 2 requests and 3 token"
                        + " texts, above the limit of 16,777,216 bytes (16.0 MiB) for one run's recorded prompts;"
                        + " run fewer prompts per run (split the prompt file into several runs)");
    }

    @Test
    void aLimitMustBePositive() {
        assertThatThrownBy(() -> new WorkloadLimit(0)).hasMessage("a workload limit must be positive, got 0 bytes");
    }
}
