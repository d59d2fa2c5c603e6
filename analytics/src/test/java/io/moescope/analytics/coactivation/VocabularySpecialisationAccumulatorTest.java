package io.moescope.analytics.coactivation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.evidence.Interval;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.util.List;
import org.junit.jupiter.api.Test;

class VocabularySpecialisationAccumulatorTest {

    private static TokenRouting token(int tokenId, int... ids) {
        return new TokenRouting("r", "q", 0, tokenId, Phase.PREFILL, 0,
                List.of(RouterDecision.withoutEntropy(0, ids, new float[ids.length])));
    }

    @Test
    void specialisationIsTheMeanOverFrequentIdsOfTheirTopExpertsShare() {
        // N = 4, top-2. id 7: 10 times, expert 0 in 8 (others: 1 in 5, 2 in 6, 3 in 1) -> 0.8;
        // id 9: 10 times, always expert 3 -> 1.0;
        // id 11: 3 times, below 10 -> left out. Mean (0.8 + 1.0) / 2 = 0.9; baseline k/N = 0.5
        var acc = new VocabularySpecialisationAccumulator(4);
        for (int i = 0; i < 8; i++) {
            acc.add(token(7, 0, 1 + i % 2));
        }
        acc.add(token(7, 1, 2));
        acc.add(token(7, 2, 3));
        for (int i = 0; i < 10; i++) {
            acc.add(token(9, 3, i % 3));
        }
        for (int i = 0; i < 3; i++) {
            acc.add(token(11, 2, 1));
        }
        var result = acc.result(0);
        assertThat(result.idsCounted()).isEqualTo(2);
        assertThat(result.mean()).isCloseTo(0.9, within(1e-15));
        assertThat(result.baseline()).isEqualTo(0.5);
    }

    @Test
    void withKEqualToNEveryIdScoresTheBaselineOfOne() {
        var acc = new VocabularySpecialisationAccumulator(2);
        acc.add(token(5, 0, 1));
        var result = acc.result(0, 1);
        assertThat(result.mean()).isEqualTo(1.0);
        assertThat(result.baseline()).isEqualTo(1.0);
    }

    @Test
    void tokensWithAnUnknownIdAreSkipped() {
        var acc = new VocabularySpecialisationAccumulator(4);
        acc.add(token(-1, 0, 1));
        assertThatThrownBy(() -> acc.result(0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noIdWithEnoughOccurrencesIsRefusedWithTheThreshold() {
        var acc = new VocabularySpecialisationAccumulator(4);
        acc.add(token(3, 0, 1));
        assertThatThrownBy(() -> acc.result(0))
                .hasMessage("vocabulary specialisation is undefined for layer 0: no token id occurs at least 10 times");
    }

    /**
     * N = 4, top-1. id 7: 10 times, 5 to expert 0 and 5 to expert 1 -> 0.5; id 8: 10 times, always expert 2 -> 1.0.
     * Resampling the two ids gives a mean of 0.5, 0.75 or 1.0 (probability 1/4, 1/2, 1/4): [0.5, 1.0].
     */
    @Test
    void theMeanHasAnIntervalByBootstrapOverTheQualifiedIds() {
        var acc = new VocabularySpecialisationAccumulator(4);
        for (int i = 0; i < 10; i++) {
            acc.add(token(7, i % 2));
            acc.add(token(8, 2));
        }
        var result = acc.result(0);

        assertThat(result.mean()).isEqualTo(0.75);
        assertThat(result.interval95()).isEqualTo(Defined.of(new Interval(0.5, 1.0, 0.95,
                "bootstrap over 2 token ids (each id's share fixed)", 2)));
    }

    @Test
    void aSingleQualifiedIdHasNoIntervalAndSaysWhy() {
        var acc = new VocabularySpecialisationAccumulator(4);
        for (int i = 0; i < 10; i++) {
            acc.add(token(7, i % 2));
        }

        assertThat(acc.result(0).interval95()).isEqualTo(Defined.undefined("no interval from 1 unit(s) of"
                + " resampling (bootstrap over 1 token ids (each id's share fixed)): it needs at least 2"));
    }
}
