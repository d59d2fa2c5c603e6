package io.moescope.ingest.consumer;

/**
 * The database refused or could not take a batch. Fails the whole batch, which the error handler redelivers with
 * back-off until the database takes it: such a batch is never dead-lettered.
 */
public class IngestStorageException extends RuntimeException {

    public IngestStorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
