package io.moescope.platform.security;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.data.domain.Sort;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The dashboard's users: created by an admin (or at first start), signed in through Spring Security. */
@Service
public class UserAccounts implements UserDetailsService {

    static final int MIN_PASSWORD_LENGTH = 12;
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    private final UserRepository users;
    private final PasswordEncoder passwords;
    private final Clock clock;

    public UserAccounts(UserRepository users, PasswordEncoder passwords, Clock clock) {
        this.users = users;
        this.passwords = passwords;
        this.clock = clock;
    }

    /** A new user; bad input (name taken or malformed, short password) is an IllegalArgumentException naming it. */
    @Transactional
    public UserAccount create(String username, String password, Role role) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new IllegalArgumentException("user name must be 1 to 64 letters, digits or . _ @ -, not '"
                    + username + "'");
        }
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("password must have at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        if (users.existsByUsername(username)) {
            throw new IllegalArgumentException("user '" + username + "' already exists");
        }
        var user = new UserEntity(username, passwords.encode(password), role, OffsetDateTime.now(clock));
        return users.save(user).account();
    }

    public List<UserAccount> list() {
        return users.findAll(Sort.by("username")).stream().map(UserEntity::account).toList();
    }

    public long count() {
        return users.count();
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        UserEntity user = users.findByUsername(username)
                .orElseThrow(() -> new UsernameNotFoundException("no user " + username));
        return User.withUsername(username).password(user.passwordHash())
                .authorities(user.account().role().authorities()).build();
    }
}
