package io.moescope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import org.junit.jupiter.api.Test;

/** The logging of the commands other than {@code serve}, as {@code cli-logback.xml} configures it. */
class CliLoggingConfigTest {

    @Test
    void djlsGpuCountWarningIsNotShownSinceTheBundledLibtorchRunsOnTheCpuOnly() throws JoranException {
        LoggerContext context = cliLogging();
        assertThat(context.getLogger("ai.djl.util.cuda.CudaUtils").isWarnEnabled()).isFalse();
        assertThat(context.getLogger("ai.djl.util.cuda.CudaUtils").isErrorEnabled()).isTrue();
    }

    @Test
    void otherLibrariesStillWarn() throws JoranException {
        assertThat(cliLogging().getLogger("ai.djl.pytorch.engine.PtEngine").isWarnEnabled()).isTrue();
    }

    /** A context of its own: the tests' own logging is left as it is. */
    private static LoggerContext cliLogging() throws JoranException {
        var context = new LoggerContext();
        var configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(CliLoggingConfigTest.class.getResource("/cli-logback.xml"));
        return context;
    }
}
