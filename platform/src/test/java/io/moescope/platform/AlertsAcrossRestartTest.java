package io.moescope.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import io.moescope.platform.MoescopeApplication;
import io.moescope.traces.delivery.KafkaRoutingSink;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Alerts across a real restart: the platform stops and starts again on the same data dir (the embedded PostgreSQL
 * and Kafka keep their data), and alerts left firing are resolved by the rules that held before it. Three runs fire
 * the seeded "routing collapse" rule (60 s window) before the restart:
 * <ul>
 *   <li>{@code ended}: its FINISHED event is stored after the evaluator stopped (the crash came between the two);
 *   <li>{@code quiet}: its tokens were routed twelve minutes before the restart;
 *   <li>{@code recent}: its last token was routed 5 s before the restarted platform's clock says now.
 * </ul>
 * The application's clock is a {@link MutableClock}: the quiet run's time is twelve minutes back before the
 * restart, and the restart starts where the recent run's window still holds data.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertsAcrossRestartTest {

    private static final String RULE = "routing collapse";

    private final MutableClock clock = new MutableClock();
    private String dataDir;
    private ConfigurableApplicationContext restarted;
    private String ended;
    private String quiet;
    private String recent;

    @BeforeAll
    void fireThreeAlertsAndRestart() throws IOException {
        dataDir = Files.createTempDirectory("moescope-alerts-restart").toString();
        Instant twelveMinutesAgo = Instant.now().minus(Duration.ofMinutes(12));
        clock.set(twelveMinutesAgo);
        Instant recentLastRouted;
        try (var before = start()) {
            String kafka = before.getEnvironment().getProperty("spring.kafka.bootstrap-servers");
            JdbcTemplate jdbc = before.getBean(JdbcTemplate.class);
            // the quiet run first: its old tokens must reach the stream before newer ones move stream time on
            quiet = streamAt(kafka, twelveMinutesAgo);
            awaitLatest(jdbc, quiet, "FIRING");
            ended = CollapsingWorkload.stream(kafka);
            recent = CollapsingWorkload.stream(kafka);
            recentLastRouted = Instant.now();
            awaitLatest(jdbc, ended, "FIRING");
            awaitLatest(jdbc, recent, "FIRING");

            before.getBean("alertTicker", SmartLifecycle.class).stop();
            try (var sink = new KafkaRoutingSink(kafka)) {
                sink.runFinished(CollapsingWorkload.finished(ended, CollapsingWorkload.TOKENS));
            }
            await().atMost(Duration.ofSeconds(90)).until(() -> "FINISHED".equals(jdbc.queryForObject(
                    "SELECT status FROM run WHERE run_id = ?", String.class, ended)));
            assertThat(latest(jdbc, ended)).isEqualTo("FIRING");
        }
        // the restarted platform must start and evaluate within the rest of the recent run's 60 s window: on a
        // loaded 2-core machine its start alone took over 30 s, and the window then held no data
        clock.set(recentLastRouted.plusSeconds(5));
        restarted = start();
    }

    @AfterAll
    void stop() {
        if (restarted != null) {
            restarted.close();
        }
    }

    @Test
    void aRunThatFinishedBeforeTheRestartHasNoFiringAlertAfterIt() {
        JdbcTemplate jdbc = restarted.getBean(JdbcTemplate.class);
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(steps(jdbc, ended)).containsExactly(
                "PENDING:normalised_entropy below 0.7", "FIRING:normalised_entropy below 0.7 for 0 s",
                "RESOLVED:run ended (FINISHED)"));
        assertThat(health(jdbc, ended)).isEqualTo("OK");
    }

    @Test
    void aRunWithNoDataForLongerThanTheWindowHasNoFiringAlertAfterTheRestart() {
        JdbcTemplate jdbc = restarted.getBean(JdbcTemplate.class);
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(steps(jdbc, quiet)).containsExactly(
                "PENDING:normalised_entropy below 0.7", "FIRING:normalised_entropy below 0.7 for 0 s",
                "RESOLVED:no data for longer than the 60 s window"));
        assertThat(health(jdbc, quiet)).isEqualTo("OK");
    }

    @Test
    void aRunWithDataWithinTheWindowKeepsItsFiringAlertAcrossTheRestart() {
        JdbcTemplate jdbc = restarted.getBean(JdbcTemplate.class);
        // The first evaluation after the start resolves the ended run's alert and judges the recent one's with it.
        await().atMost(Duration.ofSeconds(90)).until(() -> "RESOLVED".equals(latest(jdbc, ended)));

        assertThat(steps(jdbc, recent)).containsExactly("PENDING:normalised_entropy below 0.7",
                "FIRING:normalised_entropy below 0.7 for 0 s");
        // each breach says the sample it was judged on: decisions of the window, a whole number of top-2 tokens
        assertThat(decisions(jdbc, recent)).hasSize(2).allSatisfy(d -> assertThat(d).isPositive().isEven());
        assertThat(health(jdbc, recent)).isEqualTo("FIRING");
    }

    @Test
    void aResolutionAfterTheRestartCarriesTheSampleOfTheStepItResolves() {
        JdbcTemplate jdbc = restarted.getBean(JdbcTemplate.class);
        await().atMost(Duration.ofSeconds(90)).until(() -> "RESOLVED".equals(latest(jdbc, quiet)));

        // the alert was taken up from its stored FIRING step: its resolution states the same window's decisions
        List<Long> decisions = decisions(jdbc, quiet);
        assertThat(decisions).hasSize(3);
        assertThat(decisions.get(2)).isPositive().isEqualTo(decisions.get(1));
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(MoescopeApplication.class)
                .initializers(context -> ((GenericApplicationContext) context).registerBean("mutableClock",
                        Clock.class, () -> clock, definition -> definition.setPrimary(true)))
                .run("--moescope.data-dir=" + dataDir, "--moescope.embedded.kafka-port=0",
                        "--moescope.embedded.postgres-port=0", "--moescope.demo.enabled=false", "--server.port=0");
    }

    /** A collapsed run whose tokens were routed at {@code at} (1 ms apart), streamed as a probe would. */
    private static String streamAt(String kafka, Instant at) {
        String runId = "collapse-" + UUID.randomUUID();
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, at);
        try (var sink = new KafkaRoutingSink(kafka)) {
            sink.runStarted(CollapsingWorkload.started(runId));
            for (int t = 0; t < CollapsingWorkload.TOKENS; t++) {
                sink.token(new TokenRouting(runId, "r1", t, 5, Phase.DECODE, micros + t * 1000L,
                        List.of(new RouterDecision(0, new int[] {0, 1}, new float[] {0.6f, 0.4f}, 0.7f))));
            }
        }
        return runId;
    }

    private static void awaitLatest(JdbcTemplate jdbc, String runId, String state) {
        await().atMost(Duration.ofSeconds(120)).until(() -> state.equals(latest(jdbc, runId)));
    }

    /** The latest state of the rule's alert about layer 0 of the run, null before any. */
    private static String latest(JdbcTemplate jdbc, String runId) {
        List<String> steps = steps(jdbc, runId);
        return steps.isEmpty() ? null : steps.get(steps.size() - 1).split(":", 2)[0];
    }

    /** "STATE:reason" of the rule's steps about layer 0 of the run, oldest first, each reason without its evidence. */
    private static List<String> steps(JdbcTemplate jdbc, String runId) {
        return jdbc.queryForList("SELECT to_state || ':' || reason FROM alert_event WHERE rule_name = ?"
                + " AND subject = ? ORDER BY at, id", String.class, RULE, runId + "/layer 0").stream()
                .map(step -> step.replaceFirst(" \\(\\d+ decisions; .*\\)$", "")).toList();
    }

    /** The decisions each step of the rule about layer 0 of the run rested on, oldest first. */
    private static List<Long> decisions(JdbcTemplate jdbc, String runId) {
        return jdbc.queryForList("SELECT decisions FROM alert_event WHERE rule_name = ? AND subject = ?"
                + " ORDER BY at, id", Long.class, RULE, runId + "/layer 0");
    }

    private static String health(JdbcTemplate jdbc, String runId) {
        return jdbc.queryForObject("SELECT run_health(?)", String.class, runId);
    }
}
