package io.moescope.analytics.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.analytics.evidence.Defined;
import org.junit.jupiter.api.Test;

class DefinedTest {

    @Test
    void mappingAnUndefinedFigureKeepsItsReason() {
        Defined<Integer> none = Defined.undefined("no request");

        assertThat(none.map(v -> v + 1)).isEqualTo(Defined.undefined("no request"));
    }

    @Test
    void mappingIsUndefinedWithTheMessageWhenTheNextFigureRefusesTheValue() {
        Defined<Integer> two = Defined.of(2);

        assertThat(two.map(v -> {
            throw new IllegalArgumentException("odd values only");
        })).isEqualTo(Defined.undefined("odd values only"));
        assertThat(two.map(v -> v * 3)).isEqualTo(Defined.of(6));
    }
}
