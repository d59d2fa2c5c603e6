package io.moescope.probe.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonPromptFileTest {

    @TempDir
    Path dir;

    @Test
    void jsonLinesHoldChatMessagesOrPlainPromptsWithOptionalIds() throws Exception {
        Path file = Files.writeString(dir.resolve("p.jsonl"), """
                {"id": "greet", "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]}

                {"prompt": "plain text"}
                """);
        assertThat(PromptFile.read(file)).containsExactly(
                Prompt.chat("greet", List.of(new ChatMessage("system", "Be brief."), new ChatMessage("user", "Hi"))),
                new Prompt("req-2", "plain text"));
    }

    @Test
    void aMessageWithoutContentIsNamedWithFileAndLine() throws Exception {
        Path file = Files.writeString(dir.resolve("p.jsonl"), "{\"prompt\": \"ok\"}\n{\"messages\": [{\"role\": \"user\"}]}\n");
        assertThatThrownBy(() -> PromptFile.read(file)).isInstanceOf(PromptFileException.class)
                .hasMessage("prompts file " + file + " line 2: messages[0] needs text fields \"role\" and \"content\"");
    }

    @Test
    void chatMlRendersEachTurnAndOpensTheAssistantTurn() {
        assertThat(ChatTemplate.CHATML.render(List.of(new ChatMessage("user", "Hi"))))
                .isEqualTo("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
        assertThat(ChatTemplate.MISTRAL.render(List.of(new ChatMessage("user", "Hi"))))
                .isEqualTo("[INST] Hi [/INST]");
    }

    @Test
    void theTemplateFamilyIsRecognisedFromTokenizerConfig() throws Exception {
        Files.writeString(dir.resolve("tokenizer_config.json"),
                "{\"chat_template\": \"{% for m in messages %}<|im_start|>{{ m.role }}{% endfor %}\"}");
        assertThat(ChatTemplate.of(dir)).isEqualTo(ChatTemplate.CHATML);
        assertThat(ChatTemplate.of(dir.resolve("elsewhere"))).isEqualTo(ChatTemplate.PLAIN);
    }
}
