package io.moescope.platform.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.Map;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * One rule for every API parameter: no control characters. PostgreSQL cannot store a NUL in text (a query with one
 * failed with a 500), and no run id, name or request id moescope writes holds a control character, so such a
 * value can only be a mistake or an attack. Runs before the controller; the refusal is a 400 through
 * {@link ApiErrors}.
 */
class ParametersWithoutControlCharacters implements HandlerInterceptor {

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
            if (Arrays.stream(parameter.getValue()).anyMatch(ParametersWithoutControlCharacters::hasControl)) {
                throw new IllegalArgumentException("parameter '" + parameter.getKey()
                        + "' must not contain control characters");
            }
        }
        return true;
    }

    private static boolean hasControl(String value) {
        return value.chars().anyMatch(Character::isISOControl);
    }
}
