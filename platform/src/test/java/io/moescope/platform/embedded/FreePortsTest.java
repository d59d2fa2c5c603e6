package io.moescope.platform.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    /** The OS may hand out the port just probed again: the broker's controller must not get its client's port. */
    @Test
    void aPortPickedBesideAnotherIsNeverThatPort() {
        Iterator<Integer> picks = List.of(44447, 44447, 45001).iterator();

        assertThat(FreePorts.otherThan(44447, picks::next)).isEqualTo(45001);
    }

    @Test
    void aFirstPickOtherThanTheTakenPortIsKept() {
        Iterator<Integer> picks = List.of(45001, 44447).iterator();

        assertThat(FreePorts.otherThan(44447, picks::next)).isEqualTo(45001);
    }
}
