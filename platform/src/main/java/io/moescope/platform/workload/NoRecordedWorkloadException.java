package io.moescope.platform.workload;

/** The run exists but recorded no workload (it was imported or replayed), so it cannot be run again. */
public class NoRecordedWorkloadException extends RuntimeException {

    public NoRecordedWorkloadException(String message) {
        super(message);
    }
}
