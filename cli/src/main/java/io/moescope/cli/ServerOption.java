package io.moescope.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --server}: where the platform's JSON API runs; {@code --token} / {@code --token-file}: who is asking. */
final class ServerOption {

    @Option(names = "--server", defaultValue = "http://localhost:8080", paramLabel = "URL",
            description = "The running platform (default: ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "API bearer token (default: $MOESCOPE_TOKEN, else the token file; prefer the environment:"
                + " a command line is visible to other users).")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "File holding the API token (default: $MOESCOPE_TOKEN_FILE, else for a localhost server"
                + " the <data-dir>/cli-token that 'moescope serve' writes).")
    Path tokenFile;

    PlatformApi api() {
        return new PlatformApi(server, token, tokenFile);
    }
}
