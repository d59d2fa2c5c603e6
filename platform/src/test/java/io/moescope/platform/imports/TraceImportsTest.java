package io.moescope.platform.imports;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.traces.delivery.ProducerCompression;
import io.moescope.traces.importer.ModelHints;
import io.moescope.traces.importer.TraceFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.core.task.SyncTaskExecutor;

/** Imports of uploads that are refused before anything reaches Kafka (no broker needed). */
class TraceImportsTest {

    private final TraceImports imports = new TraceImports(new SyncTaskExecutor(), Clock.systemUTC(),
            new KafkaProperties(), ProducerCompression.EXTERNAL_BROKER);

    @TempDir
    Path dir;

    @Test
    void anUploadOfAnotherFormatThanTheOneChosenFailsNamingBothAndIsDeleted() throws Exception {
        Path upload = dir.resolve("upload-123.tmp");
        Files.writeString(upload, "{\"dataset\":\"d\",\"problem_id\":0,\"layer\":0,\"token_idx\":0,\"experts\":[1,2],"
                + "\"gating_probs\":[0.75,0.25]}\n");

        ImportStatus started = imports.start(upload, "trace.jsonl", Optional.of(TraceFormat.CSV), Optional.empty(),
                ModelHints.NONE);
        ImportStatus status = imports.status(started.importId()).orElseThrow();

        assertThat(status.state()).isEqualTo("FAILED");
        assertThat(status.fileName()).isEqualTo("trace.jsonl");
        assertThat(status.error()).contains("csv").contains("vllm-hook");
        assertThat(status.summary()).isEmpty();
        assertThat(upload).doesNotExist();
    }

    @Test
    void aCountsOnlyTraceWithoutTopKFailsSayingWhereTopKComesFrom() throws Exception {
        Path upload = dir.resolve("upload-124.tmp");
        Files.writeString(upload, "layer,expert\n0,1\n0,2\n1,3\n1,4\n");

        ImportStatus started = imports.start(upload, "moe-trace.csv", Optional.of(TraceFormat.LLAMA_CPP_MOE_TRACE),
                Optional.empty(), ModelHints.NONE);

        assertThat(imports.status(started.importId()).orElseThrow().error()).isEqualTo("moe-trace.csv: the trace"
                + " counts choices without recording tokens, so top-k cannot be derived from it; give --top-k,"
                + " --model-config or a known --model-id");
    }

    @Test
    void aTopKNoRowCouldHoldIsRefusedWithItsBoundAndTheUploadDeleted() throws Exception {
        Path upload = dir.resolve("upload-125.tmp");
        Files.writeString(upload, "layer,expert\n0,1\n");

        ImportStatus started = imports.start(upload, "moe-trace.csv", Optional.empty(), Optional.empty(),
                new ModelHints(null, null, null, null, 0, null));

        assertThat(started.state()).isEqualTo("FAILED");
        assertThat(started.error()).isEqualTo("top-k 0 is outside 1..32768");
        assertThat(upload).doesNotExist();
    }
}
