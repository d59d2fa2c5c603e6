package io.moescope.tap.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonBytesTest {

    @Test
    void aMemberInTheMiddleGoesWithTheCommaBeforeIt() throws IOException {
        assertThat(without("{\"a\": 1.50, \"x\": \"v\" ,\n \"b\": [1e-05]}")).isEqualTo("{\"a\": 1.50 ,\n \"b\": [1e-05]}");
    }

    @Test
    void theFirstMemberGoesWithTheCommaAndSpacingAfterIt() throws IOException {
        assertThat(without("{ \"x\": [[1, 2]], \"b\": 2}")).isEqualTo("{ \"b\": 2}");
    }

    @Test
    void theOnlyMemberLeavesAnEmptyObject() throws IOException {
        assertThat(without("{\"x\": {\"y\": \"z\"} }")).isEqualTo("{ }");
    }

    @Test
    void neighboursRemovedTogetherShareTheirComma() throws IOException {
        assertThat(without("{\"x\":1,\"x2\":2,\"b\":3}")).isEqualTo("{\"b\":3}");
        assertThat(without("{\"b\":3,\"x\":1,\"x2\":2}")).isEqualTo("{\"b\":3}");
    }

    @Test
    void aStringWithEscapedQuotesIsCutWhole() throws IOException {
        assertThat(without("{\"x\": \"a\\\"b\\\\\", \"b\": \"\\\"\"}")).isEqualTo("{\"b\": \"\\\"\"}");
    }

    @Test
    void onlyMembersAtTheMatchingPointerGo() throws IOException {
        assertThat(without("{\"n\":{\"x\":1},\"x\":2}")).isEqualTo("{\"n\":{\"x\":1}}");
    }

    private static String without(String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        byte[] out = JsonBytes.without(bytes,
                RoutingMembers.of(bytes, pointer -> pointer.equals("/x") || pointer.equals("/x2")).cuts());
        return new String(out, StandardCharsets.UTF_8);
    }
}
