package io.moescope.app.embedded;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The embedded default: when no PostgreSQL ({@code spring.datasource.url}) or Kafka
 * ({@code spring.kafka.bootstrap-servers}) is configured, starts one in this process before the context refreshes,
 * and points the application at it. The servers are registered as disposable singletons before anything else, so
 * they stop after everything that uses them, also when the context fails to start.
 *
 * <p>Settings: {@code moescope.embedded.enabled} (default true), {@code moescope.data-dir} (default
 * {@code .moescope}), {@code moescope.embedded.kafka-port} (9092), {@code moescope.embedded.postgres-port} (54320).
 */
public class EmbeddedServersInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedServersInitializer.class);

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        ConfigurableEnvironment env = context.getEnvironment();
        if (!env.getProperty("moescope.embedded.enabled", Boolean.class, true)) {
            return;
        }
        if (!(context.getBeanFactory() instanceof DefaultSingletonBeanRegistry registry)) {
            throw new IllegalStateException("embedded servers need a singleton registry, not "
                    + context.getBeanFactory().getClass().getName());
        }
        Path dataDir = Path.of(env.getProperty("moescope.data-dir", ".moescope")).toAbsolutePath();
        Map<String, Object> properties = new HashMap<>();
        if (!env.containsProperty("spring.datasource.url")) {
            EmbeddedPostgresServer postgres = startPostgres(dataDir.resolve("postgres"),
                    env.getProperty("moescope.embedded.postgres-port", Integer.class, 54320));
            register(registry, "embeddedPostgres", postgres);
            properties.put("spring.datasource.url", postgres.jdbcUrl());
            properties.put("spring.datasource.username", postgres.username());
            properties.put("spring.datasource.password", "");
            log.info("Embedded PostgreSQL at {} (data in {})", postgres.jdbcUrl(), dataDir.resolve("postgres"));
        }
        if (!env.containsProperty("spring.kafka.bootstrap-servers")) {
            EmbeddedKafkaBroker kafka;
            try {
                kafka = startKafka(dataDir.resolve("kafka"),
                        env.getProperty("moescope.embedded.kafka-port", Integer.class, 9092));
            } catch (RuntimeException e) {
                // The context never refreshes, so it will not destroy what was registered so far.
                registry.destroySingletons();
                throw e;
            }
            register(registry, "embeddedKafkaBroker", kafka);
            properties.put("spring.kafka.bootstrap-servers", kafka.bootstrapServers());
            log.info("Embedded Kafka broker at {} (log in {})", kafka.bootstrapServers(), dataDir.resolve("kafka"));
        }
        properties.put("moescope.embedded.active", !properties.isEmpty());
        env.getPropertySources().addFirst(new MapPropertySource("moescopeEmbeddedServers", properties));
    }

    private static void register(DefaultSingletonBeanRegistry registry, String name, AutoCloseable server) {
        registry.registerSingleton(name, server);
        registry.registerDisposableBean(name, server::close);
    }

    private static EmbeddedPostgresServer startPostgres(Path dataDir, int port) {
        try {
            return EmbeddedPostgresServer.start(dataDir, port);
        } catch (IOException e) {
            throw new EmbeddedServerException("the embedded PostgreSQL did not start (data in " + dataDir + "): "
                    + e.getMessage(), e);
        }
    }

    private static EmbeddedKafkaBroker startKafka(Path logDir, int port) {
        try {
            return EmbeddedKafkaBroker.start(logDir, port);
        } catch (IOException e) {
            throw new EmbeddedServerException("the embedded Kafka broker did not start (log in " + logDir + "): "
                    + e.getMessage(), e);
        }
    }
}
