package io.moescope.platform.security;

import jakarta.servlet.DispatcherType;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Machine clients: the JSON API and the actuator take stateless bearer tokens (no session, no CSRF, no redirect to
 * a login page) and answer 401/403 as problem JSON. These chains come first; the dashboard's chain (Vaadin's form
 * sign-in, see io.moescope.dashboard.login) takes every other URL.
 *
 * <p>API rules: reads (GET, HEAD) need a VIEWER token, everything else an ADMIN token, and {@link #ADMIN_PATHS}
 * are admin-only even to read.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
public class ApiSecurityConfiguration {

    /** Admin endpoints: their reads are admin-only too (a replay's status, settings with secrets, users, tokens). */
    public static final String[] ADMIN_PATHS = {
        "/api/replays/**", "/api/replays", "/api/imports/**", "/api/imports", "/api/settings/**", "/api/settings",
        "/api/users/**", "/api/users", "/api/tokens/**", "/api/tokens"};

    /** DelegatingPasswordEncoder: bcrypt now, stored as {bcrypt}..., so a later algorithm can coexist. */
    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /** The dashboard's password sign-ins; admins see and lift its locks under Users & tokens. */
    @Bean
    SignInThrottle signInThrottle(Clock clock) {
        return new SignInThrottle(clock, SignInThrottle.Policy.PASSWORDS);
    }

    /** Password sign-in (the dashboard's form), throttled; the API's bearer tokens do not pass through here. */
    @Bean
    AuthenticationProvider throttledSignIn(UserAccounts users, PasswordEncoder encoder, SignInThrottle throttle) {
        var passwords = new DaoAuthenticationProvider(users);
        passwords.setPasswordEncoder(encoder);
        return new ThrottledSignIn(passwords, throttle);
    }

    /** Spring Security's firewall refuses some URLs before any chain runs; the refusal is problem JSON too. */
    @Bean
    RequestRejectedHandler problemJsonForRejectedRequests() {
        return ProblemResponses::rejected;
    }

    /**
     * Spring Boot's error page: a controller's 404/500 forwards here after the request's (stateless) authentication
     * is gone, and the answer must stay the error, not become a redirect to the login page.
     */
    @Bean
    @Order(0)
    SecurityFilterChain errorPageSecurity(HttpSecurity http, BearerTokenFilter bearer) throws Exception {
        return bearerOnly(http.securityMatcher("/error"), bearer)
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .build();
    }

    @Bean
    @Order(1)
    SecurityFilterChain apiSecurity(HttpSecurity http, BearerTokenFilter bearer) throws Exception {
        return bearerOnly(http.securityMatcher("/api/**"), bearer)
                .authorizeHttpRequests(requests -> requests
                        // A streamed answer (a run's export) comes back as an ASYNC dispatch, which no longer carries
                        // the stateless authentication: the REQUEST dispatch was authorised, let the rest finish.
                        .dispatcherTypeMatchers(DispatcherType.ASYNC).permitAll()
                        .requestMatchers(ADMIN_PATHS).hasRole(Role.ADMIN.name())
                        .requestMatchers(HttpMethod.GET, "/api/**").hasRole(Role.VIEWER.name())
                        .requestMatchers(HttpMethod.HEAD, "/api/**").hasRole(Role.VIEWER.name())
                        .anyRequest().hasRole(Role.ADMIN.name()))
                .build();
    }

    /** Liveness stays open (docker's healthcheck); metrics and the Prometheus scrape need a token (any role). */
    @Bean
    @Order(2)
    SecurityFilterChain actuatorSecurity(HttpSecurity http, BearerTokenFilter bearer) throws Exception {
        return bearerOnly(http.securityMatcher("/actuator/**"), bearer)
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .anyRequest().hasRole(Role.VIEWER.name()))
                .build();
    }

    /**
     * The filter stores the authentication with the strategy the chain reads it from: the application context's
     * (Vaadin's session-aware one), not whatever SecurityContextHolder holds globally, which the last application
     * started in this JVM sets (several live side by side in the tests).
     */
    @Bean
    BearerTokenFilter bearerTokenFilter(ApiTokens tokens, ObjectProvider<SecurityContextHolderStrategy> strategy,
                                        Clock clock) {
        return new BearerTokenFilter(tokens, strategy.getIfAvailable(SecurityContextHolder::getContextHolderStrategy),
                new SignInThrottle(clock, SignInThrottle.Policy.TOKENS));
    }

    /** Only inside the security chains: as a plain servlet filter it would run for every URL. */
    @Bean
    FilterRegistrationBean<BearerTokenFilter> bearerTokenFilterOutsideSecurity(BearerTokenFilter filter) {
        var registration = new FilterRegistrationBean<>(filter);
        registration.setEnabled(false);
        return registration;
    }

    private static HttpSecurity bearerOnly(HttpSecurity http, BearerTokenFilter bearer) throws Exception {
        return http
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .addFilterBefore(bearer, AnonymousAuthenticationFilter.class)
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint(ProblemResponses::unauthorized)
                        .accessDeniedHandler(ProblemResponses::forbidden));
    }
}
