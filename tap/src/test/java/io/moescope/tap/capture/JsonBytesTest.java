package io.moescope.tap.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonBytesTest {

    @Test
    void aMemberInTheMiddleGoesWithTheCommaBeforeIt() {
        assertThat(without("{\"a\": 1.50, \"x\": \"v\" ,\n \"b\": [1e-05]}")).isEqualTo("{\"a\": 1.50 ,\n \"b\": [1e-05]}");
    }

    @Test
    void theFirstMemberGoesWithTheCommaAndSpacingAfterIt() {
        assertThat(without("{ \"x\": [[1, 2]], \"b\": 2}")).isEqualTo("{ \"b\": 2}");
    }

    @Test
    void theOnlyMemberLeavesAnEmptyObject() {
        assertThat(without("{\"x\": {\"y\": \"z\"} }")).isEqualTo("{ }");
    }

    @Test
    void neighboursRemovedTogetherShareTheirComma() {
        assertThat(without("{\"x\":1,\"x2\":2,\"b\":3}")).isEqualTo("{\"b\":3}");
        assertThat(without("{\"b\":3,\"x\":1,\"x2\":2}")).isEqualTo("{\"b\":3}");
    }

    @Test
    void aStringWithEscapedQuotesIsCutWhole() {
        assertThat(without("{\"x\": \"a\\\"b\\\\\", \"b\": \"\\\"\"}")).isEqualTo("{\"b\": \"\\\"\"}");
    }

    @Test
    void onlyMembersAtTheMatchingPointerGo() {
        assertThat(without("{\"n\":{\"x\":1},\"x\":2}")).isEqualTo("{\"n\":{\"x\":1}}");
    }

    private static String without(String json) {
        byte[] out = JsonBytes.withoutMembers(json.getBytes(StandardCharsets.UTF_8),
                pointer -> pointer.equals("/x") || pointer.equals("/x2"));
        return new String(out, StandardCharsets.UTF_8);
    }
}
