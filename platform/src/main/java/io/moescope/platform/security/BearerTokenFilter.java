package io.moescope.platform.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <token>} against {@link ApiTokens}. An unknown or revoked token leaves
 * the request unauthenticated, so the chain's entry point answers 401; nothing is kept between requests.
 */
final class BearerTokenFilter extends OncePerRequestFilter {

    static final String SCHEME = "Bearer ";

    private static final Logger log = LoggerFactory.getLogger(BearerTokenFilter.class);

    private final ApiTokens tokens;
    private final SecurityContextHolderStrategy contexts;
    private final SignInThrottle throttle;

    BearerTokenFilter(ApiTokens tokens, SecurityContextHolderStrategy contexts, SignInThrottle throttle) {
        this.tokens = tokens;
        this.contexts = contexts;
        this.throttle = throttle;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            String address = request.getRemoteAddr();
            var refusal = throttle.refusal(null, address);
            if (refusal.isPresent()) {
                ProblemResponses.tooManyRequests(request, response, refusal.get());
                return;
            }
            var token = tokens.authenticate(header.substring(SCHEME.length()).strip());
            if (token.isPresent()) {
                throttle.succeeded(null, address);
                SecurityContext context = contexts.createEmptyContext();
                context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                        "token:" + token.get().name(), null, token.get().role().authorities()));
                contexts.setContext(context);
            } else {
                var failures = throttle.failed(null, address);
                log.warn("Unknown or revoked API token from {} on {} {} ({} in a row)", address,
                        request.getMethod(), request.getRequestURI(), failures.count());
            }
        }
        chain.doFilter(request, response);
    }
}
