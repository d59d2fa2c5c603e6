package io.moescope.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.platform.EmbeddedPlatformTest;
import io.moescope.platform.PlatformTestAccess;
import io.moescope.platform.security.ApiEndpoints.Endpoint;
import io.moescope.platform.security.ApiTokens;
import io.moescope.platform.security.Role;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.IntPredicate;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The JSON API's access rules, checked on every endpoint Spring MVC maps (a new controller is covered without
 * being listed): no token or a bad one is 401 with problem JSON, a viewer token may read but every write is 403,
 * an admin token is never refused.
 */
class ApiSecurityTest extends EmbeddedPlatformTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    private int port;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mappings;

    @Autowired
    private PlatformTestAccess.Tokens tokens;

    @Autowired
    private ApiTokens apiTokens;

    private ApiEndpoints api;

    @BeforeEach
    void findEndpoints() {
        api = ApiEndpoints.of(mappings);
    }

    @Test
    void theEnumerationFindsTheApisReadsAndWrites() {
        assertThat(api.all()).contains(new Endpoint(RequestMethod.GET, "/api/runs"),
                new Endpoint(RequestMethod.GET, "/api/runs/x/metrics"),
                new Endpoint(RequestMethod.POST, "/api/replays"),
                new Endpoint(RequestMethod.DELETE, "/api/alerts/rules/x"));
    }

    @Test
    void everyEndpointRefusesARequestWithoutATokenWith401AndProblemJson() throws Exception {
        expectEvery(api.all(), null, status -> status == 401, "401");
        HttpResponse<String> response = send(new Endpoint(RequestMethod.GET, "/api/runs"), null);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"moescope\"");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(401);
        assertThat(problem.path("detail").asText()).startsWith("authentication required: send 'Authorization: Bearer");
    }

    @Test
    void everyEndpointRefusesAnUnknownTokenWith401() throws Exception {
        expectEvery(api.all(), "msk_not-a-token-anyone-made", status -> status == 401, "401");
    }

    @Test
    void aViewerTokenGets403OnEveryWrite() throws Exception {
        assertThat(api.writes()).isNotEmpty();
        expectEvery(api.writes(), tokens.viewer(), status -> status == 403, "403");
    }

    @Test
    void aViewerTokenReadsEveryEndpointButTheAdminOnes() throws Exception {
        List<Endpoint> reads = api.reads().stream().filter(e -> !e.path().startsWith("/api/replays")).toList();
        expectEvery(reads, tokens.viewer(), status -> status != 401 && status != 403, "neither 401 nor 403");
        assertThat(send(new Endpoint(RequestMethod.GET, "/api/runs"), tokens.viewer()).statusCode()).isEqualTo(200);
    }

    @Test
    void aViewerTokenGets403OnAnAdminEndpointsRead() throws Exception {
        HttpResponse<String> response = send(new Endpoint(RequestMethod.GET, "/api/replays/x"), tokens.viewer());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(response.body()).path("detail").asText())
                .isEqualTo("GET /api/replays/x needs an ADMIN token; this token's role may only read");
    }

    @Test
    void anAdminTokenIsNeverRefused() throws Exception {
        expectEvery(api.all(), tokens.admin(), status -> status != 401 && status != 403, "neither 401 nor 403");
    }

    @Test
    void aRevokedTokenIsRefusedWith401() throws Exception {
        var issued = apiTokens.create("revoked in a test", Role.ADMIN);
        Endpoint runs = new Endpoint(RequestMethod.GET, "/api/runs");
        assertThat(send(runs, issued.secret()).statusCode()).isEqualTo(200);

        apiTokens.revoke(issued.info().id());

        HttpResponse<String> response = send(runs, issued.secret());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(response.body()).path("detail").asText())
                .isEqualTo("the bearer token is unknown or revoked");
    }

    @Test
    void aTokensUseIsRecorded() throws Exception {
        var issued = apiTokens.create("used in a test", Role.VIEWER);
        send(new Endpoint(RequestMethod.GET, "/api/runs"), issued.secret());
        assertThat(apiTokens.list()).filteredOn(t -> t.id() == issued.info().id())
                .singleElement().satisfies(t -> assertThat(t.lastUsedAt()).isNotNull());
    }

    @Test
    void healthIsOpenForLivenessChecks() throws Exception {
        assertThat(send(new Endpoint(RequestMethod.GET, "/actuator/health"), null).statusCode()).isEqualTo(200);
    }

    /** /actuator/metrics, as /actuator/prometheus (which @SpringBootTest leaves out: it disables metric export). */
    @Test
    void theOtherActuatorEndpointsNeedAToken() throws Exception {
        Endpoint metrics = new Endpoint(RequestMethod.GET, "/actuator/metrics/jvm.memory.used");
        assertThat(send(metrics, null).statusCode()).isEqualTo(401);
        HttpResponse<String> read = send(metrics, tokens.viewer());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(read.body()).path("name").asText()).isEqualTo("jvm.memory.used");
    }

    private void expectEvery(List<Endpoint> endpoints, String token, IntPredicate expected, String description)
            throws IOException, InterruptedException {
        var softly = new SoftAssertions();
        for (Endpoint endpoint : endpoints) {
            int status = send(endpoint, token).statusCode();
            softly.assertThat(expected.test(status)).as("%s answered %d, expected %s", endpoint, status, description)
                    .isTrue();
        }
        softly.assertAll();
    }

    private HttpResponse<String> send(Endpoint endpoint, String token) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + endpoint.path()))
                .method(endpoint.method().name(), HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
