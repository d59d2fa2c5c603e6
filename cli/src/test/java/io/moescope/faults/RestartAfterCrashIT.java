package io.moescope.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What an operator meets when starting the packaged application again on a data dir after a crash. */
class RestartAfterCrashIT {


    @Test
    void aStartAfterTheApplicationAloneWasKilledStopsTheOrphanedPostgresAndSaysSo() throws Exception {
        ServeProcess serve = serveIn(Files.createTempDirectory(root(), "orphan"), "serve.log");
        Process first = serve.start(ServeProcess.START_TIMEOUT);
        ProcessHandle postmaster = serve.postmaster().orElseThrow();

        first.destroyForcibly();
        first.waitFor(60, TimeUnit.SECONDS);
        assertThat(postmaster.isAlive()).as("PostgreSQL outlives a killed JVM (pg_ctl detached it)").isTrue();

        Process second = serve.start(ServeProcess.START_TIMEOUT);
        assertThat(postmaster.isAlive()).as("the orphan").isFalse();
        assertThat(serve.count("Stopped the embedded PostgreSQL (pid " + postmaster.pid() + ") that an earlier "
                + "moescope left running")).isEqualTo(1);
        ServeProcess.stop(second);
    }

    @Test
    void aSecondServeOnTheSameDataDirIsRefusedByNameWhateverItsPorts() throws Exception {
        Path work = Files.createTempDirectory(root(), "second");
        ServeProcess serve = serveIn(work, "serve.log");
        Process running = serve.start(ServeProcess.START_TIMEOUT);
        ServeProcess other = new ServeProcess(serve.jar(), serve.dataDir(), serve.pgWorkingDir(),
                ServeProcess.Ports.free(), work.resolve("second.log"));

        Process refused = other.launch();
        assertThat(refused.waitFor(3, TimeUnit.MINUTES)).as("the second serve ends by itself").isTrue();

        assertThat(refused.exitValue()).isNotZero();
        assertThat(other.count("another moescope (pid " + running.pid() + ") is already running on the data dir "
                + serve.dataDir().toAbsolutePath())).isEqualTo(1);
        assertThat(other.count("\tat ")).as("stack trace lines").isZero();
        assertThat(running.isAlive()).as("the first serve").isTrue();
        ServeProcess.stop(running);
    }

    private static ServeProcess serveIn(Path work, String log) throws IOException {
        return new ServeProcess(ServeProcess.packagedJar(), work.resolve("data"), work.resolve("embedded-pg"),
                ServeProcess.Ports.free(), work.resolve(log));
    }

    private static Path root() throws IOException {
        return Files.createDirectories(Path.of("target", "fault-tests"));
    }
}
