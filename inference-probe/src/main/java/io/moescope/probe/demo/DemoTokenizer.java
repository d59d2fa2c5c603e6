package io.moescope.probe.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;

/**
 * An HF {@code tokenizer.json} for the demo model: GPT-2 style byte-level BPE with the 256 byte tokens and no merges,
 * so any text tokenizes (one token per UTF-8 byte) and decodes back losslessly. Ids 0-2 are {@code <unk>},
 * {@code <s>}, {@code </s>} as in Mixtral; byte {@code b} is id {@code 3 + b}. A template post-processor prepends
 * {@code <s>} like Mixtral's tokenizer does.
 */
public final class DemoTokenizer {

    public static final int UNK_ID = 0;
    public static final int BOS_ID = 1;
    public static final int EOS_ID = 2;
    public static final int FIRST_BYTE_ID = 3;
    public static final int VOCAB_SIZE = FIRST_BYTE_ID + 256;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] SPECIALS = {"<unk>", "<s>", "</s>"};

    public void write(Path file) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int id = 0; id < SPECIALS.length; id++) {
            added.addObject().put("id", id).put("content", SPECIALS[id]).put("single_word", false)
                    .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", true);
        }
        root.putNull("normalizer");
        root.set("pre_tokenizer", byteLevel());
        root.set("post_processor", bosTemplate());
        root.set("decoder", byteLevel());
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.put("unk_token", "<unk>");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        ObjectNode vocab = model.putObject("vocab");
        for (int id = 0; id < SPECIALS.length; id++) {
            vocab.put(SPECIALS[id], id);
        }
        char[] byteChars = byteToUnicode();
        for (int b = 0; b < 256; b++) {
            vocab.put(String.valueOf(byteChars[b]), FIRST_BYTE_ID + b);
        }
        model.putArray("merges");
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    }

    private static ObjectNode byteLevel() {
        return JSON.createObjectNode().put("type", "ByteLevel").put("add_prefix_space", false)
                .put("trim_offsets", true).put("use_regex", true);
    }

    private static ObjectNode bosTemplate() {
        ObjectNode processor = JSON.createObjectNode().put("type", "TemplateProcessing");
        ArrayNode single = processor.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = processor.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode bos = processor.putObject("special_tokens").putObject("<s>");
        bos.put("id", "<s>");
        bos.putArray("ids").add(BOS_ID);
        bos.putArray("tokens").add("<s>");
        return processor;
    }

    /**
     * GPT-2's reversible byte-to-character map: printable bytes stand for themselves, the others are shifted to
     * code points from 256 up so that no token is whitespace or a control character.
     */
    public static char[] byteToUnicode() {
        char[] map = new char[256];
        int shifted = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            map[b] = printable ? (char) b : (char) (256 + shifted++);
        }
        return map;
    }
}
