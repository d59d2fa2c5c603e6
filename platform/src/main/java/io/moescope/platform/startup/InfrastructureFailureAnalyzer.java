package io.moescope.platform.startup;

import io.moescope.platform.embedded.EmbeddedServerException;
import java.sql.SQLException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Turns "cannot reach Kafka / PostgreSQL" and "embedded server did not start" into one clear message and an action,
 * instead of a page of stack trace.
 */
public class InfrastructureFailureAnalyzer implements FailureAnalyzer {

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InfrastructureUnavailableException e) {
                return new FailureAnalysis(e.getMessage(), e.action(), e);
            }
            if (t instanceof EmbeddedServerException e) {
                return new FailureAnalysis(e.getMessage(), e.action(), e);
            }
            if (t instanceof SQLException e && isConnectionFailure(e)) {
                return new FailureAnalysis("PostgreSQL is unreachable: " + e.getMessage(),
                        "Start PostgreSQL, correct spring.datasource.url / username / password, or remove "
                                + "spring.datasource.url to use the embedded PostgreSQL.", e);
            }
        }
        return null;
    }

    /** SQLSTATE class 08 is "connection exception"; 28 is "invalid authorization". */
    private static boolean isConnectionFailure(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("28"));
    }
}
