package io.moescope.platform.storagepaths;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * The API's answers about the two {@link RoutedRuns} of a prefix, as bodies exactly as served (a metric suite's
 * without its {@code computed} member): the run, its metric
 * suite (whole, and narrowed by phase, layer, cache size and a time window inside one day), placement, warm-up,
 * comparison with its sibling, and both export formats. Every answer must be a 200: two identical error pages
 * would prove nothing.
 */
final class ApiAnswers {

    private static final Pattern COMPUTED = Pattern.compile(",\"computed\":\\{[^{}]*\\}}$");

    private ApiAnswers() {
    }

    /** Path (with PREFIX standing for the prefix) -> body. */
    static Map<String, String> of(TestRestTemplate http, String prefix) {
        var answers = new LinkedHashMap<String, String>();
        for (String path : paths()) {
            ResponseEntity<String> answer = http.getForEntity(path.replace("PREFIX", prefix), String.class);
            assertThat(answer.getStatusCode()).as(path).isEqualTo(HttpStatus.OK);
            answers.put(path, path.contains("/metrics") ? figures(answer.getBody()) : answer.getBody());
        }
        return answers;
    }

    /**
     * A metric suite's body without its last member, {@code computed}: when the suite was computed and whether it
     * was stored differ between runs of the same data by nature; every figure stays as served.
     */
    private static String figures(String suite) {
        Matcher computed = COMPUTED.matcher(suite);
        assertThat(computed.find()).as("a computed member ends the suite: " + suite).isTrue();
        return suite.substring(0, computed.start()) + "}";
    }

    private static List<String> paths() {
        String run = "/api/runs/PREFIX-a";
        return List.of(run, run + "/metrics", run + "/metrics?phase=decode&layer=2&cache=4&window=8",
                run + "/metrics?from=2024-01-02T00:05:00Z&to=2024-01-02T00:10:00Z",
                run + "/placement?gpus=4", run + "/placement?gpus=2&replicas=10&phase=prefill", run + "/warmup",
                "/api/compare?a=PREFIX-a&b=PREFIX-b", "/api/compare?a=PREFIX-a&b=PREFIX-b&phase=decode",
                run + "/export", run + "/export?format=csv");
    }
}
