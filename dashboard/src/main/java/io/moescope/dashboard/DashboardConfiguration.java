package io.moescope.dashboard;

import io.moescope.dashboard.login.UiSecurityConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.PropertySource;

/**
 * The dashboard in the platform's Spring Boot application, wherever this module is on the classpath (registered in
 * {@code META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports}); the platform knows
 * nothing of it. Vaadin's Spring integration looks for {@code @Route} classes only in the auto-configuration
 * packages (the application class's {@code io.moescope.platform}): registering this package adds to them, it
 * replaces nothing. Its sign-in chain comes with it, and its Vaadin settings (dashboard.properties, overridable like
 * any property).
 */
@AutoConfiguration
@AutoConfigurationPackage
@Import(UiSecurityConfiguration.class)
@PropertySource("classpath:dashboard.properties")
public class DashboardConfiguration {
}
