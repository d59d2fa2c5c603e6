package io.moescope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.cli.MoescopeCli;
import io.moescope.events.HalfFloat;
import io.moescope.events.ModelIdentity;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import io.moescope.platform.EmbeddedPlatformTest;
import io.moescope.traces.export.ExportFormat;
import io.moescope.traces.export.ExportHeader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code moescope import} (through the real broker and ingest) then {@code moescope export} (through the JSON API)
 * gives back the very file that was imported, and so does a second round.
 */
@TestPropertySource(properties = "moescope.demo.enabled=false")
class ImportExportRoundTripTest extends EmbeddedPlatformTest {

    private static final ModelIdentity MODEL = new ModelIdentity("tiny-moe", "MixtralForCausalLM", 8, 2, 3,
            List.of(0, 2), 1000L, 400L);

    @Autowired
    private TestRestTemplate http;
    @LocalServerPort
    private int port;
    @Value("${spring.kafka.bootstrap-servers}")
    private String bootstrapServers;
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(ExportFormat.class)
    void exportImportExportGivesIdenticalFiles(ExportFormat format) throws IOException {
        String name = "round-trip-" + format.id();
        Path original = Files.writeString(dir.resolve("original." + format.id()), exportAs(format, name, tokens()));

        // No --run: the run keeps the name in the file's header, or the export's header would differ.
        Path first = importAndExport(original, name, format, 1);
        Path second = importAndExport(first, name, format, 2);

        assertThat(Files.readString(first)).isEqualTo(Files.readString(original));
        assertThat(Files.readString(second)).isEqualTo(Files.readString(original));
    }

    private Path importAndExport(Path file, String name, ExportFormat format, int round) {
        int imported = MoescopeCli.commandLine().execute("import", "--bootstrap-servers", bootstrapServers,
                file.toString());
        assertThat(imported).isZero();
        await().atMost(Duration.ofSeconds(60)).until(() -> stored(name, round));
        Path out = dir.resolve("round-" + round + "." + format.id());
        int exported = MoescopeCli.commandLine().execute("export", "--run", newestRunNamed(name), "--format", format.id(),
                "--server", "http://localhost:" + port, "--out", out.toString());
        assertThat(exported).isZero();
        return out;
    }

    /** Runs are listed newest first: the first of that name is this round's. */
    private String newestRunNamed(String runName) {
        for (JsonNode run : http.getForObject("/api/runs?size=1000", JsonNode.class)) {
            if (runName.equals(run.path("name").asText())) {
                return run.path("runId").asText();
            }
        }
        throw new AssertionError("no run named " + runName);
    }

    @Test
    void aNameTwoRunsShareIsRefusedListingBothIds() throws IOException {
        Path file = Files.writeString(dir.resolve("twins.jsonl"), exportAs(ExportFormat.JSONL, "twins", tokens()));
        for (int round = 1; round <= 2; round++) {
            assertThat(MoescopeCli.commandLine().execute("import", "--bootstrap-servers", bootstrapServers,
                    file.toString())).isZero();
            int runs = round;
            await().atMost(Duration.ofSeconds(60)).until(() -> stored("twins", runs));
        }
        var err = new StringWriter();
        var cli = MoescopeCli.commandLine();
        cli.setErr(new PrintWriter(err, true));

        int exit = cli.execute("export", "--run", "twins", "--server", "http://localhost:" + port, "--out",
                dir.resolve("twins-out.jsonl").toString());

        assertThat(exit).isEqualTo(2);
        List<String> ids = new ArrayList<>();
        http.getForObject("/api/runs?size=1000", JsonNode.class).forEach(run -> {
            if ("twins".equals(run.path("name").asText())) {
                ids.add(run.path("runId").asText());
            }
        });
        assertThat(ids).hasSize(2);
        assertThat(err.toString()).contains("2 runs are named 'twins'; pass one id with --run: " + ids.get(0)
                + " (started ").contains(ids.get(1) + " (started ");
        assertThat(dir.resolve("twins-out.jsonl")).doesNotExist();
    }

    /** {@code runs} runs named {@code runName}, all finished and fully stored. */
    private boolean stored(String runName, int runs) {
        int complete = 0;
        for (JsonNode run : http.getForObject("/api/runs?size=1000", JsonNode.class)) {
            if (runName.equals(run.path("name").asText())) {
                if (!"FINISHED".equals(run.path("status").asText())
                        || run.path("tokens").asLong() != tokens().size()) {
                    return false;
                }
                complete++;
            }
        }
        return complete == runs;
    }

    /**
     * Four requests, prefill and decode, unknown weights and entropies among them, one of ids only (every weight and
     * entropy unknown: stored without them, the packed value's flags); request ids in C order.
     */
    private static List<TokenRouting> tokens() {
        List<TokenRouting> tokens = new ArrayList<>();
        float[] unknown = {Float.NaN, Float.NaN};
        for (String request : List.of("req-1", "req-2", "req,3", "req-ids")) {
            boolean idsOnly = request.equals("req-ids");
            for (int t = 0; t < 5; t++) {
                // weights a binary16 holds (V47 stores them so): the first export equals the original file
                float w = HalfFloat.round((t + request.hashCode() % 7) / 11f);
                tokens.add(new TokenRouting("x", request, t, 40 + t, t < 3 ? Phase.PREFILL : Phase.DECODE,
                        1_763_900_000_000_001L + 1000L * t, List.of(
                        new RouterDecision(0, new int[] {t % 8, (t + 3) % 8},
                                idsOnly ? unknown : new float[] {w, HalfFloat.round(1 - w)},
                                idsOnly ? Float.NaN : 1.5f + t),
                        new RouterDecision(2, new int[] {7, t % 7}, unknown, Float.NaN))));
            }
        }
        tokens.sort(java.util.Comparator.comparing(TokenRouting::requestId));
        return tokens;
    }

    private static String exportAs(ExportFormat format, String name, List<TokenRouting> tokens) throws IOException {
        var out = new StringWriter();
        var writer = format.open(out, new ExportHeader(name, MODEL, tokens.size()));
        for (TokenRouting t : tokens) {
            writer.token(t);
        }
        writer.end();
        return out.toString();
    }
}
