package io.moescope.probe.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.probe.checkpoint.CheckpointException;
import io.moescope.probe.demo.DemoTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The text of single tokens as they read in running text, for the dashboard's token view: decoded after an anchor
 * token, so a word-initial token keeps its space (byte-level BPE's 'Ġ' and SentencePiece's '▁' become spaces, which
 * the tokenizer's decoder drops at the very start of a text). A token that is part of a multi-byte UTF-8 character
 * decodes to U+FFFD on its own; it is shown by its bytes instead, {@code <0xE2>}, as SentencePiece names such tokens.
 */
final class TokenTexts {

    private static final char REPLACEMENT = '\uFFFD';

    private final PromptTokenizer tokenizer;
    private final Map<Integer, String> vocabulary;
    private final long anchor;
    private final String anchorText;
    private final Map<Character, Integer> byteLevelBytes = byteLevelBytes();

    private TokenTexts(PromptTokenizer tokenizer, Map<Integer, String> vocabulary) {
        this.tokenizer = tokenizer;
        this.vocabulary = vocabulary;
        // Any token that decodes to plain text will do: the first of "a" (the BOS where the tokenizer adds one).
        this.anchor = tokenizer.encode("a")[0];
        this.anchorText = tokenizer.decodeShowingSpecials(new long[] {anchor});
    }

    static TokenTexts of(PromptTokenizer tokenizer, Path tokenizerJson) {
        return new TokenTexts(tokenizer, vocabulary(tokenizerJson));
    }

    /** @return each id's text, in id order */
    Map<Integer, String> of(Collection<Integer> ids) {
        var texts = new TreeMap<Integer, String>();
        ids.forEach(id -> texts.put(id, text(id)));
        return texts;
    }

    String text(int id) {
        String inContext = tokenizer.decodeShowingSpecials(new long[] {anchor, id});
        String text = inContext.startsWith(anchorText) ? inContext.substring(anchorText.length())
                : tokenizer.decodeShowingSpecials(new long[] {id});
        return text.indexOf(REPLACEMENT) >= 0 ? bytesOf(id, text) : text;
    }

    /** A partial character: its bytes where the vocabulary is byte-level, else the vocabulary's own name for it. */
    private String bytesOf(int id, String decoded) {
        String token = vocabulary.get(id);
        if (token == null) {
            return decoded;
        }
        StringBuilder hex = new StringBuilder();
        for (char c : token.toCharArray()) {
            Integer b = byteLevelBytes.get(c);
            if (b == null) {
                return token;
            }
            hex.append(String.format("<0x%02X>", b));
        }
        return hex.toString();
    }

    private static Map<Character, Integer> byteLevelBytes() {
        char[] alphabet = DemoTokenizer.byteToUnicode();
        var bytes = new HashMap<Character, Integer>();
        for (int b = 0; b < alphabet.length; b++) {
            bytes.put(alphabet[b], b);
        }
        return bytes;
    }

    /** id to token string from tokenizer.json: the model's vocabulary (BPE and WordPiece) and the added tokens. */
    private static Map<Integer, String> vocabulary(Path tokenizerJson) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(tokenizerJson.toFile());
        } catch (IOException e) {
            throw new CheckpointException("cannot read " + tokenizerJson + ": " + e.getMessage(), e);
        }
        var vocabulary = new HashMap<Integer, String>();
        JsonNode vocab = root.path("model").path("vocab");
        if (vocab.isObject()) {
            vocab.fields().forEachRemaining(e -> vocabulary.put(e.getValue().asInt(), e.getKey()));
        } else if (vocab.isArray()) {
            // Unigram: [[piece, score], ...], the id is the position.
            for (int id = 0; id < vocab.size(); id++) {
                vocabulary.put(id, vocab.get(id).path(0).asText());
            }
        }
        for (JsonNode added : root.path("added_tokens")) {
            vocabulary.put(added.path("id").asInt(), added.path("content").asText());
        }
        return Map.copyOf(vocabulary);
    }
}
