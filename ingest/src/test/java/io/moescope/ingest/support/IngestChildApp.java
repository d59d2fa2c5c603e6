package io.moescope.ingest.support;

import io.moescope.ingest.consumer.IngestConfiguration;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Only the ingest wiring, in a JVM of its own, for tests that kill it ({@link IngestProcess}). Arguments are Spring
 * properties ({@code --spring.kafka.bootstrap-servers=...}).
 *
 * <p>{@code moescope.test.commit-delay} (milliseconds, default 0) makes every database commit return that much
 * later: it widens the window between the database commit and the Kafka offset commit, where a kill makes Kafka
 * redeliver records that are already stored.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(IngestConfiguration.class)
public class IngestChildApp {

    public static void main(String[] args) {
        new SpringApplicationBuilder(IngestChildApp.class).web(WebApplicationType.NONE).run(args);
        System.out.println(IngestProcess.READY);
    }

    @Bean
    static BeanPostProcessor slowCommits(org.springframework.core.env.Environment env) {
        long delay = env.getProperty("moescope.test.commit-delay", Long.class, 0L);
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (delay > 0 && bean instanceof DataSource dataSource) {
                    return slowCommitting(dataSource, delay);
                }
                return bean;
            }
        };
    }

    private static DataSource slowCommitting(DataSource dataSource, long delayMillis) {
        return (DataSource) Proxy.newProxyInstance(IngestChildApp.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    Object result = invoke(dataSource, method, args);
                    if (result instanceof Connection connection) {
                        return slowCommitting(connection, delayMillis);
                    }
                    return result;
                });
    }

    private static Connection slowCommitting(Connection connection, long delayMillis) {
        return (Connection) Proxy.newProxyInstance(IngestChildApp.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    Object result = invoke(connection, method, args);
                    if (method.getName().equals("commit")) {
                        Thread.sleep(delayMillis);
                    }
                    return result;
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
