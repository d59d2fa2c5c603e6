package io.moescope.dashboard.login;

import com.vaadin.flow.spring.security.VaadinAwareSecurityContextHolderStrategyConfiguration;
import com.vaadin.flow.spring.security.VaadinSecurityConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The dashboard: session sign-in through {@link LoginView}, and Vaadin's navigation access control on every view
 * ({@code @PermitAll} = any signed-in user, {@code @RolesAllowed("ADMIN")} = admins; a view with neither is denied).
 * This chain comes last: the JSON API and the actuator have their own (io.moescope.platform.security).
 */
@Configuration(proxyBeanMethods = false)
@Import(VaadinAwareSecurityContextHolderStrategyConfiguration.class)
public class UiSecurityConfiguration {

    /**
     * Everything from this origin only, no frames, no plugins. Vaadin Flow needs {@code 'unsafe-inline'} and
     * {@code 'unsafe-eval'} for scripts (its bootstrap is an inline script, and its client engine builds functions
     * from the expressions the server sends) and {@code 'unsafe-inline'} for styles; charts draw on canvas, icons
     * may be data URLs.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval';"
            + " style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:;"
            + " connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    SecurityFilterChain dashboardSecurity(HttpSecurity http) throws Exception {
        return http.with(VaadinSecurityConfigurer.vaadin(), vaadin -> vaadin.loginView(LoginView.class))
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY)))
                .build();
    }
}
