package io.moescope.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import java.lang.annotation.Annotation;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;

/**
 * Vaadin denies a view that carries no access annotation, even to admins: a new view without one would look broken,
 * not insecure. This names such a view at once: give it @PermitAll (every signed-in user) or @RolesAllowed("ADMIN").
 */
class ViewAccessAnnotationsTest {

    private static final List<Class<? extends Annotation>> ACCESS = List.of(PermitAll.class, RolesAllowed.class,
            AnonymousAllowed.class, DenyAll.class);

    @Test
    void everyViewSaysWhoMayOpenIt() {
        var scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(Route.class));
        List<String> unannotated = scanner.findCandidateComponents("io.moescope.dashboard").stream()
                .map(BeanDefinition::getBeanClassName)
                .filter(name -> Stream.of(load(name).getAnnotations())
                        .noneMatch(a -> ACCESS.contains(a.annotationType())))
                .toList();
        assertThat(unannotated).as("views without @PermitAll / @RolesAllowed / @AnonymousAllowed").isEmpty();
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }
}
