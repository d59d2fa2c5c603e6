package io.moescope.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Every refusal of the JSON API is problem JSON naming the parameter and its bound, decided before any work (the
 * reviewer's findings of issue #18: an OutOfMemoryError from a huge replica count, Spring's default bodies, the
 * dashboard's index.html for unknown API paths). Run suite-a: 4 experts, top-2, MoE layers 0 and 1.
 */
@TestPropertySource(properties = "moescope.demo.enabled=false")
class ApiErrorAnswersTest extends EmbeddedPlatformTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    private int port;
    @Autowired
    private PlatformTestAccess.Tokens tokens;
    @Autowired
    private JdbcTemplate jdbc;

    @BeforeEach
    void storeRuns() {
        var runs = new StoredRuns(jdbc);
        runs.store("suite-a", "suite-run-a", 4, 2, StoredRuns.RUN_A);
    }

    @Test
    void aReplicaCountAboveSixteenPerExpertIsRefusedNamingTheBound() throws Exception {
        assertProblem(get("/api/runs/suite-a/placement?gpus=1&replicas=400000000"), 400,
                "replicas must be between 4 (one slot per expert) and 64 (16 x 4 experts) but was 400000000");
    }

    @Test
    void moreGpusThanTheLargestPlanHasSlotsIsRefused() throws Exception {
        assertProblem(get("/api/runs/suite-a/placement?gpus=100000"), 400,
                "gpus must be between 1 and 64 (16 x 4 experts, one slot per GPU at least) but was 100000");
    }

    @Test
    void nodesThatDoNotDivideTheGpusAreRefused() throws Exception {
        assertProblem(get("/api/runs/suite-a/placement?gpus=2&nodes=3"), 400,
                "nodes must divide gpus (2) but was 3");
    }

    @Test
    void aPlacementWithoutGpusNamesTheMissingParameter() throws Exception {
        assertProblem(get("/api/runs/suite-a/placement"), 400, "required parameter 'gpus' is missing");
    }

    @Test
    void aLayerThatIsNotAMoeLayerOfTheRunIsRefused() throws Exception {
        assertProblem(get("/api/runs/suite-a/metrics?layer=999"), 400,
                "layer must be one of the run's MoE layers [0, 1] but was 999");
        assertProblem(get("/api/runs/suite-a/metrics?layer=-1"), 400,
                "layer must be one of the run's MoE layers [0, 1] but was -1");
    }

    @Test
    void aCacheLargerThanTheExpertsIsRefused() throws Exception {
        assertProblem(get("/api/runs/suite-a/metrics?cache=5"), 400,
                "cache must be between 1 and 4 (the run's experts) but was 5");
    }

    @Test
    void anUnknownPhaseIsProblemJson() throws Exception {
        assertProblem(get("/api/runs/suite-a/metrics?phase=xyz"), 400, "phase must be prefill, decode or unknown, not 'xyz'");
    }

    @Test
    void aNumberThatIsNotOneNamesTheParameterAndTheValue() throws Exception {
        assertProblem(get("/api/runs/suite-a/metrics?tau=abc"), 400, "parameter 'tau' must be a number, not 'abc'");
    }

    @Test
    void anOptionalWholeNumberThatIsNotOneNamesTheParameterAndTheValue() throws Exception {
        assertProblem(get("/api/runs/suite-a/metrics?layer=abc"), 400,
                "parameter 'layer' must be a whole number, not 'abc'");
    }

    @Test
    void aTimeThatIsNotAnInstantNamesTheParameterAndTheFormat() throws Exception {
        assertProblem(get("/api/runs/suite-a/metrics?from=yesterday"), 400,
                "parameter 'from' must be an ISO-8601 instant such as 2026-01-01T00:00:00Z, not 'yesterday'");
    }

    @Test
    void aRuleFieldOfTheWrongTypeIsRefusedNamingTheField() throws Exception {
        assertProblem(post("/api/alerts/rules", "{\"name\":\"r\",\"metric\":\"cv\",\"threshold\":\"x\"}"), 400,
                "threshold: must be a number, not 'x'");
        assertProblem(post("/api/alerts/rules", "{\"name\":\"r\",\"metric\":\"cv\",\"threshold\":1,"
                + "\"windowSeconds\":[60]}"), 400, "windowSeconds: must be a whole number");
    }

    @Test
    void aRuleFieldThatIsNotARuleFieldIsRefusedNamingItAndTheFields() throws Exception {
        // a typo must not turn into the field's default silently ("forSecond": 300 was a rule that fires at once)
        assertProblem(post("/api/alerts/rules", "{\"name\":\"r\",\"metric\":\"cv\",\"threshold\":1,"
                + "\"forSecond\":300}"), 400, "forSecond: not a field of this body; its fields are clearThreshold,"
                + " comparison, enabled, forSeconds, layer, metric, name, runId, scope, threshold, windowSeconds");
    }

    @Test
    void aRuleBodyThatIsNotJsonIsRefusedSayingSo() throws Exception {
        assertProblem(post("/api/alerts/rules", "not json"), 400,
                "the request body must be a JSON object: Unrecognized token 'not': was expecting (JSON String, Number,"
                        + " Array, Object or token 'null', 'true' or 'false') at line 1, column 1");
        assertProblem(post("/api/alerts/rules", ""), 400, "the request body is missing: send a JSON object");
    }

    @Test
    void anUnknownRunIsA404ProblemNamingIt() throws Exception {
        assertProblem(get("/api/runs/nope"), 404, "no run with id 'nope'");
    }

    @Test
    void aUrlTheFirewallRejectsIsAProblemNamingWhy() throws Exception {
        assertProblem(get("/api/runs/'%3Bselect"), 400,
                "The request was rejected because the URL contained a potentially malicious String \"%3B\"");
    }

    @Test
    void anExportFormatOtherThanJsonlOrCsvIsRefused() throws Exception {
        HttpResponse<String> response = get("/api/runs/suite-a/export?format=xml");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(response.body()).path("detail").asText()).contains("format").contains("xml");
    }

    @Test
    void aComparisonWithoutItsSecondRunNamesTheMissingParameter() throws Exception {
        assertProblem(get("/api/compare?a=suite-a"), 400, "required parameter 'b' is missing");
    }

    @Test
    void aComparisonWithAnUnknownRunNamesThatRunAlone() throws Exception {
        assertProblem(get("/api/compare?a=suite-a&b=nope"), 404, "no run with id 'nope'");
        assertProblem(get("/api/compare?a=nope&b=suite-a"), 404, "no run with id 'nope'");
    }

    @Test
    void aNulByteInTheRunsTextFilterIsRefused() throws Exception {
        assertProblem(get("/api/runs?text=%00"), 400, "parameter 'text' must not contain control characters");
    }

    @Test
    void anUnknownApiPathIsA404Problem() throws Exception {
        assertProblem(get("/api/nothing-here"), 404, "no API endpoint GET /api/nothing-here");
    }

    @Test
    void anUnknownActuatorPathIsA404Problem() throws Exception {
        assertProblem(get("/actuator/nothing-here"), 404, "no API endpoint GET /actuator/nothing-here");
    }

    @Test
    void healthShowsItsDetailsOnlyToAuthenticatedCallers() throws Exception {
        JsonNode anonymous = JSON.readTree(send("/actuator/health", null).body());
        assertThat(anonymous.path("status").asText()).isEqualTo("UP");
        assertThat(anonymous.has("components")).isFalse();
        JsonNode signedIn = JSON.readTree(get("/actuator/health").body());
        assertThat(signedIn.path("components").path("ingest").path("status").asText()).isEqualTo("UP");
    }

    private void assertProblem(HttpResponse<String> response, int status, String detail) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("detail").asText()).isEqualTo(detail);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(path, tokens.admin());
    }

    private HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + tokens.admin()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String path, String token) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
