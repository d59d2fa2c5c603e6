package io.moescope.platform.metrics;

import io.moescope.events.Phase;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Which routed tokens a figure covers (docs/metrics.md asks every figure to say so): a run, optionally narrowed to one
 * request, one phase and a time window [from, to) on the time the token was routed.
 */
public record TokenSet(String runId, Optional<String> requestId, Optional<Phase> phase, Optional<Instant> from,
                       Optional<Instant> to) {

    public TokenSet {
        Objects.requireNonNull(runId, "runId");
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            throw new IllegalArgumentException("from must be before to, but from = " + from.get() + ", to = "
                    + to.get());
        }
    }

    public static TokenSet wholeRun(String runId, Optional<Phase> phase) {
        return new TokenSet(runId, Optional.empty(), phase, Optional.empty(), Optional.empty());
    }

    /** Whether the rollups (per run and phase) cover exactly this set, so counts need no raw rows. */
    public boolean coveredByRollups() {
        return requestId.isEmpty() && from.isEmpty() && to.isEmpty();
    }

    /** Whether this is every token of the run: no request, phase or time window narrows it. */
    public boolean wholeRun() {
        return coveredByRollups() && phase.isEmpty();
    }

    /** In words, e.g. "decode tokens of request r1 of the run, routed in [a, b)". */
    public String describe() {
        var text = new StringBuilder(phase.map(p -> "all " + p.name().toLowerCase(Locale.ROOT) + " tokens")
                .orElse("all tokens (prefill and decode)"));
        requestId.ifPresent(r -> text.append(" of request ").append(r));
        text.append(" of the run");
        if (from.isPresent() || to.isPresent()) {
            text.append(", routed in [").append(from.map(Instant::toString).orElse("start")).append(", ")
                    .append(to.map(Instant::toString).orElse("now")).append(')');
        }
        return text.toString();
    }
}
