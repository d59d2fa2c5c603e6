package io.moescope.traces.importer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutedExpertsImporterTest extends TraceImporterContract {

    @Override
    TraceImporter importer() {
        return new RoutedExpertsImporter();
    }

    @Override
    ImportOptions options() {
        return ImportOptions.defaults().withHints(new ModelHints(null, null, null, 8, null, null));
    }

    @Override
    List<String> trace() {
        // vLLM: 3 tokens (1 prompt) -> 2 routed rows; SGLang: 2 + 2 tokens -> 3 rows, third slot a shared expert (255).
        return List.of(
                "{\"request_id\":\"v1\",\"num_prompt_tokens\":1,\"routed_experts\":[[[0,1],[2,3]],[[4,5],[6,7]]]}",
                "{\"rid\":\"s1\",\"top_k\":3,\"meta_info\":{\"prompt_tokens\":2,\"completion_tokens\":2,"
                        + "\"routed_experts\":\"" + base64(1, 2, 255, 3, 4, 255, 5, 6, 255, 7, 0, 255, 1, 3, 255,
                        2, 4, 255) + "\"}}");
    }

    @Override
    List<String> expectedTokens() {
        return List.of("s1#0 PREFILL 0:[1, 2] 1:[3, 4]", "s1#1 PREFILL 0:[5, 6] 1:[7, 0]",
                "s1#2 DECODE 0:[1, 3] 1:[2, 4]", "v1#0 PREFILL 0:[0, 1] 1:[2, 3]", "v1#1 DECODE 0:[4, 5] 1:[6, 7]");
    }

    @Test
    void reportsSharedExpertSlotsAsNotRouted() throws IOException {
        ImportReport report = importLines(trace(), new CollectingSink());
        assertThat(report.notRoutedIds()).isEqualTo(6);
    }

    @Test
    void leavesWeightsUnknownBecauseTheEnginesReturnIdsOnly() throws IOException {
        var sink = new CollectingSink();
        importLines(trace(), sink);
        assertThat(sink.tokens.get(0).decisions().get(0).weights()).containsExactly(Float.NaN, Float.NaN);
    }

    static String base64(int... ids) {
        ByteBuffer buffer = ByteBuffer.allocate(ids.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int id : ids) {
            buffer.putInt(id);
        }
        return Base64.getEncoder().encodeToString(buffer.array());
    }
}
