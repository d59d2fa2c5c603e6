package io.moescope.probe.kafka;

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
     * @param tokensSent      tokens handed to Kafka's producer
     * @param tokensDelivered tokens the broker acknowledged: what is in the topic
     * @param reason          why delivery stopped
     * @param notMarked       why the run could not be marked FAILED either, or empty when it was
     */
    record Undelivered<T>(Optional<T> result, Optional<RunLifecycle> run, long tokensSent, long tokensDelivered,
                          String reason, Optional<String> notMarked) implements RunOutcome<T> {

        public long tokensNotDelivered() {
            return tokensSent - tokensDelivered;
        }

        /** One paragraph for the user: what arrived, what did not, why, and what became of the run. */
        public String message() {
            String counts = String.format("delivered %d of %d tokens, %d not delivered (%s)", tokensDelivered,
                    tokensSent, tokensNotDelivered(), reason);
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
