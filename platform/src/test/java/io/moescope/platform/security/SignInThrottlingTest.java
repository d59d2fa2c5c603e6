package io.moescope.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.platform.EmbeddedPlatformTest;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * The application's password sign-in and its bearer tokens, throttled as wired (issue #18: 50 wrong passwords in
 * 38 s, no delay, no log line, the right password working right after). Each test uses its own user and client
 * address: the throttle lives as long as the shared application context.
 */
@ExtendWith(OutputCaptureExtension.class)
class SignInThrottlingTest extends EmbeddedPlatformTest {

    private static final String PASSWORD = "correct horse battery";

    @Autowired
    private AuthenticationProvider signIn;
    @Autowired
    private SignInThrottle throttle;
    @Autowired
    private UserAccounts users;
    @Autowired
    private ApiTokens tokens;
    @Autowired
    private Clock clock;

    @Test
    void aWrongPasswordIsLoggedWithUserAndAddress(CapturedOutput output) {
        users.create("throttle-log", PASSWORD, Role.VIEWER);
        assertThatThrownBy(() -> signIn.authenticate(attempt("throttle-log", "wrong", "192.0.2.10")))
                .isInstanceOf(BadCredentialsException.class);
        assertThat(output).contains("Failed sign-in for user 'throttle-log' from 192.0.2.10 (1 in a row)");
    }

    @Test
    void afterFourWrongPasswordsEvenTheRightOneWaitsAndTheReasonIsGiven() {
        users.create("throttle-wait", PASSWORD, Role.VIEWER);
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> signIn.authenticate(attempt("throttle-wait", "wrong", "192.0.2.11")))
                    .isInstanceOf(BadCredentialsException.class);
        }
        assertThatThrownBy(() -> signIn.authenticate(attempt("throttle-wait", PASSWORD, "192.0.2.11")))
                .isInstanceOf(LockedException.class)
                .hasMessage("too many failed sign-ins for user 'throttle-wait'; try again in 1 s");
    }

    @Test
    void anAdminLiftsTheLockAndTheRightPasswordWorksAgain() {
        users.create("throttle-lift", PASSWORD, Role.VIEWER);
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> signIn.authenticate(attempt("throttle-lift", "wrong", "192.0.2.12")))
                    .isInstanceOf(BadCredentialsException.class);
        }
        throttle.lift("user:throttle-lift");
        throttle.lift("address:192.0.2.12");
        assertThat(signIn.authenticate(attempt("throttle-lift", PASSWORD, "192.0.2.12")).isAuthenticated()).isTrue();
    }

    @Test
    void unknownTokensAreLoggedAndAnAddressThatSendsTooManyIsAnswered429(CapturedOutput output) throws Exception {
        var filter = new BearerTokenFilter(tokens, SecurityContextHolder.getContextHolderStrategy(),
                new SignInThrottle(clock, SignInThrottle.Policy.TOKENS));
        for (int i = 0; i < SignInThrottle.Policy.TOKENS.freeFailures() + 1; i++) {
            assertThat(send(filter, "msk_guess-" + i).getStatus()).isEqualTo(200);
        }
        MockHttpServletResponse throttled = send(filter, "msk_guess-last");

        assertThat(output).contains("Unknown or revoked API token from 192.0.2.13 on GET /api/runs (1 in a row)");
        assertThat(throttled.getStatus()).isEqualTo(429);
        assertThat(throttled.getContentType()).isEqualTo("application/problem+json");
        assertThat(throttled.getContentAsString()).contains("too many failed sign-ins for 192.0.2.13; try again in 1 s");
    }

    /** 200: the filter let the request on, unauthenticated (the chain's entry point answers 401). */
    private static MockHttpServletResponse send(BearerTokenFilter filter, String token) throws Exception {
        var request = new MockHttpServletRequest("GET", "/api/runs");
        request.setRemoteAddr("192.0.2.13");
        request.addHeader("Authorization", "Bearer " + token);
        var response = new MockHttpServletResponse();
        filter.doFilter(request, response, new MockFilterChain());
        return response;
    }

    private static Authentication attempt(String user, String password, String address) {
        var attempt = UsernamePasswordAuthenticationToken.unauthenticated(user, password);
        attempt.setDetails(new WebAuthenticationDetails(address, null));
        return attempt;
    }
}
