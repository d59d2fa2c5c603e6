package io.moescope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ImportCommandTest {

    @TempDir
    Path dir;

    @Test
    void refusesAFileOfTheWrongFormatNamingExpectedAndDetectedBeforeContactingKafka() throws IOException {
        Path file = Files.writeString(dir.resolve("hook.jsonl"), "{\"dataset\":\"d\",\"problem_id\":0,\"layer\":0,"
                + "\"token_idx\":0,\"experts\":[1,0],\"gating_probs\":[0.6,0.4]}\n");
        var err = new StringWriter();
        CommandLine cli = MoescopeCli.commandLine();
        cli.setErr(new PrintWriter(err, true));

        int status = cli.execute("import", "--format", "route-log", "--bootstrap-servers", "localhost:1",
                file.toString());

        assertThat(status).isEqualTo(ErrorMessageHandler.USER_ERROR);
        assertThat(err.toString().strip()).isEqualTo("moescope: " + file
                + ": expected format route-log but the file is vllm-hook");
    }

    /** docs/cli.md, "Exit status of import": the help names every status, 1 (rows rejected) included. */
    @Test
    void helpListsExitStatusZeroOneAndTwo() {
        CommandLine cli = MoescopeCli.commandLine().getSubcommands().get("import").setUsageHelpWidth(400);

        String help = cli.getUsageMessage(CommandLine.Help.Ansi.OFF);

        assertThat(help).endsWith("""
                Exit status:
                  0   every file was imported and delivered, and no row was rejected
                  1   every file was imported and delivered, but some rows were rejected (each summary lists them; \
                the other rows are stored); or a bug, with its stack trace
                  2   a usage error; a file missing, empty or of no format moescope reads; Kafka unreachable at the \
                start; a file refused whole, or not acknowledged within --delivery-timeout (the files after it are not \
                imported)
                """);
    }

    @Test
    void theBarKeepsThePassApartFromTheSpeed() {
        var lines = new ArrayList<String>();
        try (ProgressBar bar = ImportCommand.bar(new ProgressBarBuilder().setTaskName("trace.csv")
                .setConsumer(new DelegatingProgressBarConsumer(lines::add, 200)))) {
            new ImportCommand.BarProgress(bar).rowsImported(48);
        }
        assertThat(lines.get(lines.size() - 1)).matches(".* rows/s pass 2/2, sending");
    }

    /** A missing file's exception message is its path alone: the line must also say what is wrong with it. */
    @Test
    void refusesAFileThatDoesNotExistSayingSo() {
        Path missing = dir.resolve("nope.jsonl");
        var err = new StringWriter();
        CommandLine cli = MoescopeCli.commandLine();
        cli.setErr(new PrintWriter(err, true));

        int status = cli.execute("import", "--bootstrap-servers", "localhost:1", missing.toString());

        assertThat(status).isEqualTo(ErrorMessageHandler.USER_ERROR);
        assertThat(err.toString().strip()).isEqualTo("moescope: " + missing + ": no such file or directory");
    }

    @Test
    void refusesAModelConfigWithoutTheTopKNamingFileAndKeyBeforeContactingKafka() throws IOException {
        Path trace = Files.writeString(dir.resolve("responses.jsonl"), "{\"id\":\"cmpl-1\",\"choices\":[{"
                + "\"index\":0,\"routed_experts\":null}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}\n");
        Path config = Files.writeString(dir.resolve("config.json"), "{\"architectures\":[\"MixtralForCausalLM\"],"
                + "\"num_hidden_layers\":32,\"num_local_experts\":8}");
        var err = new StringWriter();
        CommandLine cli = MoescopeCli.commandLine();
        cli.setErr(new PrintWriter(err, true));

        int status = cli.execute("import", "--model-config", config.toString(), "--bootstrap-servers",
                "localhost:1", trace.toString());

        assertThat(status).isEqualTo(ErrorMessageHandler.USER_ERROR);
        assertThat(err.toString().strip()).isEqualTo("moescope: " + config
                + ": \"num_experts_per_tok\" must be a positive integer but is missing");
    }

    @Test
    void namesAnEmptyFileAmongSeveralAsEmptyBeforeContactingKafka() throws IOException {
        Path csv = Files.writeString(dir.resolve("good.csv"), "request_id,token_index,layer,expert_ids,weights,phase\n"
                + "r,0,0,1|2,0.5|0.5,prefill\n");
        Path empty = Files.writeString(dir.resolve("empty.csv"), "\n  \n");
        var err = new StringWriter();
        CommandLine cli = MoescopeCli.commandLine();
        cli.setErr(new PrintWriter(err, true));

        int status = cli.execute("import", "--bootstrap-servers", "localhost:1", csv.toString(), empty.toString());

        assertThat(status).isEqualTo(ErrorMessageHandler.USER_ERROR);
        assertThat(err.toString().strip()).isEqualTo("moescope: " + empty
                + ": the file is empty (nothing but blank lines)");
    }
}
