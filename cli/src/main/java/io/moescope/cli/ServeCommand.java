package io.moescope.cli;

import io.moescope.platform.MoescopeApplication;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the platform: ingest, analytics, dashboard (http://localhost:8080) and JSON API.",
            "With no spring.datasource.url / spring.kafka.bootstrap-servers it starts an embedded PostgreSQL and "
                + "Kafka broker (data in .moescope/) and streams a demo run through the probe.",
            "Spring properties may follow, e.g. --server.port=9090 --moescope.demo.enabled=false"})
final class ServeCommand implements Callable<ConfigurableApplicationContext> {

    @Unmatched
    private List<String> springArguments = new ArrayList<>();

    /** @return the running application; the JVM stays up until it is closed */
    @Override
    public ConfigurableApplicationContext call() {
        try {
            return SpringApplication.run(MoescopeApplication.class, springArguments.toArray(String[]::new));
        } catch (RuntimeException e) {
            // Spring Boot has already printed what went wrong (with our failure analysis where it applies).
            throw new AlreadyReportedException(e);
        }
    }

    /** A failure whose message the application already printed. */
    static final class AlreadyReportedException extends RuntimeException {
        AlreadyReportedException(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }
}
