package io.moescope.tap.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PlainBytesTest {

    @Test
    void findsTheFirstQuoteOrBackslashAtEveryPlaceOfAWordAndInTheTail() {
        for (byte mark : new byte[] {'"', '\\'}) {
            for (int length = 1; length <= 40; length++) {
                for (int place = 0; place < length; place++) {
                    byte[] bytes = plain(length);
                    bytes[place] = mark;
                    if (place + 3 < length) {
                        bytes[place + 3] = '"';
                    }
                    for (int from = 0; from <= place; from++) {
                        assertThat(PlainBytes.end(bytes, from)).as("%c at %d of %d from %d", mark, place, length, from)
                                .isEqualTo(place);
                    }
                }
            }
        }
    }

    @Test
    void withoutEitherTheRunEndsAtTheEndOfTheArray() {
        for (int length = 0; length <= 20; length++) {
            assertThat(PlainBytes.end(plain(length), 0)).isEqualTo(length);
        }
    }

    /** Bytes one bit from a quote or a backslash, UTF-8 continuation bytes with their low bits among them. */
    @Test
    void bytesCloseToAQuoteOrBackslashAreNotMistakenForThem() {
        byte[] near = {'#', '!', (byte) ('#' + 0x80 - 1), (byte) ('"' | 0x80), (byte) ('\\' | 0x80), ']', '[', 0,
            (byte) 0xFF, '~', (byte) 0x80, 'A', '/', '+', '='};
        byte[] bytes = new byte[near.length * 3];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = near[i % near.length];
        }
        assertThat(PlainBytes.end(bytes, 0)).isEqualTo(bytes.length);
    }

    private static byte[] plain(int length) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) 'Q');
        return bytes;
    }
}
