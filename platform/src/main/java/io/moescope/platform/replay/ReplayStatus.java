package io.moescope.platform.replay;

/**
 * A replay as {@code /api/replays} shows it.
 *
 * @param replayId    the replay's id (what DELETE cancels)
 * @param sourceRunId the stored run being replayed
 * @param runId       the new run the replay streams into (source {@code replay})
 * @param speed       original pace times this; 0 = as fast as possible
 * @param state       RUNNING, FINISHED, CANCELLED or FAILED
 * @param tokensSent  tokens sent so far
 * @param tokensTotal tokens the stored run holds
 * @param error       why it failed, else null
 */
public record ReplayStatus(String replayId, String sourceRunId, String runId, double speed, String state,
                           long tokensSent, long tokensTotal, String error) {
}
