package io.moescope.platform.imports;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.traces.RecordingSink;
import io.moescope.traces.importer.ImportOptions;
import io.moescope.traces.importer.ImportReport;
import io.moescope.traces.importer.ModelHints;
import io.moescope.traces.importer.TraceImport;
import io.moescope.traces.model.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportSummaryTest {

    /** A gpt-oss config of 2 layers, 4 experts of width 8, hidden 8, 2 heads of 4, 1 KV head, vocabulary 16. */
    private static final String TINY_GPT_OSS = """
            {"architectures": ["GptOssForCausalLM"], "attention_bias": true, "head_dim": 4, "hidden_size": 8,
             "intermediate_size": 8, "model_type": "gpt_oss", "num_attention_heads": 2, "num_experts_per_tok": 2,
             "num_hidden_layers": 2, "num_key_value_heads": 1, "num_local_experts": 4,
             "tie_word_embeddings": false, "vocab_size": 16}""";

    @TempDir
    Path dir;

    @Test
    void theModelLineShowsTheConfigsParameterCounts() throws IOException {
        Path config = Files.writeString(dir.resolve("config.json"), TINY_GPT_OSS);
        Path trace = Files.writeString(dir.resolve("logits.jsonl"),
                "{\"request_id\":\"r\",\"token_idx\":0,\"layer\":0,\"logits\":[1,2,3,4]}\n"
                + "{\"request_id\":\"r\",\"token_idx\":0,\"layer\":1,\"logits\":[4,3,2,1]}\n");
        var options = ImportOptions.defaults().withHints(ModelHints.NONE.withModelConfig(ModelConfig.read(config)));
        ImportReport report = new TraceImport(Clock.systemUTC()).importFile(trace, options, new RecordingSink(), rows -> { });
        // per layer: attention 8 x (8 + 8 + 4 + 4) + biases 8 + 4 + 4 + 8 + 2 sinks = 218; 4 experts of
        // 8 x 16 + 16 + 8 x 8 + 8 = 216; router 4 x 8 + 4; norms 16. Embedding and head 2 x 16 x 8, final norm 8.
        // = 2,532. Active: 2 experts fewer per layer, 1,668; without the 128 of the input embedding, 1,540.
        assertThat(ImportSummary.lines(report)).contains("  model " + dir.getFileName() + " (GptOssForCausalLM): 4"
                + " experts, top-2, 2 MoE layers of 2; 2.53K parameters, 1.67K active per token (1.54K without the "
                + "input embedding)");
    }

    @Test
    void aRouteLogWithOneReqIdForABatchOfPromptsSaysItsRequestsAreNotSeparable() throws IOException {
        // vLLM's shape: req_id constant, token_idx restarting every forward pass; a 3-token prefill, then 2 decode
        // passes of 2 prompts each
        var lines = new ArrayList<String>(List.of("{\"type\":\"meta\",\"model_id\":"
                + "\"Qwen/Qwen1.5-MoE-A2.7B-Chat\",\"layers_logged\":[0],\"top_k\":4}"));
        int[] tokenIdx = {0, 1, 2, 0, 1, 0, 1};
        for (int row = 0; row < tokenIdx.length; row++) {
            int e = 4 * row;
            lines.add("{\"type\":\"route\",\"req_id\":\"0\",\"token_idx\":" + tokenIdx[row] + ",\"layer\":0,"
                    + "\"topk_ids\":[" + e + "," + (e + 1) + "," + (e + 2) + "," + (e + 3) + "],"
                    + "\"topk_weights\":[0.4,0.3,0.2,0.1]}");
        }
        Path trace = Files.write(dir.resolve("routes.jsonl"), lines);

        ImportReport report = new TraceImport(Clock.systemUTC()).importFile(trace, ImportOptions.defaults(),
                new RecordingSink(), rows -> { });

        assertThat(ImportSummary.lines(report)).contains("  requests: not separable, requests in stream '0': 2 of"
                + " its 2 forward passes after the first hold several tokens (up to 2; token_idx restarts every"
                + " pass), so consecutive tokens belong to different prompts; its tokens from forward pass 2 on are"
                + " stored with phase unknown, and sequence metrics (routing consistency, compare's overlap, warm-up"
                + " per request) do not describe real sequences");
    }

    @Test
    void aRouteLogWithOneRequestPerReqIdSaysNothingAboutRequests() throws IOException {
        Path trace = Files.write(dir.resolve("routes.jsonl"), List.of("{\"type\":\"meta\",\"model_id\":"
                + "\"Qwen/Qwen1.5-MoE-A2.7B-Chat\",\"layers_logged\":[0],\"top_k\":4}",
                "{\"type\":\"route\",\"req_id\":\"r1\",\"token_idx\":0,\"layer\":0,\"topk_ids\":[0,1,2,3]}",
                "{\"type\":\"route\",\"req_id\":\"r1\",\"token_idx\":0,\"layer\":0,\"topk_ids\":[4,5,6,7]}"));

        ImportReport report = new TraceImport(Clock.systemUTC()).importFile(trace, ImportOptions.defaults(),
                new RecordingSink(), rows -> { });

        assertThat(ImportSummary.lines(report)).noneMatch(line -> line.contains("requests:"));
    }
}
