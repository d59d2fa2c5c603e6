package io.moescope.platform.embedded;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
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
        boolean startPostgres = !env.containsProperty("spring.datasource.url");
        boolean startKafka = !env.containsProperty("spring.kafka.bootstrap-servers");
        if (!startPostgres && !startKafka) {
            env.getPropertySources().addFirst(new MapPropertySource("moescopeEmbeddedServers",
                    Map.of("moescope.embedded.active", false)));
            return;
        }
        // Registered first, so released last: after the servers that use the data dir have stopped.
        startRegistered(registry, "dataDirLock", () -> lock(dataDir));
        Map<String, Object> properties = new HashMap<>();
        if (startPostgres) {
            Path pgData = dataDir.resolve("postgres");
            int port = env.getProperty("moescope.embedded.postgres-port", Integer.class, 54320);
            EmbeddedPostgresServer postgres = startRegistered(registry, "embeddedPostgres",
                    () -> EmbeddedPostgresServer.start(pgData, port));
            properties.put("spring.datasource.url", postgres.jdbcUrl());
            properties.put("spring.datasource.username", postgres.username());
            properties.put("spring.datasource.password", postgres.password());
            log.info("Embedded PostgreSQL at {} (data in {})", postgres.jdbcUrl(), pgData);
        }
        if (startKafka) {
            Path kafkaLog = dataDir.resolve("kafka");
            int port = env.getProperty("moescope.embedded.kafka-port", Integer.class, 9092);
            EmbeddedKafkaBroker kafka = startRegistered(registry, "embeddedKafkaBroker",
                    () -> EmbeddedKafkaBroker.start(kafkaLog, port));
            properties.put("spring.kafka.bootstrap-servers", kafka.bootstrapServers());
            if (!env.containsProperty("moescope.ingest.instance-id")) {
                // Only this process consumes from its own broker (the data dir lock sees to that): static group
                // membership lets a start after a crash take the partitions back at once instead of waiting out
                // the dead consumers' sessions.
                properties.put("moescope.ingest.instance-id", "moescope-embedded");
            }
            log.info("Embedded Kafka broker at {} (log in {})", kafka.bootstrapServers(), kafkaLog);
        }
        properties.put("moescope.embedded.active", true);
        env.getPropertySources().addFirst(new MapPropertySource("moescopeEmbeddedServers", properties));
    }

    /** Starts a server and registers it to be closed with the context, or closes the others if it fails. */
    private static <T extends AutoCloseable> T startRegistered(DefaultSingletonBeanRegistry registry, String name,
                                                               Supplier<T> start) {
        T server;
        try {
            server = start.get();
        } catch (RuntimeException e) {
            // The context never refreshes, so it will not destroy what was registered so far.
            registry.destroySingletons();
            throw e;
        }
        registry.registerSingleton(name, server);
        registry.registerDisposableBean(name, server::close);
        return server;
    }

    private static DataDirLock lock(Path dataDir) {
        try {
            return DataDirLock.acquire(dataDir);
        } catch (IOException e) {
            throw new EmbeddedServerException("could not lock the data dir " + dataDir + ": " + e.getMessage(), e);
        }
    }
}
