package io.moescope.analytics.judgement;

/**
 * How a layer, or one figure of it, stands against the enabled alert rules that watch it: the one judgement the
 * API, the command line, the scorecards and the alerts share ({@link RoutingJudge}).
 *
 * @param layer     decoder layer index
 * @param status    the worst status any watching rule gives
 * @param rule      the name of the rule that decided it; null when no enabled rule watches the layer or figure
 * @param reason    in words, with the measured value where a rule decided it
 * @param decisions the sample the verdict rests on: the decisions (tokens x k) of the layer's load, which decide
 *                  whether a breach is evidence or "too few to tell"
 */
public record Verdict(int layer, Status status, String rule, String reason, long decisions) {

    /** Worst last, so {@code compareTo} orders by severity. */
    public enum Status {
        /** Clear of every watching rule (past its clear threshold), or no rule watches. */
        OK,
        /** Not breaching, but inside a rule's clear band: a firing alert would not resolve here. */
        NEAR,
        /** Past a rule's threshold: the rule's alert goes PENDING, then FIRING. */
        BREACH
    }

    /** The more severe of two verdicts; {@code this} on ties (callers pass the lower layer first). */
    public Verdict worse(Verdict other) {
        return other.status.compareTo(status) > 0 ? other : this;
    }
}
