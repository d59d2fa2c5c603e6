package io.moescope.ui;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Configuration;

/**
 * Makes Vaadin find the views. Vaadin's Spring integration looks for {@code @Route} classes only in the
 * auto-configuration packages, which are the application class's package ({@code io.moescope.app}); component
 * scanning of {@code io.moescope.ui} is not enough. Registering this package adds to them, it replaces nothing.
 */
@Configuration(proxyBeanMethods = false)
@AutoConfigurationPackage
class UiConfiguration {
}
