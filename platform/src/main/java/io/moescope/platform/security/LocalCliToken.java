package io.moescope.platform.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Zero-setup command line on the same machine: the server keeps an admin API token in
 * {@code <moescope.data-dir>/}{@value #FILE_NAME} (mode 0600, readable only by the user who runs the server), and
 * the CLI reads it when it talks to a server on localhost. The token is made once per data dir and kept while it
 * is valid; a deleted file or a revoked token gets a fresh one (the old ones of that name are revoked), so the
 * database holds at most one live local CLI token per data dir, and only its hash.
 */
@Component
public class LocalCliToken implements InitializingBean {

    public static final String FILE_NAME = "cli-token";
    private static final Logger log = LoggerFactory.getLogger(LocalCliToken.class);

    private final ApiTokens tokens;
    private final Path dataDir;

    public LocalCliToken(ApiTokens tokens, @Value("${moescope.data-dir:.moescope}") String dataDir) {
        this.tokens = tokens;
        this.dataDir = Path.of(dataDir).toAbsolutePath();
    }

    public Path file() {
        return dataDir.resolve(FILE_NAME);
    }

    @Override
    public void afterPropertiesSet() {
        if (existing().filter(tokens::isValid).isPresent()) {
            return;
        }
        String name = "local CLI (" + dataDir + ")";
        tokens.list().stream().filter(t -> t.name().equals(name) && !t.revoked()).forEach(t -> tokens.revoke(t.id()));
        write(tokens.create(name, Role.ADMIN).secret());
        log.info("Wrote an admin API token for the local command line to {}", file());
    }

    private Optional<String> existing() {
        try {
            return Files.isRegularFile(file()) ? Optional.of(Files.readString(file()).strip()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CLI token file " + file(), e);
        }
    }

    /** Written to a private temporary file first, then moved: the token is never readable by others, not even briefly. */
    private void write(String secret) {
        try {
            Files.createDirectories(dataDir);
            Path temp = Files.createTempFile(dataDir, FILE_NAME, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, secret + "\n");
            Files.move(temp, file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the CLI token file " + file(), e);
        }
    }
}
