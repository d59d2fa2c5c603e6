package io.moescope.cli;

import io.moescope.analytics.placement.PlacementShape;
import io.moescope.events.validation.StorableTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The bounds of the command-line options (docs/cli.md, "Bounds"). A command states its bounds in
 * {@link Bounded#checkBounds()}; {@link MoescopeCli#commandLine()} checks them before the command does any work and
 * refuses a value out of bound as a usage error (exit code 2) with one line naming the option and its bound.
 * Bounds that depend on a run's model (placement, metrics) are the API's and are checked by the server.
 */
final class OptionBounds {

    /** Expert ids are {@code smallint} in storage, so a layer has at most this many experts. */
    static final int MAX_EXPERTS = StorableTokens.MAX_EXPERTS;
    /** Layer numbers are {@code smallint} in storage too. */
    static final int MAX_LAYER = Short.MAX_VALUE;
    /** Tokens generated per prompt: beyond any context window a supported checkpoint has. */
    static final int MAX_NEW_TOKENS = 65_536;
    /** Decisions (tokens x layers) a count option may name: 10^9 is hours of work and tens of GB stored. */
    static final long MAX_DECISIONS = 1_000_000_000L;
    /** How long a command waits for Kafka or the platform at most. */
    static final Duration MAX_WAIT = Duration.ofHours(24);

    /** A command whose options have bounds to check before it starts. */
    interface Bounded {

        /** @throws IllegalArgumentException naming the first option out of its bound, and the bound */
        void checkBounds();
    }

    private OptionBounds() {
    }

    static void between(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw outOf(option, "between " + min + " and " + max, value);
        }
    }

    /** Absent means the command's default, which is in bound. */
    static void between(String option, Integer value, long min, long max) {
        if (value != null) {
            between(option, value.longValue(), min, max);
        }
    }

    /** NaN and the infinities are out of every bound. */
    static void between(String option, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw outOf(option, "a number between " + plain(min) + " and " + plain(max), value);
        }
    }

    static void between(String option, Double value, double min, double max) {
        if (value != null) {
            between(option, value.doubleValue(), min, max);
        }
    }

    static void between(String option, Duration value, Duration min, Duration max) {
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw outOf(option, "between " + min + " and " + max, value);
        }
    }

    /** Engine threads: at least one, at most the machine's processors (more only wait on each other). */
    static void threads(String option, Integer value) {
        between(option, value, 1, Runtime.getRuntime().availableProcessors());
    }

    /** How many intra-op thread counts one bench run may compare. */
    static final int MAX_THREAD_COUNTS = 8;

    /**
     * A list of intra-op thread counts to bench one after another: 1 to {@link #MAX_THREAD_COUNTS} distinct counts,
     * each within {@link #threads}.
     */
    static void threadCounts(String option, List<Integer> counts) {
        if (counts.isEmpty() || counts.size() > MAX_THREAD_COUNTS
                || counts.stream().distinct().count() != counts.size()) {
            throw new IllegalArgumentException(option + " must list 1 to " + MAX_THREAD_COUNTS
                    + " distinct counts but was " + counts);
        }
        counts.forEach(t -> threads(option, t));
    }

    /** Experts per layer: what storage can hold. */
    static void experts(String option, Integer value) {
        between(option, value, 1, MAX_EXPERTS);
    }

    /** Placement sizes: no run has more slots than {@link PlacementShape#MAX_REPLICATION} x the most experts. */
    static void placement(String option, Integer value) {
        between(option, value, 1, (long) PlacementShape.MAX_REPLICATION * MAX_EXPERTS);
    }

    /**
     * A file the command reads (none when {@code file} is null) must be there and readable, checked with the other
     * options so that a mistyped path is a usage error naming the option, not a failure once the command started.
     */
    static void readableFile(String option, Path file) {
        if (file != null && !(Files.isRegularFile(file) && Files.isReadable(file))) {
            throw new IllegalArgumentException(option + " must be a readable file but was " + file + ": "
                    + (Files.isDirectory(file) ? "a directory"
                    : Files.exists(file) ? "not readable" : "no such file or directory"));
        }
    }

    /**
     * A rule implemented elsewhere (a constructor that validates), whose message names its parameter: the message
     * is kept with the parameter's name replaced by the option's.
     *
     * @return what the rule made of the value
     */
    static <T> T byRule(String option, String parameter, Supplier<T> rule) {
        try {
            return rule.get();
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            throw new IllegalArgumentException(message.startsWith(parameter + " ")
                    ? option + message.substring(parameter.length()) : message, e);
        }
    }

    private static IllegalArgumentException outOf(String option, String bound, Object value) {
        return new IllegalArgumentException(option + " must be " + bound + " but was " + value);
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
