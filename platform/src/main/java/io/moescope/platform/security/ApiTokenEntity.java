package io.moescope.platform.security;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A row of {@code api_token}: the token's hash, never the token. */
@Entity
@Table(name = "api_token")
class ApiTokenEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    private String name;
    @Enumerated(EnumType.STRING)
    private Role role;
    @Column(name = "token_hash")
    private String tokenHash;
    @Column(name = "created_at")
    private OffsetDateTime createdAt;
    @Column(name = "last_used_at")
    private OffsetDateTime lastUsedAt;
    @Column(name = "revoked_at")
    private OffsetDateTime revokedAt;

    protected ApiTokenEntity() {
        // for JPA
    }

    ApiTokenEntity(String name, Role role, String tokenHash, OffsetDateTime createdAt) {
        this.name = name;
        this.role = role;
        this.tokenHash = tokenHash;
        this.createdAt = createdAt;
    }

    boolean revoked() {
        return revokedAt != null;
    }

    void revoke(OffsetDateTime at) {
        if (revokedAt == null) {
            revokedAt = at;
        }
    }

    OffsetDateTime lastUsedAt() {
        return lastUsedAt;
    }

    void usedAt(OffsetDateTime at) {
        lastUsedAt = at;
    }

    ApiTokenInfo info() {
        return new ApiTokenInfo(id, name, role, createdAt, lastUsedAt, revokedAt);
    }
}
