package io.moescope.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The bearer token the command line sends, and where it came from (for error messages). First match wins:
 * {@code --token}, {@code MOESCOPE_TOKEN}, {@code --token-file}, {@code MOESCOPE_TOKEN_FILE}, and, for a server on
 * this machine, the token file {@code moescope serve} keeps in its data dir ({@code <data-dir>/cli-token}), with the
 * data dir found as the server finds it: {@code -Dmoescope.data-dir}, {@code MOESCOPE_DATA_DIR}, else
 * {@code .moescope} (the launcher script passes the same one to both).
 */
record CliToken(String value, String source) {

    static final String LOCAL_FILE = "cli-token";

    @Override
    public String toString() {
        return "CliToken[" + source + "]";
    }

    /** From this process's environment and system properties. */
    static Optional<CliToken> find(URI server, String token, Path tokenFile) {
        return find(server, token, tokenFile, System.getenv(), localDataDir(System.getenv()));
    }

    static Optional<CliToken> find(URI server, String token, Path tokenFile, Map<String, String> env, Path dataDir) {
        if (present(token)) {
            return Optional.of(new CliToken(token.strip(), "--token"));
        }
        if (present(env.get("MOESCOPE_TOKEN"))) {
            return Optional.of(new CliToken(env.get("MOESCOPE_TOKEN").strip(), "MOESCOPE_TOKEN"));
        }
        if (tokenFile != null) {
            return Optional.of(read(tokenFile, "--token-file " + tokenFile));
        }
        if (present(env.get("MOESCOPE_TOKEN_FILE"))) {
            Path file = Path.of(env.get("MOESCOPE_TOKEN_FILE"));
            return Optional.of(read(file, "MOESCOPE_TOKEN_FILE " + file));
        }
        Path local = dataDir.resolve(LOCAL_FILE);
        if (isLocal(server) && Files.isReadable(local)) {
            return Optional.of(read(local, "the local server's token file " + local));
        }
        return Optional.empty();
    }

    static Path localDataDir(Map<String, String> env) {
        String dir = System.getProperty("moescope.data-dir", env.getOrDefault("MOESCOPE_DATA_DIR", ".moescope"));
        return Path.of(dir).toAbsolutePath();
    }

    private static CliToken read(Path file, String source) {
        try {
            String token = Files.readString(file).strip();
            if (token.isEmpty()) {
                throw new IllegalArgumentException("the API token file " + file + " is empty");
            }
            return new CliToken(token, source);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the API token file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Only a server on this machine can be the one that wrote the local token file: never send it elsewhere. */
    private static boolean isLocal(URI server) {
        String host = server.getHost();
        if (host == null) {
            return false;
        }
        try {
            return host.equalsIgnoreCase("localhost") || InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
