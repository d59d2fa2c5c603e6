package io.moescope.platform.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * The dashboard's password sign-in, checked against {@link SignInThrottle} before the password is compared: a
 * throttled user or address is refused with the reason (the login view shows it), every failure is logged with
 * user and address.
 */
final class ThrottledSignIn implements AuthenticationProvider {

    private static final Logger log = LoggerFactory.getLogger(ThrottledSignIn.class);

    private final AuthenticationProvider passwords;
    private final SignInThrottle throttle;

    ThrottledSignIn(AuthenticationProvider passwords, SignInThrottle throttle) {
        this.passwords = passwords;
        this.throttle = throttle;
    }

    @Override
    public Authentication authenticate(Authentication attempt) {
        String user = attempt.getName();
        String address = address(attempt);
        throttle.refusal(user, address).ifPresent(reason -> {
            log.warn("Sign-in refused for user '{}' from {}: {}", user, address, reason);
            throw new LockedException(reason);
        });
        try {
            Authentication signedIn = passwords.authenticate(attempt);
            throttle.succeeded(user, address);
            return signedIn;
        } catch (BadCredentialsException e) {
            var failures = throttle.failed(user, address);
            log.warn("Failed sign-in for user '{}' from {} ({} in a row)", user, address, failures.count());
            throw e;
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    private static String address(Authentication attempt) {
        return attempt.getDetails() instanceof WebAuthenticationDetails web && web.getRemoteAddress() != null
                ? web.getRemoteAddress() : "an unknown address";
    }
}
