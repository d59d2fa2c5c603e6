package io.moescope.deployment;

import static io.moescope.deployment.ComposeFile.ROOT;
import static io.moescope.deployment.ComposeFile.environment;
import static io.moescope.deployment.ComposeFile.service;
import static io.moescope.deployment.ComposeFile.volumeMounts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;

/**
 * What can be checked of docker-compose.yml without a Docker engine (CI has none): the servers are the versions the
 * tests run, every setting reaches a property moescope has, and every data dir lies on a volume.
 */
class ComposeFileTest {

    /** The TimescaleDB version TimescaleDbPathTest runs against (built from source by .ci/run). */
    private static final String TESTED_TIMESCALEDB = "2.28.3";

    @Test
    void timescaleDbIsTheVersionTheTestsRun() {
        assertThat(service("timescaledb").get("image")).isEqualTo("timescale/timescaledb:" + TESTED_TIMESCALEDB + "-pg17");
    }

    @Test
    void kafkaIsTheVersionOfTheBrokerTheTestsEmbed() {
        assertThat(service("kafka").get("image")).isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
    }

    @Test
    void everyApplicationSettingIsAPropertyMoescopeReads() throws IOException {
        Set<String> known = environmentVariablesOfKnownProperties();
        for (String variable : environment("moescope").keySet()) {
            if (!variable.equals("JAVA_TOOL_OPTIONS")) {
                assertThat(known).as(variable).contains(variable);
            }
        }
    }

    @Test
    void kafkaKeepsItsLogOnItsVolume() {
        assertThat(volumeMounts("kafka")).contains(environment("kafka").get("KAFKA_LOG_DIRS"));
    }

    @Test
    void timescaleDbKeepsItsDataOnItsVolume() {
        assertThat(volumeMounts("timescaledb")).contains("/var/lib/postgresql/data");
    }

    @Test
    void theApplicationsDataDirAndDjlCacheLieOnItsVolume() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        Matcher dataDir = Pattern.compile("-Dmoescope\\.data-dir=([^\"]+)\"").matcher(dockerfile);
        Matcher djlCache = Pattern.compile("ENV DJL_CACHE_DIR=(\\S+)").matcher(dockerfile);
        assertThat(dataDir.find()).isTrue();
        assertThat(djlCache.find()).isTrue();

        assertThat(volumeMounts("moescope")).contains(dataDir.group(1));
        assertThat(djlCache.group(1)).startsWith(dataDir.group(1) + "/");
    }

    @Test
    void commandsOnTheHostReachKafkaThroughAPublishedListener() {
        String advertised = environment("kafka").get("KAFKA_ADVERTISED_LISTENERS");
        Matcher host = Pattern.compile("\\w+://localhost:(\\d+)").matcher(advertised);
        assertThat(host.find()).as(advertised).isTrue();

        assertThat(((List<?>) service("kafka").get("ports")).stream().map(String::valueOf))
                .contains(host.group(1) + ":" + host.group(1));
    }

    /**
     * The environment variables Spring Boot binds to its documented properties and to moescope's (as
     * docs/configuration.md lists them): dots become underscores, dashes are dropped (or, the legacy form,
     * underscores too), all upper case.
     */
    private static Set<String> environmentVariablesOfKnownProperties() throws IOException {
        var known = new HashSet<String>();
        ObjectMapper json = new ObjectMapper();
        for (URL metadata : Collections.list(ComposeFileTest.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = metadata.openStream()) {
                for (JsonNode property : json.readTree(in).path("properties")) {
                    addVariables(known, property.path("name").asText());
                }
            }
        }
        Matcher documented = Pattern.compile("`(moescope\\.[a-z0-9.-]+)`")
                .matcher(Files.readString(ROOT.resolve("docs/configuration.md"), StandardCharsets.UTF_8));
        while (documented.find()) {
            addVariables(known, documented.group(1));
        }
        return known;
    }

    private static void addVariables(Set<String> variables, String property) {
        String upper = property.toUpperCase(Locale.ROOT).replace('.', '_');
        variables.add(upper.replace("-", ""));
        variables.add(upper.replace('-', '_'));
    }
}
