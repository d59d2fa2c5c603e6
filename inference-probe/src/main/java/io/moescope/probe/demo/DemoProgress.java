package io.moescope.probe.demo;

/** Told after each tensor of a demo checkpoint is written, so a CLI or UI can show a progress bar. */
@FunctionalInterface
public interface DemoProgress {

    /** Reports nothing. */
    DemoProgress NONE = (written, total) -> { };

    /**
     * @param written tensors written so far, from 1
     * @param total   tensors the checkpoint will hold
     */
    void tensorsWritten(int written, int total);
}
