package io.moescope.tap.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RoutingMembersTest {

    @Test
    void aPayloadIsEmptiedInTheSkeletonAndPutBackDecodedInTheTree() throws IOException {
        RoutingMembers members = members("{\"id\":\"c\",\"routed_experts\" : \"QUJD\",\"n\":1}");

        assertThat(text(members.skeleton())).isEqualTo("{\"id\":\"c\",\"routed_experts\" : \"\",\"n\":1}");
        assertThat(members.pointers()).containsExactly("/routed_experts");
        assertThat(members.cuts()).containsExactly(new long[] {9, 35});
        JsonNode tree = members.tree();
        assertThat(tree.get("routed_experts").binaryValue()).isEqualTo("ABC".getBytes(StandardCharsets.US_ASCII));
        assertThat(tree.get("n").intValue()).isEqualTo(1);
    }

    @Test
    void membersAfterAnEmptiedPayloadAreCutAtTheirPlaceInTheBody() throws IOException {
        byte[] json = bytes("{\"routed_experts\":\"QUJDRA==\",\"x\":[1],\"b\":2}");

        RoutingMembers members = RoutingMembers.of(json,
                pointer -> pointer.equals("/routed_experts") || pointer.equals("/x"));

        assertThat(text(JsonBytes.without(json, members.cuts()))).isEqualTo("{\"b\":2}");
    }

    @Test
    void aStringValueEndingInThePayloadNameIsNotEmptied() throws IOException {
        RoutingMembers members = members("{\"text\":\"see routed_experts\",\"routed_experts\":\"QUJD\"}");

        assertThat(text(members.skeleton())).isEqualTo("{\"text\":\"see routed_experts\",\"routed_experts\":\"\"}");
        assertThat(members.tree().get("text").textValue()).isEqualTo("see routed_experts");
    }

    /** The skeleton lost that member's text: the decoders must read the whole body. */
    @Test
    void aPayloadNamedMemberThatIsNoRoutingLeavesNoTree() throws IOException {
        RoutingMembers members = members("{\"meta\":{\"routed_experts\":\"QUJD\"},\"routed_experts\":\"QUJD\"}");

        assertThat(members.pointers()).containsExactly("/routed_experts");
        assertThat(members.tree()).isNull();
    }

    @Test
    void aPayloadWithAnEscapeOrInvalidBase64LeavesNoTree() throws IOException {
        assertThat(members("{\"routed_experts\":\"Q\\u0055JD\"}").tree()).isNull();
        assertThat(members("{\"routed_experts\":\"QU!D\"}").tree()).isNull();
    }

    @Test
    void aPayloadThatIsNoStringStaysInTheSkeletonAsItIs() throws IOException {
        RoutingMembers members = members("{\"routed_experts\":[[[1,2]]],\"n\":1}");

        assertThat(members.emptied()).isEmpty();
        assertThat(members.cuts()).containsExactly(new long[] {1, 28});
        assertThat(members.tree().get("routed_experts").toString()).isEqualTo("[[[1,2]]]");
    }

    private static RoutingMembers members(String json) throws IOException {
        return RoutingMembers.of(bytes(json), pointer -> pointer.equals("/routed_experts"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
