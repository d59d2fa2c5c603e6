package io.moescope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MoescopeCliTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = MoescopeCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void helpListsTheCommands() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("serve", "demo-model", "probe", "bench");
    }

    @Test
    void probeHelpDocumentsOffloadingDeliveryAndGenerationOptions() {
        assertThat(run("probe", "--help")).isZero();
        assertThat(out.toString()).contains("--model", "--prompts", "--max-new-tokens", "--run",
                "--bootstrap-servers", "--expert-cache", "--cache-policy", "LRU, LFU", "--compression", "--spool",
                "--temperature", "--top-p", "--seed", "jsonl", "--threads");
    }

    @Test
    void probeAndReplayHelpListOnlyTheCachePoliciesTheLiveCacheRuns() {
        for (String command : new String[] {"probe", "replay"}) {
            out.getBuffer().setLength(0);
            assertThat(run(command, "--help")).isZero();
            assertThat(out.toString()).as(command).contains("--cache-policy", "LRU, LFU").doesNotContain("BELADY");
        }
    }

    @Test
    void probeRefusesBeladyByNameBeforeReadingAnything() {
        int status = run("probe", "--model", dir.toString(), "--prompts", dir.resolve("absent.txt").toString(),
                "--expert-cache", "2", "--cache-policy", "BELADY");
        assertThat(status).isEqualTo(ErrorMessageHandler.USER_ERROR);
        assertThat(err.toString().strip()).isEqualTo("moescope: --cache-policy BELADY needs the whole sequence in "
                + "advance; the probe's live cache supports LRU, LFU");
    }

    @Test
    void probeRefusesFewerThanOneThreadBeforeReadingAnything() {
        int status = run("probe", "--model", dir.toString(), "--prompts", dir.resolve("absent.txt").toString(),
                "--threads", "0");
        assertThat(status).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString().strip()).isEqualTo("moescope probe: --threads must be between 1 and "
                + Runtime.getRuntime().availableProcessors() + " but was 0 (moescope probe --help lists the options)");
    }

    @Test
    void replayRefusesBeladyByNameBeforeAskingThePlatform() {
        int status = run("replay", "--run", "r", "--model", dir.toString(), "--cache-policy", "BELADY",
                "--server", "http://localhost:1");
        assertThat(status).isEqualTo(ErrorMessageHandler.USER_ERROR);
        assertThat(err.toString().strip()).isEqualTo("moescope: --cache-policy BELADY needs the whole sequence in "
                + "advance; the probe's live cache supports LRU, LFU");
    }

    @Test
    void replayWithoutAModelRefusesACompressionItWouldNotUse() {
        int status = run("replay", "--run", "r", "--compression", "none", "--server", "http://localhost:1");
        assertThat(status).isEqualTo(ErrorMessageHandler.USER_ERROR);
        assertThat(err.toString().strip()).isEqualTo("moescope: --expert-cache, --cache-policy, --run-name and "
                + "--compression need --model");
    }

    @Test
    void benchHelpDocumentsItsOptions() {
        assertThat(run("bench", "--help")).isZero();
        assertThat(out.toString()).contains("--model", "--demo-shape", "--prompts", "--max-new-tokens", "--rounds",
                "--pairs", "--producer-events", "--intra-op-threads", "--compression", "--bootstrap-servers");
    }

    @Test
    void benchRefusesAnOddNumberOfRoundsNamingTheOption() {
        int status = run("bench", "--rounds", "3");
        assertThat(status).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString().strip()).isEqualTo("moescope bench: --rounds must be even (each parity runs "
                + "equally often) but was 3 (moescope bench --help lists the options)");
    }

    @Test
    void benchRefusesACheckpointAndGeneratedShapesTogether() {
        int status = run("bench", "--model", dir.toString(), "--demo-shape", "demo");
        assertThat(status).isEqualTo(ErrorMessageHandler.USER_ERROR);
        assertThat(err.toString().strip()).isEqualTo("moescope: --model and --demo-shape exclude each other: bench a "
                + "checkpoint or generated shapes");
    }

    @Test
    void probeWithAMissingCheckpointDirectoryStopsWithOneLineNamingIt() throws IOException {
        Path prompts = Files.writeString(dir.resolve("prompts.txt"), "hello\n");
        Path missing = dir.resolve("no-such-model");

        int status = run("probe", "--model", missing.toString(), "--prompts", prompts.toString());

        assertThat(status).isEqualTo(ErrorMessageHandler.USER_ERROR);
        assertThat(err.toString().strip()).startsWith("moescope: ").contains(missing.toString()).doesNotContain("\tat ");
        assertThat(err.toString().strip().lines()).hasSize(1);
    }

    @Test
    void probeWithAnUnknownArchitectureNamesItAndWhatIsSupported() throws IOException {
        Path model = Files.createDirectories(dir.resolve("model"));
        Files.writeString(model.resolve("config.json"), "{\"architectures\": [\"LlamaForCausalLM\"]}");
        Path prompts = Files.writeString(dir.resolve("prompts.txt"), "hello\n");

        int status = run("probe", "--model", model.toString(), "--prompts", prompts.toString());

        assertThat(status).isEqualTo(ErrorMessageHandler.USER_ERROR);
        assertThat(err.toString()).contains("LlamaForCausalLM").contains("MixtralForCausalLM").doesNotContain("\tat ");
    }

    @Test
    void probeWithAMissingPromptsFileNamesIt() {
        Path prompts = dir.resolve("absent.txt");
        int status = run("probe", "--model", dir.toString(), "--prompts", prompts.toString());
        assertThat(status).isEqualTo(ErrorMessageHandler.USER_ERROR);
        assertThat(err.toString()).contains(prompts.toString()).doesNotContain("\tat ");
    }

    @Test
    void probeAndBenchRefuseACompressionCodecOtherThanLz4ZstdOrNoneBeforeReadingAnything() {
        Path prompts = dir.resolve("absent.txt");
        for (String command : new String[] {"probe", "bench"}) {
            err.getBuffer().setLength(0);
            int status = run(command, "--model", dir.toString(), "--prompts", prompts.toString(),
                    "--compression", "gzip");
            assertThat(status).isEqualTo(ErrorMessageHandler.USER_ERROR);
            assertThat(err.toString().strip())
                    .isEqualTo("moescope: --compression must be lz4, zstd or none but was gzip");
        }
    }
}
