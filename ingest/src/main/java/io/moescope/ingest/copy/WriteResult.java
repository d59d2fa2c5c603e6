package io.moescope.ingest.copy;

/**
 * What one {@link TokenRoutingCopyWriter#write} did.
 *
 * @param received tokens handed to the writer
 * @param inserted tokens stored by this call; the rest were already stored (a replay) or repeated in the batch
 * @param insertedDecisions decisions (token x layer) of the inserted tokens
 */
public record WriteResult(int received, int inserted, long insertedDecisions) {

    public int duplicates() {
        return received - inserted;
    }
}
