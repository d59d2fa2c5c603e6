package io.moescope.deployment;

import static io.moescope.deployment.ComposeFile.ROOT;
import static io.moescope.deployment.ComposeFile.bindMounts;
import static io.moescope.deployment.ComposeFile.containerPorts;
import static io.moescope.deployment.ComposeFile.repositoryFile;
import static io.moescope.deployment.ComposeFile.service;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml's Prometheus and Grafana, checked without a Docker engine: pinned images, every mounted file
 * in the repository, Prometheus scraping the moescope service where the application serves its metrics, and every
 * file the configurations name inside what is mounted.
 */
class MonitoringServicesTest {

    /** Where Spring Boot's actuator serves the Prometheus scrape (management.endpoints.web.exposure). */
    private static final String ACTUATOR_PROMETHEUS = "/actuator/prometheus";

    @Test
    void prometheusAndGrafanaImagesArePinnedToAnExactVersion() {
        assertThat(service("prometheus").get("image")).asString().matches("prom/prometheus:v\\d+\\.\\d+\\.\\d+");
        assertThat(service("grafana").get("image")).asString().matches("grafana/grafana:\\d+\\.\\d+\\.\\d+");
    }

    @Test
    void everyRepositoryFileOrFolderTheyMountExists() {
        for (String name : List.of("prometheus", "grafana")) {
            bindMounts(name).keySet().forEach(source -> assertThat(ROOT.resolve(source)).as(name).exists());
        }
    }

    @Test
    void prometheusScrapesTheMoescopeServiceOnItsPortAndPath() throws IOException {
        Map<String, Object> job = scrapeJob("moescope");

        assertThat(job).containsEntry("metrics_path", ACTUATOR_PROMETHEUS);
        assertThat(targets(job)).containsExactly("moescope:" + containerPorts("moescope").get(0));
    }

    @Test
    void prometheusReadsItsRulesAndScrapeTokenFromWhatIsMounted() throws IOException {
        Map<String, Object> config = prometheusConfig();
        for (Object rules : (List<?>) config.get("rule_files")) {
            assertThat(repositoryFile("prometheus", (String) rules)).as((String) rules).get()
                    .satisfies(file -> assertThat(file).isRegularFile());
        }
        String token = (String) ((Map<?, ?>) scrapeJob("moescope").get("authorization")).get("credentials_file");
        assertThat(repositoryFile("prometheus", token)).as(token).get()
                .satisfies(file -> assertThat(file.getParent()).isDirectory());
    }

    @Test
    void grafanaQueriesThePrometheusServiceAndLoadsTheDashboardsFromTheirMount() throws IOException {
        Map<String, Object> datasource = firstOf(grafanaProvisioning("datasources/prometheus.yml"), "datasources");
        Map<String, Object> provider = firstOf(grafanaProvisioning("dashboards/moescope.yml"), "providers");

        assertThat(datasource).containsEntry("url", "http://prometheus:" + containerPorts("prometheus").get(0));
        String dashboards = (String) ((Map<?, ?>) provider.get("options")).get("path");
        assertThat(repositoryFile("grafana", dashboards)).as(dashboards).get()
                .satisfies(dir -> assertThat(dir.resolve("moescope.json")).isRegularFile());
    }

    private static Map<String, Object> prometheusConfig() throws IOException {
        return load(repositoryFile("prometheus", "/etc/prometheus/prometheus.yml").orElseThrow());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> scrapeJob(String name) throws IOException {
        return ((List<Map<String, Object>>) prometheusConfig().get("scrape_configs")).stream()
                .filter(job -> name.equals(job.get("job_name"))).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static List<String> targets(Map<String, Object> job) {
        return ((List<Map<String, List<String>>>) job.get("static_configs")).stream()
                .flatMap(config -> config.get("targets").stream()).toList();
    }

    private static Map<String, Object> grafanaProvisioning(String file) throws IOException {
        return load(repositoryFile("grafana", "/etc/grafana/provisioning/" + file).orElseThrow());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> firstOf(Map<String, Object> config, String list) {
        return ((List<Map<String, Object>>) config.get(list)).get(0);
    }

    private static Map<String, Object> load(Path file) throws IOException {
        return new Yaml().load(Files.readString(file));
    }
}
