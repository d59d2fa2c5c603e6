package io.moescope.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.platform.security.SignInThrottle.Policy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The password policy: 3 free failures, then waits of 1, 2, 4 ... s, locked for 15 minutes at 10 in a row. */
class SignInThrottleTest {

    private static final String ADDRESS = "192.0.2.7";

    private final SteppedClock clock = new SteppedClock(Instant.parse("2026-12-06T00:00:00Z"));
    private final SignInThrottle throttle = new SignInThrottle(clock, Policy.PASSWORDS);

    @Test
    void threeFailuresCostNothing() {
        fail(3);
        assertThat(throttle.refusal("ada", ADDRESS)).isEmpty();
    }

    @Test
    void theFourthFailureMakesTheNextAttemptWaitOneSecond() {
        fail(4);
        assertThat(throttle.refusal("ada", ADDRESS)).hasValue("too many failed sign-ins for user 'ada'; try again in 1 s");
        clock.advance(Duration.ofSeconds(1));
        assertThat(throttle.refusal("ada", ADDRESS)).isEmpty();
    }

    @Test
    void eachFurtherFailureDoublesTheWait() {
        fail(7);
        assertThat(throttle.refusal("ada", ADDRESS)).hasValue("too many failed sign-ins for user 'ada'; try again in 8 s");
    }

    @Test
    void tenFailuresInARowLockTheUserForFifteenMinutes() {
        fail(10);
        assertThat(throttle.refusal("ada", ADDRESS)).hasValue("user 'ada' is locked after 10 failed sign-ins until"
                + " 2026-12-06T00:15:00Z; an admin can lift it under Users & tokens");
        clock.advance(Duration.ofMinutes(15));
        assertThat(throttle.refusal("ada", ADDRESS)).isEmpty();
    }

    @Test
    void theAddressIsThrottledWhateverUserItTries() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("user-" + i, ADDRESS);
        }
        assertThat(throttle.refusal("someone-else", ADDRESS))
                .hasValue("too many failed sign-ins for " + ADDRESS + "; try again in 1 s");
        assertThat(throttle.refusal("someone-else", "198.51.100.1")).isEmpty();
    }

    @Test
    void aSuccessClearsTheUsersAndTheAddresssCount() {
        fail(3);
        throttle.succeeded("ada", ADDRESS);
        fail(3);
        assertThat(throttle.refusal("ada", ADDRESS)).isEmpty();
    }

    @Test
    void anAdminLiftsALockAndListsOnlyWhatIsLocked() {
        fail(10);
        assertThat(throttle.locked()).extracting(SignInThrottle.Failures::key)
                .containsExactly("address:" + ADDRESS, "user:ada");
        assertThat(throttle.lift("user:ada")).isTrue();
        assertThat(throttle.lift("address:" + ADDRESS)).isTrue();
        assertThat(throttle.refusal("ada", ADDRESS)).isEmpty();
        assertThat(throttle.locked()).isEmpty();
    }

    @Test
    void failuresOlderThanAnHourAreForgotten() {
        fail(5);
        clock.advance(Duration.ofMinutes(61));
        throttle.failed("bob", "198.51.100.1");
        fail(1);
        assertThat(throttle.failed("ada", ADDRESS).count()).isEqualTo(2);
    }

    @Test
    void aSprayOfInventedNamesKeepsAtMostTheBoundOfKeys() {
        for (int i = 0; i < SignInThrottle.MAX_TRACKED + 500; i++) {
            throttle.failed("invented-" + i, "198.51.100." + (i % 200));
        }
        assertThat(throttle.tracked()).isLessThanOrEqualTo(SignInThrottle.MAX_TRACKED);
    }

    private void fail(int times) {
        for (int i = 0; i < times; i++) {
            throttle.failed("ada", ADDRESS);
        }
    }

    /** A clock that stands still until the test moves it. */
    private static final class SteppedClock extends Clock {

        private Instant now;

        SteppedClock(Instant start) {
            now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("UTC only");
        }
    }
}
