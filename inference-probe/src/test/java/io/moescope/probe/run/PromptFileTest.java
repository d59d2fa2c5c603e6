package io.moescope.probe.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptFileTest {

    @TempDir
    Path dir;

    @Test
    void eachNonBlankLineIsAPromptWithIdsReqOneReqTwo() throws Exception {
        Path file = dir.resolve("prompts.txt");
        Files.writeString(file, "First prompt\n\n   \r\n  Second one  \r\nThird\n");
        assertThat(PromptFile.read(file)).containsExactly(new Prompt("req-1", "First prompt"),
                new Prompt("req-2", "Second one"), new Prompt("req-3", "Third"));
    }

    @Test
    void aLastLineWithoutNewlineIsRead() throws Exception {
        Path file = dir.resolve("prompts.txt");
        Files.writeString(file, "only", StandardCharsets.UTF_8);
        assertThat(PromptFile.read(file)).containsExactly(new Prompt("req-1", "only"));
    }

    @Test
    void aMissingFileIsNamed() {
        Path file = dir.resolve("missing.txt");
        assertThatThrownBy(() -> PromptFile.read(file)).isInstanceOf(PromptFileException.class)
                .hasMessage("prompts file " + file + " does not exist");
    }

    @Test
    void invalidUtf8NamesTheFileAndTheLine() throws Exception {
        Path file = dir.resolve("latin1.txt");
        Files.write(file, new byte[] {'o', 'k', '\n', 'c', 'a', 'f', (byte) 0xE9, '\n'});
        assertThatThrownBy(() -> PromptFile.read(file)).isInstanceOf(PromptFileException.class)
                .hasMessage("prompts file " + file + " line 2 is not valid UTF-8 text");
    }

    @Test
    void aFileOfBlankLinesHasNoPrompts() throws Exception {
        Path file = dir.resolve("blank.txt");
        Files.writeString(file, "\n  \n");
        assertThatThrownBy(() -> PromptFile.read(file)).isInstanceOf(PromptFileException.class)
                .hasMessage("prompts file " + file + " contains no prompts (only blank lines)");
    }
}
