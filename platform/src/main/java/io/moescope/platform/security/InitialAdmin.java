package io.moescope.platform.security;

import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * No default password: the first start (no users at all) creates {@value #USERNAME} with a random password and
 * prints it once, in a banner nobody can miss. Later starts find a user and say nothing. Runs while the context
 * starts (after Flyway: it needs the users table), so the dashboard never serves a moment without an admin.
 */
@Component
public class InitialAdmin implements InitializingBean {

    public static final String USERNAME = "admin";
    private static final Logger log = LoggerFactory.getLogger(InitialAdmin.class);

    private final UserAccounts users;
    private final SecureRandom random = new SecureRandom();

    public InitialAdmin(UserAccounts users) {
        this.users = users;
    }

    @Override
    public void afterPropertiesSet() {
        if (users.count() > 0) {
            return;
        }
        String password = randomPassword();
        users.create(USERNAME, password, Role.ADMIN);
        log.warn("""

                ************************************************************************
                moescope first start: created the admin user. Sign in with
                    user:     {}
                    password: {}
                This password is shown only this once. Create named users and API tokens
                under "Users & tokens" in the dashboard.
                ************************************************************************""",
                USERNAME, password);
    }

    private String randomPassword() {
        byte[] bits = new byte[18];
        random.nextBytes(bits);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }
}
