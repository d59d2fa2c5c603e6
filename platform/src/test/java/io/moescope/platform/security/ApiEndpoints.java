package io.moescope.platform.security;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every JSON API endpoint the application has, as Spring MVC mapped it: a controller added later is covered by the
 * security tests without anyone listing it. Path variables become {@code x}.
 */
record ApiEndpoints(List<Endpoint> all) {

    record Endpoint(RequestMethod method, String path) {

        boolean isRead() {
            return method == RequestMethod.GET || method == RequestMethod.HEAD;
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static ApiEndpoints of(RequestMappingHandlerMapping mapping) {
        return new ApiEndpoints(mapping.getHandlerMethods().keySet().stream()
                .flatMap(ApiEndpoints::endpoints)
                .filter(e -> e.path().startsWith("/api/") || e.path().equals("/api"))
                .distinct()
                .sorted(Comparator.comparing(Endpoint::toString))
                .toList());
    }

    List<Endpoint> writes() {
        return all.stream().filter(e -> !e.isRead()).toList();
    }

    List<Endpoint> reads() {
        return all.stream().filter(Endpoint::isRead).toList();
    }

    private static Stream<Endpoint> endpoints(RequestMappingInfo info) {
        Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
        // A mapping without a method answers every method: the reads and the writes must both be guarded.
        Set<RequestMethod> tried = methods.isEmpty()
                ? Set.of(RequestMethod.GET, RequestMethod.POST, RequestMethod.PUT, RequestMethod.DELETE) : methods;
        return info.getPatternValues().stream()
                .map(pattern -> pattern.replaceAll("\\{[^}]*}", "x"))
                .flatMap(path -> tried.stream().map(method -> new Endpoint(method, path)));
    }
}
