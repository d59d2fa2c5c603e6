package io.moescope.platform.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusNamingConvention;
import io.moescope.analytics.alerting.AlertRule;
import io.moescope.analytics.alerting.AlertScope;
import io.moescope.analytics.alerting.Comparison;
import io.moescope.platform.CollapsingWorkload;
import io.moescope.platform.EmbeddedPlatformTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.test.context.TestPropertySource;
import org.yaml.snakeyaml.Yaml;

/**
 * The Grafana dashboard and the Prometheus rules of deploy/ against the running application: every metric their
 * expressions query is one it exports, and the rules are its default alert rules, so neither can drift.
 */
@AutoConfigureObservability
@TestPropertySource(properties = "moescope.demo.enabled=false")
class MonitoringFilesTest extends EmbeddedPlatformTest {

    private static final Path DEPLOY = Path.of("..", "deploy");
    private static final Path DASHBOARD = DEPLOY.resolve("grafana/dashboards/moescope.json");
    private static final Path RULES = DEPLOY.resolve("prometheus/moescope-rules.yml");
    /** The tap's counter, as the tap serves it on /tap/metrics (a process of its own, not this application). */
    private static final String TAP_RESPONSES = "moescope_tap_responses_total";
    /** Prometheus' own series of its alerts' states, which the rules' hysteresis reads. */
    private static final String PROMETHEUS_ALERTS = "ALERTS";
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.*),\\s*\\w+\\)");

    @Autowired
    private TestRestTemplate http;
    @Autowired
    private AlertRuleService alertRules;
    @Value("${spring.kafka.bootstrap-servers}")
    private String bootstrapServers;
    @Value("${moescope.metrics.gauge-window:60s}")
    private Duration gaugeWindow;

    @Test
    void everyMetricTheDashboardAndTheRulesQueryIsOneTheApplicationExports() throws IOException {
        Set<String> queried = new TreeSet<>();
        dashboardExpressions().forEach(expression -> queried.addAll(PromQlMetricNames.of(expression)));
        rules().forEach(rule -> queried.addAll(PromQlMetricNames.of((String) rule.get("expr"))));
        assertThat(queried).contains(TAP_RESPONSES, PROMETHEUS_ALERTS);
        queried.removeAll(Set.of(TAP_RESPONSES, PROMETHEUS_ALERTS));

        // a live collapsing run: its routing gauges, a firing alert, lag measured on its topic
        CollapsingWorkload.stream(bootstrapServers);
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(exported()).containsAll(queried));
    }

    @Test
    void thePrometheusRulesAreTheDefaultAlertRulesOnTheirLayerGauges() throws IOException {
        Map<String, Map<String, Object>> byRule = new HashMap<>();
        rules().forEach(rule -> byRule.put((String) ((Map<?, ?>) rule.get("labels")).get("moescope_rule"), rule));
        List<AlertRule> defaults = alertRules.rules();

        assertThat(byRule.keySet()).containsExactlyInAnyOrderElementsOf(defaults.stream().map(AlertRule::name).toList());
        for (AlertRule rule : defaults) {
            // the gauges are per layer, over the gauge window, for every run
            assertThat(rule.scope()).as(rule.name()).isEqualTo(AlertScope.LAYER);
            assertThat(rule.runId()).as(rule.name()).isNull();
            assertThat(rule.layer()).as(rule.name()).isNull();
            assertThat(rule.enabled()).as(rule.name()).isTrue();
            assertThat(rule.window()).as(rule.name()).isEqualTo(gaugeWindow);
            Map<String, Object> prometheus = byRule.get(rule.name());
            assertThat(spaced((String) prometheus.get("expr"))).as(rule.name())
                    .isEqualTo(expression(rule, (String) prometheus.get("alert")));
            assertThat(duration(String.valueOf(prometheus.get("for")))).as(rule.name())
                    .isEqualTo(rule.forDuration());
        }
    }

    /**
     * The rule as PromQL on its gauge: the breach, or, while the alert fires, the value not yet past the clear
     * threshold (hysteresis); a rule whose clear threshold is its threshold has no band.
     */
    private static String expression(AlertRule rule, String alert) {
        String gauge = new PrometheusNamingConvention().name(RoutingSeries.LAYER_GAUGES.get(rule.metric()),
                Meter.Type.GAUGE);
        String side = rule.comparison() == Comparison.ABOVE ? " > " : " < ";
        String breach = gauge + side + rule.threshold();
        if (rule.clearThreshold() == rule.threshold()) {
            return breach;
        }
        return breach + " or (" + gauge + side + rule.clearThreshold() + " and on (run, layer) ALERTS{alertname=\""
                + alert + "\", alertstate=\"firing\"})";
    }

    /** Runs of white space as one space, none inside parentheses' edges. */
    private static String spaced(String expression) {
        return expression.strip().replaceAll("\\s+", " ").replace("( ", "(").replace(" )", ")");
    }

    /** A Prometheus duration such as 5m, 90s or 1h30m. */
    private static Duration duration(String text) {
        Matcher part = Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (part.find() && part.start() == end) {
            long n = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
            end = part.end();
        }
        assertThat(end).as("Prometheus duration '" + text + "'").isEqualTo(text.length()).isPositive();
        return total;
    }

    /** The names of the samples on /actuator/prometheus. */
    private Set<String> exported() {
        var names = new TreeSet<String>();
        http.getForObject("/actuator/prometheus", String.class).lines()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .forEach(line -> names.add(line.split("[{ ]", 2)[0]));
        return names;
    }

    /** Every "expr" of the dashboard's panels, and the queries of its template variables. */
    private static List<String> dashboardExpressions() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        var expressions = new ArrayList<String>();
        dashboard.findValues("expr").forEach(expr -> expressions.add(expr.asText()));
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            Matcher query = LABEL_VALUES.matcher(variable.path("definition").asText());
            assertThat(query.matches()).as(variable.path("definition").asText()).isTrue();
            expressions.add(query.group(1));
        }
        assertThat(expressions).isNotEmpty();
        return expressions;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rules() throws IOException {
        Map<String, Object> file = new Yaml().load(Files.readString(RULES));
        var rules = new ArrayList<Map<String, Object>>();
        ((List<Map<String, Object>>) file.get("groups"))
                .forEach(group -> rules.addAll((List<Map<String, Object>>) group.get("rules")));
        return rules;
    }
}
