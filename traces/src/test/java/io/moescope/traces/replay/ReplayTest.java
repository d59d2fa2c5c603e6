package io.moescope.traces.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.ModelIdentity;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.RunLifecycle;
import io.moescope.events.RunStatus;
import io.moescope.events.TokenRouting;
import io.moescope.traces.RecordingSink;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayTest {

    private static final ModelIdentity MODEL = new ModelIdentity("m", "MixtralForCausalLM", 8, 2, 1, List.of(0), 0, 0);
    private static final long T0 = 1_700_000_000_000_000L;

    private final FakeClock clock = new FakeClock();
    private final Replay replay = new Replay(clock, micros -> clock.micros += micros);
    private final RecordingSink sink = new RecordingSink();

    @Test
    void keepsTheOriginalGapsBetweenTokensDividedByTheSpeed() {
        replay.run("new-run", copy("r"), tokens(0, 1_000_000, 3_000_000), 2.0, sink, () -> false, n -> { });
        assertThat(sink.tokens).extracting(TokenRouting::timestampMicros)
                .containsExactly(clock.start, clock.start + 500_000, clock.start + 1_500_000);
    }

    @Test
    void sendsAsFastAsPossibleAtSpeedZero() {
        replay.run("new-run", copy("r"), tokens(0, 1_000_000, 3_000_000), 0, sink, () -> false, n -> { });
        assertThat(sink.tokens).extracting(TokenRouting::timestampMicros).containsOnly(clock.start);
    }

    @Test
    void aNewRunWithSourceReplayCarriesTheSameDecisions() {
        Replay.Result result = replay.run("new-run", copy("again"), tokens(0, 5), 1.0, sink, () -> false, n -> { });
        assertThat(sink.runs).extracting(RunLifecycle::status).containsExactly(RunStatus.STARTED, RunStatus.FINISHED);
        assertThat(sink.runs).allSatisfy(r -> {
            assertThat(r.source()).isEqualTo("replay");
            assertThat(r.runId()).isEqualTo(result.runId());
        });
        assertThat(sink.tokens).extracting(t -> t.decisions().get(0).expertIds()[0]).containsExactly(0, 1);
        assertThat(sink.tokens).extracting(TokenRouting::runId).containsOnly(result.runId());
    }

    @Test
    void theNewRunKeepsWhyTheStoredRunsRequestsCannotBeToldApart() {
        replay.run("new-run", new Replay.Copy("again", MODEL, "one req_id for every prompt"), tokens(0, 5), 0, sink,
                () -> false, n -> { });

        assertThat(sink.runs).extracting(RunLifecycle::requestsNotSeparable)
                .containsExactly("one req_id for every prompt", "one req_id for every prompt");
    }

    /** A copy of a run whose requests can be told apart. */
    private static Replay.Copy copy(String name) {
        return new Replay.Copy(name, MODEL, null);
    }

    @Test
    void cancellingEndsTheRunAsFailedWithTheTokensSentSoFar() {
        List<Long> sent = new ArrayList<>();
        Replay.Result result = replay.run("new-run", copy("r"), tokens(0, 1, 2, 3), 0, sink, () -> sent.size() == 2, sent::add);
        assertThat(result.cancelled()).isTrue();
        assertThat(result.tokensSent()).isEqualTo(2);
        assertThat(sink.runs.get(1).status()).isEqualTo(RunStatus.FAILED);
        assertThat(sink.runs.get(1).tokens()).isEqualTo(2);
    }

    @Test
    void aCancelDuringALongPauseStopsWithinOneSleepSlice() {
        int[] sleeps = {0};
        var sliced = new Replay(clock, micros -> {
            sleeps[0]++;
            clock.micros += micros;
        });
        Replay.Result result = sliced.run("new-run", copy("r"), tokens(0, 3_600_000_000L), 1.0, sink,
                () -> sleeps[0] == 3, n -> { });
        assertThat(result.tokensSent()).isEqualTo(1);
        assertThat(result.cancelled()).isTrue();
        assertThat(clock.micros - clock.start).isEqualTo(300_000);
    }

    private static java.util.Iterator<TokenRouting> tokens(long... offsets) {
        List<TokenRouting> tokens = new ArrayList<>();
        for (int i = 0; i < offsets.length; i++) {
            tokens.add(new TokenRouting("old", "req", i, -1, Phase.DECODE, T0 + offsets[i],
                    List.of(RouterDecision.withoutEntropy(0, new int[] {i % 8, (i + 1) % 8}, new float[] {0.5f, 0.5f}))));
        }
        return tokens.iterator();
    }

    private static final class FakeClock extends Clock {
        final long start = 1_800_000_000_000_000L;
        long micros = start;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.EPOCH.plusNanos(micros * 1000);
        }
    }
}
