package io.moescope.platform.api;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * A path under the API or the actuator that nothing maps is a 404 problem, not the dashboard: without this
 * mapping Vaadin's catch-all route answers it with 200 and its {@code index.html}, and a client's typo looks like
 * success. Every mapped endpoint is more specific than these patterns and wins.
 */
@RestController
class UnknownApiPaths {

    @RequestMapping({"/api/**", "/actuator/**"})
    void unknown(HttpServletRequest request) {
        throw new ResponseStatusException(HttpStatus.NOT_FOUND,
                "no API endpoint " + request.getMethod() + " " + request.getRequestURI());
    }
}
