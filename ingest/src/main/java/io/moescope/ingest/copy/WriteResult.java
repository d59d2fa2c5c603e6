package io.moescope.ingest.copy;

/**
 * What one {@link TokenRoutingCopyWriter#write} did.
 *
 * @param received tokens handed to the writer
 * @param inserted tokens stored by this call; the rest were already stored (a replay) or repeated in the batch
 */
public record WriteResult(int received, int inserted) {

    public int duplicates() {
        return received - inserted;
    }
}
