package io.moescope.platform.security;

import java.time.OffsetDateTime;

/** A dashboard user as the rest of the application sees it: never with the password hash. */
public record UserAccount(long id, String username, Role role, OffsetDateTime createdAt) {
}
