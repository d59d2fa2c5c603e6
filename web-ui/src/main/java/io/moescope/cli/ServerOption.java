package io.moescope.cli;

import picocli.CommandLine.Option;

/** {@code --server}: where the platform's JSON API runs. */
final class ServerOption {

    @Option(names = "--server", defaultValue = "http://localhost:8080", paramLabel = "URL",
            description = "The running platform (default: ${DEFAULT-VALUE}).")
    String server;

    PlatformApi api() {
        return new PlatformApi(server);
    }
}
