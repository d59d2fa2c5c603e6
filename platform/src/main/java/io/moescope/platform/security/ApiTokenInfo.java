package io.moescope.platform.security;

import java.time.OffsetDateTime;

/** What an admin sees of an API token: everything but the token itself, which is shown once, at creation. */
public record ApiTokenInfo(long id, String name, Role role, OffsetDateTime createdAt, OffsetDateTime lastUsedAt,
                           OffsetDateTime revokedAt) {

    public boolean revoked() {
        return revokedAt != null;
    }
}
