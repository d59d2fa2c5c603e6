package io.moescope.traces.importer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seeded damage to a real-shaped trace, for the importers' fuzz test: what a crashed writer, a bad disk or a careless
 * edit leaves behind.
 */
final class TraceMutations {

    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
    private static final List<String> HOSTILE_NUMBERS = List.of("99999999999999999999", "2147483648", "-1", "NaN",
            "Infinity", "1e999", "\"7\"", "null", "[]", "{}", "true", "0x10");

    private TraceMutations() {
    }

    /** The trace's lines with {@code count} mutations, as the bytes of a file (byte flips may break UTF-8). */
    static byte[] mutate(List<String> trace, int count, Random random) {
        List<String> lines = new ArrayList<>(trace);
        for (int m = 0; m < count && !lines.isEmpty(); m++) {
            int at = random.nextInt(lines.size());
            String line = lines.get(at);
            switch (random.nextInt(6)) {
                case 0 -> lines.set(at, line.substring(0, random.nextInt(line.length() + 1)));
                case 1 -> lines.add(at, line);
                case 2 -> lines.remove(at);
                case 3 -> lines.set(at, replaceNumber(line, random));
                case 4 -> lines.set(at, flipChar(line, random));
                default -> {
                    byte[] bytes = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
                    bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                    lines = new ArrayList<>(List.of(new String(bytes, StandardCharsets.ISO_8859_1).split("\n", -1)));
                    return finish(lines, m + 1, count, random);
                }
            }
        }
        return String.join("\n", lines).concat("\n").getBytes(StandardCharsets.UTF_8);
    }

    /** After a byte flip the lines hold raw bytes (ISO-8859-1 keeps them one char each): no more text edits. */
    private static byte[] finish(List<String> lines, int done, int count, Random random) {
        for (int m = done; m < count && lines.size() > 1; m++) {
            int at = random.nextInt(lines.size());
            if (random.nextBoolean()) {
                lines.remove(at);
            } else {
                lines.add(at, lines.get(at));
            }
        }
        return String.join("\n", lines).concat("\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String replaceNumber(String line, Random random) {
        List<int[]> spans = new ArrayList<>();
        Matcher m = NUMBER.matcher(line);
        while (m.find()) {
            spans.add(new int[] {m.start(), m.end()});
        }
        if (spans.isEmpty()) {
            return line;
        }
        int[] span = spans.get(random.nextInt(spans.size()));
        return line.substring(0, span[0]) + HOSTILE_NUMBERS.get(random.nextInt(HOSTILE_NUMBERS.size()))
                + line.substring(span[1]);
    }

    private static String flipChar(String line, Random random) {
        if (line.isEmpty()) {
            return line;
        }
        int at = random.nextInt(line.length());
        return line.substring(0, at) + (char) (' ' + random.nextInt(95)) + line.substring(at + 1);
    }
}
