package io.moescope.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.platform.EmbeddedPlatformTest;
import io.moescope.platform.PlatformTestAccess;
import io.moescope.platform.StoredRuns;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The guard of issue #18: every API mapping Spring MVC has (a controller added later is covered unlisted), called
 * by an admin with each of its query parameters in turn set to a hostile value (negative, huge, NaN, a NUL byte,
 * the wrong type, SQL) while the others stay sane, and every request body replaced by junk. No answer may be a 5xx,
 * every refusal is problem JSON with a reason, and the heap does not grow with the requests.
 */
@TestPropertySource(properties = "moescope.demo.enabled=false")
class HostileParametersTest extends EmbeddedPlatformTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> HOSTILE = List.of("-1", "0", "-2147483648", "2147483647", "400000000",
            "99999999999999999999", "NaN", "Infinity", "-0.0", "1e308", "\u0000", "abc", "", " ", "';select 1;--",
            "2026-13-45T99:00:00Z", "x".repeat(10_000));
    private static final List<String> BODIES = List.of("", "not json", "{}", "[]", "null",
            "{\"name\":\"\\u0000\",\"metric\":\"maxVio\",\"threshold\":\"NaN\"}", "{\"threshold\":1e999}");
    /** Sane values by parameter name, so that one hostile parameter at a time reaches the code behind it. */
    private static final Map<String, String> SANE = Map.of("runId", "hostile-a", "a", "hostile-a", "b", "hostile-a",
            "gpus", "2", "format", "jsonl", "id", "1", "replayId", "r-1");
    private static final long HEAP_GROWTH_LIMIT = 256L << 20;

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    private int port;
    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mappings;
    @Autowired
    private PlatformTestAccess.Tokens tokens;
    @Autowired
    private JdbcTemplate jdbc;

    @BeforeEach
    void storeRun() {
        new StoredRuns(jdbc).store("hostile-a", "hostile-run", 4, 2, StoredRuns.RUN_A);
    }

    @Test
    void noHostileParameterOrBodyGetsA5xxAndEveryRefusalIsProblemJson() throws Exception {
        List<Call> calls = calls();
        assertThat(calls).hasSizeGreaterThan(300);
        long heapBefore = heapAfterGc();
        var softly = new SoftAssertions();
        for (Call call : calls) {
            HttpResponse<String> response = send(call);
            int status = response.statusCode();
            softly.assertThat(status).as("%s answered %d: %s", call, status, response.body()).isLessThan(500);
            if (status >= 400) {
                softly.assertThat(response.headers().firstValue("Content-Type").orElse("")).as(call.toString())
                        .startsWith("application/problem+json");
                softly.assertThat(detail(response)).as(call.toString()).isNotBlank();
            }
        }
        softly.assertAll();
        assertThat(heapAfterGc() - heapBefore).as("heap growth over %d hostile calls", calls.size())
                .isLessThan(HEAP_GROWTH_LIMIT);
    }

    private List<Call> calls() {
        var calls = new ArrayList<Call>();
        mappings.getHandlerMethods().forEach((info, handler) -> {
            for (RequestMethod method : methods(info)) {
                for (String pattern : info.getPatternValues()) {
                    if (pattern.startsWith("/api/") && !pattern.contains("**")) {
                        calls.addAll(callsOf(method, pattern, handler));
                    }
                }
            }
        });
        return calls;
    }

    private static List<RequestMethod> methods(RequestMappingInfo info) {
        var declared = info.getMethodsCondition().getMethods();
        return declared.isEmpty() ? List.of(RequestMethod.GET) : List.copyOf(declared);
    }

    private static List<Call> callsOf(RequestMethod method, String pattern, HandlerMethod handler) {
        var calls = new ArrayList<Call>();
        String path = pattern.replaceAll("\\{([^}]*)}", "{$1}");
        Map<String, String> sane = new LinkedHashMap<>();
        boolean hasBody = false;
        for (MethodParameter parameter : handler.getMethodParameters()) {
            parameter.initParameterNameDiscovery(new DefaultParameterNameDiscoverer());
            RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
            if (param != null) {
                String name = param.name().isEmpty() ? param.value().isEmpty() ? parameter.getParameterName()
                        : param.value() : param.name();
                sane.put(name, SANE.get(name));
            }
            hasBody |= parameter.hasParameterAnnotation(RequestBody.class);
        }
        for (String name : sane.keySet()) {
            for (String value : HOSTILE) {
                var query = new LinkedHashMap<>(sane);
                query.put(name, value);
                calls.add(new Call(method, path, query, hasBody ? "{}" : null));
            }
            var missing = new LinkedHashMap<>(sane);
            missing.remove(name);
            calls.add(new Call(method, path, missing, hasBody ? "{}" : null));
        }
        for (String pathValue : HOSTILE.subList(0, 12)) {
            calls.add(new Call(method, path.replaceAll("\\{[^}]*}", URLEncoder.encode(pathValue,
                    StandardCharsets.UTF_8)), sane, hasBody ? "{}" : null));
        }
        if (hasBody) {
            BODIES.forEach(body -> calls.add(new Call(method, path, sane, body)));
        }
        return calls;
    }

    private HttpResponse<String> send(Call call) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + call.uri()))
                .header("Authorization", "Bearer " + tokens.admin())
                .method(call.method().name(), call.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(call.body()));
        if (call.body() != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String detail(HttpResponse<String> response) {
        try {
            JsonNode problem = JSON.readTree(response.body());
            return problem.path("detail").asText("");
        } catch (IOException e) {
            return "";
        }
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** One request; path variables not yet replaced are filled with their sane value. */
    private record Call(RequestMethod method, String path, Map<String, String> query, String body) {

        String uri() {
            String filled = path;
            for (var sane : SANE.entrySet()) {
                filled = filled.replace("{" + sane.getKey() + "}", sane.getValue());
            }
            var uri = new StringBuilder(filled);
            char separator = '?';
            for (var parameter : query.entrySet()) {
                if (parameter.getValue() != null) {
                    uri.append(separator).append(parameter.getKey()).append('=')
                            .append(URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8));
                    separator = '&';
                }
            }
            return uri.toString();
        }

        @Override
        public String toString() {
            return method + " " + uri() + (body == null ? "" : " body " + body.substring(0, Math.min(60,
                    body.length())));
        }
    }
}
