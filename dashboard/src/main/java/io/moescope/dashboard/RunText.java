package io.moescope.dashboard;

import io.moescope.platform.runs.RunSummary;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How views word a run, so the list and the run page say the same thing the same way. */
public final class RunText {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private RunText() {
    }

    public static String name(RunSummary run) {
        return run.name() == null || run.name().isBlank() ? run.runId() : run.name();
    }

    /**
     * Where the run's routing came from, as stored: "probe", "import:&lt;format&gt;", "replay". Runs of one name
     * (every demo run is "demo") are told apart by it and by their start.
     */
    public static String source(RunSummary run) {
        return nonBlank(run.source(), "unknown source");
    }

    /**
     * A run in a chooser: name, source, start and size first, the id last (unique, but unreadable), e.g.
     * "demo (probe, started 2026-12-06 09:52:44 UTC, 1,576 decisions, id de05f85d-...)".
     */
    public static String label(RunSummary run) {
        return name(run) + " (" + source(run) + ", started " + time(run.startedAt()) + ", " + count(run.decisions())
                + " decisions, id " + run.runId() + ")";
    }

    /** The model and its routing shape, e.g. "mixtral, 8 experts, top-2, 32 MoE layers". */
    public static String shape(RunSummary run) {
        String moeLayers = run.numMoeLayers() == run.numLayers() ? run.numMoeLayers() + " MoE layers"
                : run.numMoeLayers() + " MoE layers of " + run.numLayers();
        return nonBlank(run.architecture(), "unknown architecture") + ", " + run.numExperts() + " experts, top-"
                + run.topK() + ", " + moeLayers;
    }

    /** Total and active parameters, when the run reported them. */
    public static String parameters(RunSummary run) {
        if (run.totalParameters() <= 0) {
            return "";
        }
        String total = compact(run.totalParameters()) + " parameters";
        return run.activeParameters() > 0 ? total + ", " + compact(run.activeParameters()) + " active per token" : total;
    }

    /** "running" while routing is still arriving; the stored status, in lower case, otherwise. */
    public static String status(RunSummary run) {
        return isArriving(run) ? "running" : nonBlank(run.status(), "unknown").toLowerCase(Locale.ROOT);
    }

    /** Why a run has its status, where the word alone does not say: empty but for an abandoned run. */
    public static String statusNote(RunSummary run) {
        return "ABANDONED".equalsIgnoreCase(run.status()) && !isArriving(run)
                ? "No end event, and nothing stored for it for longer than moescope.runs.abandoned-after;"
                + " it is running again if its data arrives."
                : "";
    }

    /**
     * Whether more routing can still arrive: the run has not ended, or it ended but fewer tokens are stored than
     * its producer reported (the tail is still in Kafka).
     */
    public static boolean isArriving(RunSummary run) {
        return "STARTED".equalsIgnoreCase(run.status())
                || run.tokensReported() != null && run.tokens() < run.tokensReported();
    }

    /**
     * How long the run has routed: start to finish once it ended, start to the last stored token while it runs;
     * e.g. "45 s", "3 min 12 s", "2 h 05 min". Empty when nothing tells.
     */
    public static String duration(RunSummary run) {
        Instant end = run.finishedAt() != null && !isArriving(run) ? run.finishedAt() : run.lastRoutedAt();
        if (run.startedAt() == null || end == null || end.isBefore(run.startedAt())) {
            return "";
        }
        long seconds = java.time.Duration.between(run.startedAt(), end).toSeconds();
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", seconds / 3600, seconds % 3600 / 60);
    }

    /**
     * A tap run's responses by outcome, e.g. "responses: 120 captured, 3 passed through, 0 failed to decode, 0 too
     * large, 1 engine error" (a live tap's so far); for a tap run that has reported none yet, when it will; empty for
     * runs that are not taps.
     */
    public static String responses(RunSummary run) {
        Map<String, Long> responses = run.responses();
        if (responses == null) {
            return run.source() != null && run.source().startsWith("tap:")
                    ? "responses: none reported yet (a live tap reports them every 10 s)" : "";
        }
        List<String> parts = new ArrayList<>();
        responses.forEach((outcome, n) -> parts.add(count(n) + " " + switch (outcome) {
            case "captured" -> "captured";
            case "passed_through" -> "passed through";
            case "decode_failed" -> "failed to decode";
            case "too_large" -> "too large";
            case "upstream_error" -> n == 1 ? "engine error" : "engine errors";
            default -> outcome.replace('_', ' ');
        }));
        return parts.isEmpty() ? "responses: none" : "responses: " + String.join(", ", parts);
    }

    public static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    public static String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }

    /** 46_700_000_000 -> "46.7B". */
    static String compact(long value) {
        String[] units = {"", "K", "M", "B", "T"};
        double scaled = value;
        int unit = 0;
        while (scaled >= 1000 && unit < units.length - 1) {
            scaled /= 1000;
            unit++;
        }
        return unit == 0 ? Long.toString(value) : String.format(Locale.ROOT, "%.3g%s", scaled, units[unit]);
    }

    private static String nonBlank(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
