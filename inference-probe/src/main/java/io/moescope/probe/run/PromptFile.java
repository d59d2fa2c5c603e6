package io.moescope.probe.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A prompts file, UTF-8, one prompt per non-blank line, request ids {@code req-1}, {@code req-2}, ... in order of
 * the prompts (blank lines do not use up an id). Plain text: each line is a prompt (surrounding whitespace removed).
 * JSON lines (a file named {@code *.jsonl}): each line is an object with {@code "messages": [{"role", "content"},
 * ...]} (a chat prompt) or {@code "prompt": "text"}, and optionally {@code "id"} to name the request.
 */
public final class PromptFile {

    private PromptFile() {
    }

    /** @throws PromptFileException naming the file (and line) when it cannot be read or holds no prompt */
    public static List<Prompt> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new PromptFileException("prompts file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new PromptFileException("cannot read prompts file " + file + ": " + e, e);
        }
        boolean jsonLines = file.getFileName() != null && file.getFileName().toString().endsWith(".jsonl");
        var prompts = new ArrayList<Prompt>();
        int lineNumber = 0;
        int start = 0;
        while (start <= bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            lineNumber++;
            String line = decode(file, lineNumber, bytes, start, end);
            if (!line.isBlank()) {
                String id = "req-" + (prompts.size() + 1);
                prompts.add(jsonLines ? JsonPromptLine.parse(file, lineNumber, line, id)
                        : new Prompt(id, line.strip()));
            }
            start = end + 1;
        }
        if (prompts.isEmpty()) {
            throw new PromptFileException("prompts file " + file + " contains no prompts (only blank lines)");
        }
        return List.copyOf(prompts);
    }

    private static String decode(Path file, int lineNumber, byte[] bytes, int start, int end) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, start, end - start))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new PromptFileException("prompts file " + file + " line " + lineNumber
                    + " is not valid UTF-8 text", e);
        }
    }
}
