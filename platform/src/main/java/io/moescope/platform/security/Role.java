package io.moescope.platform.security;

import java.util.List;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * What a user or a token may do. A viewer reads everything; an admin also writes (rules, imports, replays,
 * settings, users, tokens). An admin holds both authorities, so "viewer or better" is simply {@code hasRole(VIEWER)}
 * everywhere (URL rules and Vaadin's {@code @RolesAllowed} alike) without a role hierarchy.
 */
public enum Role {
    VIEWER,
    ADMIN;

    public List<GrantedAuthority> authorities() {
        return switch (this) {
            case VIEWER -> List.of(authority(VIEWER));
            case ADMIN -> List.of(authority(ADMIN), authority(VIEWER));
        };
    }

    private static GrantedAuthority authority(Role role) {
        return new SimpleGrantedAuthority("ROLE_" + role.name());
    }
}
