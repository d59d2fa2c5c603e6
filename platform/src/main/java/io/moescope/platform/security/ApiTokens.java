package io.moescope.platform.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Bearer tokens for the JSON API: 256 random bits, stored only as their SHA-256, found by that hash on each request.
 * The {@code msk_} prefix makes a leaked token recognisable (secret scanners, logs).
 */
@Service
public class ApiTokens {

    static final String PREFIX = "msk_";
    /** last_used_at is a hint for admins, not an audit log: one write a minute per token, not one per request. */
    static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
    private static final int NAME_MAX = 100;

    private final ApiTokenRepository tokens;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public ApiTokens(ApiTokenRepository tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    @Transactional
    public IssuedToken create(String name, Role role) {
        if (name == null || name.isBlank() || name.length() > NAME_MAX) {
            throw new IllegalArgumentException("token name must be 1 to " + NAME_MAX + " characters, not '"
                    + name + "'");
        }
        byte[] bits = new byte[32];
        random.nextBytes(bits);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
        var token = tokens.save(new ApiTokenEntity(name.strip(), role, hash(secret), now()));
        return new IssuedToken(token.info(), secret);
    }

    public List<ApiTokenInfo> list() {
        return tokens.findAll(Sort.by("createdAt", "id")).stream().map(ApiTokenEntity::info).toList();
    }

    /** Revokes the token (idempotent); an unknown id is an IllegalArgumentException. */
    @Transactional
    public ApiTokenInfo revoke(long id) {
        ApiTokenEntity token = tokens.findById(id)
                .orElseThrow(() -> new IllegalArgumentException("no API token with id " + id));
        token.revoke(now());
        return token.info();
    }

    /** The valid token with this secret, its last use noted; empty for an unknown or revoked secret. */
    @Transactional
    public Optional<ApiTokenInfo> authenticate(String secret) {
        return valid(secret).map(token -> {
            OffsetDateTime now = now();
            if (token.lastUsedAt() == null || token.lastUsedAt().plus(TOUCH_INTERVAL).isBefore(now)) {
                token.usedAt(now);
            }
            return token.info();
        });
    }

    /** Whether this secret is a valid token: for the local CLI token, which the server keeps while it works. */
    public boolean isValid(String secret) {
        return valid(secret).isPresent();
    }

    private Optional<ApiTokenEntity> valid(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            return Optional.empty();
        }
        return tokens.findByTokenHash(hash(secret)).filter(token -> !token.revoked());
    }

    static String hash(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock);
    }
}
