package io.moescope.traces.delivery;

import io.moescope.events.RunLifecycle;
import java.util.Optional;

/** What became of a run sent with {@link RunDelivery}. */
public sealed interface RunOutcome<T> {

    /** Every record the run sent, {@code tokens} routing records among them, was acknowledged by the broker. */
    record Delivered<T>(T result, long tokens) implements RunOutcome<T> {
    }

    /**
     * The broker did not acknowledge everything.
     *
     * @param result          what the work returned, or empty when the failure stopped it part way
     * @param run             the run's STARTED event, or empty when the work failed before the run began
     * @param tokensSent        tokens the run sent into its sink
     * @param tokensDelivered   tokens the broker acknowledged: certainly in the topic
     * @param tokensUnconfirmed tokens on their way, not acknowledged when delivery stopped: the broker may have
     *                          written them (a broker that stops while writing them cannot answer)
     * @param reason          why delivery stopped
     * @param notMarked       why the run could not be marked FAILED either, or empty when it was
     */
    record Undelivered<T>(Optional<T> result, Optional<RunLifecycle> run, long tokensSent, long tokensDelivered,
                          long tokensUnconfirmed, String reason, Optional<String> notMarked)
            implements RunOutcome<T> {

        /** Tokens certainly not in the topic. */
        public long tokensNotDelivered() {
            return tokensSent - tokensDelivered - tokensUnconfirmed;
        }

        /** One paragraph for the user: what arrived, what did not, why, and what became of the run. */
        public String message() {
            String unconfirmed = tokensUnconfirmed == 0 ? "" : String.format(", %d unconfirmed (on their way when "
                    + "delivery stopped: they may or may not be in the topic)", tokensUnconfirmed);
            String counts = String.format("delivered %d of %d tokens, %d not delivered%s (%s)", tokensDelivered,
                    tokensSent, tokensNotDelivered(), unconfirmed, reason);
            return run.map(r -> counts + "; " + runState(r)).orElse(counts);
        }

        private String runState(RunLifecycle r) {
            String run = "run " + r.runName() + " (" + r.runId() + ")";
            return notMarked.map(why -> run + " could not be marked FAILED either (" + why + "): it stays without an"
                            + " end event, as if still live")
                    .orElse(run + " is marked FAILED with " + tokensDelivered + " tokens");
        }
    }
}
