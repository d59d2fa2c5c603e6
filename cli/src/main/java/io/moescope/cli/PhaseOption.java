package io.moescope.cli;

import picocli.CommandLine.Option;

/** {@code --phase}: the token filter of the commands that read a run's decisions from the platform. */
final class PhaseOption {

    /** Null: every token. */
    @Option(names = "--phase", paramLabel = "prefill|decode",
            description = "Only tokens of this phase (default: both).")
    String phase;
}
