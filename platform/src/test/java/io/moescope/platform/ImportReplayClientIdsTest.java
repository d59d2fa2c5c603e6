package io.moescope.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.moescope.platform.imports.ImportStatus;
import io.moescope.platform.imports.TraceImports;
import io.moescope.platform.replay.ReplayService;
import io.moescope.platform.replay.ReplayStatus;
import io.moescope.traces.importer.ModelHints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Imports and replays send under their own client ids, not the probe's, one per delivery: the broker's logs tell them
 * apart, and two producers of one id in one JVM (two imports at once) make Kafka warn "Error registering AppInfo
 * mbean".
 */
@TestPropertySource(properties = "moescope.demo.enabled=false")
class ImportReplayClientIdsTest extends EmbeddedPlatformTest {

    @Autowired
    private TraceImports imports;
    @Autowired
    private ReplayService replays;
    @Autowired
    private JdbcTemplate jdbc;
    @TempDir
    Path dir;

    @Test
    void eachImportSendsAsMoescopeImportWithANumberOfItsOwn() throws Exception {
        try (var ids = ProducerClientIds.recording()) {
            importFinished("upload-1.tmp");
            importFinished("upload-2.tmp");

            assertThat(ids.registered()).doesNotContain("moescope-probe", "moescope-import");
            assertThat(ids.registered()).filteredOn(id -> id.startsWith("moescope-import")).hasSize(2)
                    .doesNotHaveDuplicates().allMatch(id -> id.matches("moescope-import-[0-9]+"));
        }
    }

    private void importFinished(String uploadName) throws Exception {
        Path upload = Files.writeString(dir.resolve(uploadName), "{\"dataset\":\"d\",\"problem_id\":0,\"layer\":0,"
                + "\"token_idx\":0,\"experts\":[1,2],\"gating_probs\":[0.75,0.25]}\n");
        String importId = imports.start(upload, "trace.jsonl", Optional.empty(), Optional.empty(),
                ModelHints.NONE).importId();
        await().atMost(Duration.ofSeconds(60)).until(() -> imports.status(importId).map(ImportStatus::state)
                .filter(state -> !state.equals("SCANNING") && !state.equals("SENDING")).isPresent());
        assertThat(imports.status(importId).orElseThrow().state()).isEqualTo("FINISHED");
    }

    @Test
    void aReplaySendsAsMoescopeReplayWithANumber() {
        new StoredRuns(jdbc).store("replay-source", "to replay", 8, 1, StoredRuns.RUN_A);
        try (var ids = ProducerClientIds.recording()) {
            String replayId = replays.start("replay-source", 0).orElseThrow().replayId();
            await().atMost(Duration.ofSeconds(60)).until(() -> replays.status(replayId).map(ReplayStatus::state)
                    .filter(state -> !state.equals("RUNNING")).isPresent());

            assertThat(replays.status(replayId).orElseThrow().state()).isEqualTo("FINISHED");
            assertThat(ids.registered()).doesNotContain("moescope-probe", "moescope-replay")
                    .anyMatch(id -> id.matches("moescope-replay-[0-9]+"));
        }
    }
}
