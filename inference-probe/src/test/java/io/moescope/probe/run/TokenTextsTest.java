package io.moescope.probe.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.probe.demo.DemoTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token texts on the demo's GPT-2 style byte-level tokenizer (byte b is id 3 + b; 'Ġ' stands for the space). */
class TokenTextsTest {

    @TempDir
    static Path dir;
    private static PromptTokenizer tokenizer;
    private static TokenTexts texts;

    @BeforeAll
    static void openDemoTokenizer() throws Exception {
        Path json = dir.resolve("tokenizer.json");
        new DemoTokenizer().write(json);
        tokenizer = PromptTokenizer.open(json);
        texts = TokenTexts.of(tokenizer, json);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void aSpaceTokenReadsAsASpaceNotAsItsByteLevelMarker() {
        assertThat(texts.text(DemoTokenizer.FIRST_BYTE_ID + ' ')).isEqualTo(" ");
    }

    @Test
    void specialTokensShowByName() {
        assertThat(texts.of(List.of(DemoTokenizer.BOS_ID, DemoTokenizer.EOS_ID)))
                .isEqualTo(Map.of(DemoTokenizer.BOS_ID, "<s>", DemoTokenizer.EOS_ID, "</s>"));
    }

    @Test
    void aByteOfAMultiByteCharacterShowsAsItsByte() {
        // "é" is C3 A9 in UTF-8: neither byte is text on its own.
        assertThat(texts.of(List.of(DemoTokenizer.FIRST_BYTE_ID + 0xC3, DemoTokenizer.FIRST_BYTE_ID + 0xA9)))
                .isEqualTo(Map.of(DemoTokenizer.FIRST_BYTE_ID + 0xC3, "<0xC3>",
                        DemoTokenizer.FIRST_BYTE_ID + 0xA9, "<0xA9>"));
    }

    @Test
    void aSentencePieceWordStartKeepsItsSpaceThatDecodingAloneWouldDrop() throws Exception {
        Path json = dir.resolve("metaspace.json");
        Files.writeString(json, """
                {"version": "1.0", "truncation": null, "padding": null,
                 "added_tokens": [{"id": 0, "content": "<unk>", "single_word": false, "lstrip": false,
                                   "rstrip": false, "normalized": false, "special": true}],
                 "normalizer": null,
                 "pre_tokenizer": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always",
                                   "split": true},
                 "post_processor": null,
                 "decoder": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always",
                             "split": true},
                 "model": {"type": "WordLevel", "unk_token": "<unk>",
                           "vocab": {"<unk>": 0, "\u2581Hello": 1, "\u2581world": 2}}}
                """);
        try (PromptTokenizer metaspace = PromptTokenizer.open(json)) {
            assertThat(metaspace.decodeShowingSpecials(new long[] {2})).isEqualTo("world");

            assertThat(TokenTexts.of(metaspace, json).of(List.of(1, 2)))
                    .isEqualTo(Map.of(1, " Hello", 2, " world"));
        }
    }

    @Test
    void everyIdOfAPromptDecodesToItsCharacter() {
        int[] ids = tokenizer.encode("a b");

        assertThat(ids).containsExactly(DemoTokenizer.BOS_ID, 3 + 'a', 3 + ' ', 3 + 'b');
        assertThat(texts.of(List.of(3 + 'a', 3 + ' ', 3 + 'b')))
                .isEqualTo(Map.of(3 + 'a', "a", 3 + ' ', " ", 3 + 'b', "b"));
    }
}
