package io.moescope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The token lines of a JSON-lines export, one short text each, for exact comparisons of what was stored. */
final class ExportedTokens {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ExportedTokens() {
    }

    /** "request#token phase tokenId layer:[ids] ..." per exported token line, sorted. */
    static List<String> described(List<String> tokenLines) throws IOException {
        var tokens = new ArrayList<String>();
        for (String line : tokenLines) {
            JsonNode t = JSON.readTree(line);
            var text = new StringBuilder(t.path("request").asText() + "#" + t.path("token").asInt() + " "
                    + t.path("phase").asText() + " " + t.path("tokenId").asInt());
            for (int i = 0; i < t.path("layers").size(); i++) {
                text.append(' ').append(t.path("layers").get(i).asInt()).append(':')
                        .append(t.path("experts").get(i).toString());
            }
            tokens.add(text.toString());
        }
        tokens.sort(null);
        return tokens;
    }
}
