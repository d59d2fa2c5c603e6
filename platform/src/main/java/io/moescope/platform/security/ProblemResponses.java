package io.moescope.platform.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.core.AuthenticationException;

/**
 * 401 and 403 for machine clients, as RFC 9457 problem JSON like the API's other errors (see api/ApiErrors), with
 * a detail that says what to do: the security filters answer before any controller, so ApiErrors never sees these.
 */
final class ProblemResponses {

    private static final ObjectMapper JSON = new ObjectMapper();

    static void unauthorized(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        String detail = request.getHeader(HttpHeaders.AUTHORIZATION) == null
                ? "authentication required: send 'Authorization: Bearer <token>'; an admin creates API tokens in the"
                    + " dashboard under Users & tokens"
                : "the bearer token is unknown or revoked";
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"moescope\"");
        write(request, response, HttpStatus.UNAUTHORIZED, detail);
    }

    static void forbidden(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        write(request, response, HttpStatus.FORBIDDEN, request.getMethod() + " " + request.getRequestURI()
                + " needs an ADMIN token; this token's role may only read");
    }

    /** A client address throttled after failed tokens: 429 with when to try again. */
    static void tooManyRequests(HttpServletRequest request, HttpServletResponse response, String reason)
            throws IOException {
        write(request, response, HttpStatus.TOO_MANY_REQUESTS, reason);
    }

    /** The firewall's refusal of a URL (an encoded semicolon, a NUL): 400 with the firewall's reason. */
    static void rejected(HttpServletRequest request, HttpServletResponse response, RequestRejectedException e)
            throws IOException {
        write(request, response, HttpStatus.BAD_REQUEST, e.getMessage());
    }

    private static void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status,
                              String detail) throws IOException {
        var body = new LinkedHashMap<String, Object>();
        body.put("type", "about:blank");
        body.put("title", status.getReasonPhrase());
        body.put("status", status.value());
        body.put("detail", detail);
        body.put("instance", request.getRequestURI());
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        JSON.writeValue(response.getOutputStream(), body);
    }

    private ProblemResponses() {
    }
}
