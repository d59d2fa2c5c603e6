package io.moescope.platform.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Throttles guessing (issue #18: 50 wrong passwords in 38 s went unnoticed). Failures are counted per user and per
 * client address. The policy's first free failures cost nothing; each later one makes the next attempt wait twice
 * as long (1 s, 2 s, 4 s, ...): an attempt inside the wait is refused without checking the secret. At the policy's
 * lock count of failures in a row the user or address is locked for {@link #LOCK_FOR}, or until an admin lifts it.
 * A success clears the user's and the address's count. Counts older than {@link #FORGET_AFTER} are forgotten, and
 * at most {@link #MAX_TRACKED} keys are kept, so a spray of invented user names cannot fill the heap.
 */
public final class SignInThrottle {

    static final Duration LOCK_FOR = Duration.ofMinutes(15);
    static final Duration FORGET_AFTER = Duration.ofHours(1);
    static final int MAX_TRACKED = 10_000;

    /**
     * @param freeFailures failures in a row before the next attempt has to wait
     * @param lockAfter    failures in a row that lock the user or address
     */
    public record Policy(int freeFailures, int lockAfter) {

        /** Passwords: people mistype a few times; a guesser needs thousands. */
        public static final Policy PASSWORDS = new Policy(3, 10);
        /**
         * API tokens: 192 random bits cannot be guessed, so the throttle only keeps a misconfigured client (a
         * revoked token in a scrape config) from hammering the server and the log.
         */
        public static final Policy TOKENS = new Policy(50, 200);
    }

    private final Clock clock;
    private final Policy policy;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    public SignInThrottle(Clock clock, Policy policy) {
        this.clock = clock;
        this.policy = policy;
    }

    /** A user or address that failed: how often in a row, when last, and until when it is locked (if it is). */
    public record Failures(String key, int count, Instant last, Instant lockedUntil) {

        Failures next(Instant now, Policy policy) {
            int n = count + 1;
            return new Failures(key, n, now, n >= policy.lockAfter() ? now.plus(LOCK_FOR) : lockedUntil);
        }

        /** The instant before which the next attempt is refused. */
        Instant openAt(Policy policy) {
            if (lockedUntil != null) {
                return lockedUntil;
            }
            int over = count - policy.freeFailures();
            return over <= 0 ? last : last.plusSeconds(1L << Math.min(over - 1, 20));
        }

        public boolean locked(Instant now) {
            return lockedUntil != null && now.isBefore(lockedUntil);
        }
    }

    /**
     * @param user null for a token, which names no user
     * @return why this attempt is refused before its secret is checked, or empty
     */
    public Optional<String> refusal(String user, String address) {
        Instant now = clock.instant();
        Optional<String> forUser = user == null ? Optional.empty() : refusal(userKey(user), "user '" + user + "'", now);
        return forUser.or(() -> refusal(addressKey(address), address, now));
    }

    /**
     * @param user null for a token, which names no user
     * @return the failures of the user in a row (of the address, for a token)
     */
    public Failures failed(String user, String address) {
        Instant now = clock.instant();
        forgetOld(now);
        Failures forAddress = count(addressKey(address), now);
        return user == null ? forAddress : count(userKey(user), now);
    }

    /** @param user null for a token, which names no user */
    public void succeeded(String user, String address) {
        if (user != null) {
            failures.remove(userKey(user));
        }
        failures.remove(addressKey(address));
    }

    /** Users and addresses locked now, for the admins' view. */
    public List<Failures> locked() {
        Instant now = clock.instant();
        return failures.values().stream().filter(f -> f.locked(now)).sorted(Comparator.comparing(Failures::key))
                .toList();
    }

    /** An admin lifts the lock (and the count) of a user ({@code user:NAME}) or address ({@code address:IP}). */
    public boolean lift(String key) {
        return failures.remove(key) != null;
    }

    /** How many users and addresses are counted now. */
    int tracked() {
        return failures.size();
    }

    static String userKey(String user) {
        return "user:" + user;
    }

    static String addressKey(String address) {
        return "address:" + address;
    }

    private Optional<String> refusal(String key, String who, Instant now) {
        Failures f = failures.get(key);
        if (f == null || !now.isBefore(f.openAt(policy))) {
            return Optional.empty();
        }
        long seconds = Math.max(1, Duration.between(now, f.openAt(policy)).toSeconds());
        if (f.locked(now)) {
            return Optional.of(who + " is locked after " + f.count() + " failed sign-ins until " + f.lockedUntil()
                    + "; an admin can lift it under Users & tokens");
        }
        return Optional.of("too many failed sign-ins for " + who + "; try again in " + seconds + " s");
    }

    private Failures count(String key, Instant now) {
        return failures.compute(key, (k, f) -> (f == null ? new Failures(k, 0, now, null) : f).next(now, policy));
    }

    private void forgetOld(Instant now) {
        failures.values().removeIf(f -> !f.locked(now) && f.last().isBefore(now.minus(FORGET_AFTER)));
        if (failures.size() >= MAX_TRACKED) {
            failures.values().stream().filter(f -> !f.locked(now)).min(Comparator.comparing(Failures::last))
                    .ifPresent(oldest -> failures.remove(oldest.key()));
        }
    }
}
