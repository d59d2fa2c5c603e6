package io.moescope.platform.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PeriodicTaskTest {

    @Test
    void aFailingRunDoesNotCancelTheSchedule() {
        var runs = new AtomicInteger();
        var task = new PeriodicTask("test-periodic", "test check", Duration.ofMillis(5), "off", () -> {
            runs.incrementAndGet();
            throw new IllegalStateException("database away");
        });
        task.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> runs.get() >= 3);
            assertThat(task.isRunning()).isTrue();
        } finally {
            task.stop();
        }
    }

    @Test
    void aZeroIntervalTurnsTheCheckOff() {
        var runs = new AtomicInteger();
        var task = new PeriodicTask("test-periodic", "test check", Duration.ZERO, "off", runs::incrementAndGet);
        task.start();

        assertThat(task.isRunning()).isFalse();
        assertThat(runs.get()).isZero();
    }

    @Test
    void stoppingEndsTheSchedule() {
        var task = new PeriodicTask("test-periodic", "test check", Duration.ofMillis(5), "off", () -> { });
        task.start();
        task.stop();

        await().atMost(Duration.ofSeconds(30)).until(() -> !task.isRunning());
    }
}
