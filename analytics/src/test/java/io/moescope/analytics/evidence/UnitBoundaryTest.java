package io.moescope.analytics.evidence;

import static io.moescope.analytics.evidence.Tokens.token;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnitBoundaryTest {

    @Test
    void byRequestAUnitStartsWithEachNewRequest() {
        var boundary = UnitBoundary.requests();

        assertThat(boundary.starts(token("a", 0, 0))).isTrue();
        assertThat(boundary.starts(token("a", 1, 0))).isFalse();
        assertThat(boundary.starts(token("b", 0, 0))).isTrue();
        assertThat(boundary.describe(2, 1)).isEqualTo("2 requests");
        assertThat(boundary.describe(2, 4)).isEqualTo("2 blocks of 4 consecutive requests");
    }

    @Test
    void withoutRequestsAUnitStartsEveryBlockOfTokens() {
        var boundary = new UnitBoundary(false, 2);

        assertThat(boundary.starts(token("one id for every prompt", 0, 0))).isTrue();
        assertThat(boundary.starts(token("one id for every prompt", 1, 0))).isFalse();
        assertThat(boundary.starts(token("one id for every prompt", 2, 0))).isTrue();
        assertThat(boundary.tokens()).isEqualTo(3);
        assertThat(boundary.describe(2, 1)).isEqualTo("2 blocks of 2 tokens");
    }
}
