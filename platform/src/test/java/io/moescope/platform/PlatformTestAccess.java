package io.moescope.platform;

import io.moescope.platform.security.ApiTokens;
import io.moescope.platform.security.InitialAdmin;
import io.moescope.platform.security.Role;
import io.moescope.platform.security.UserAccounts;
import java.util.ArrayList;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.ClientHttpRequestInterceptor;

/**
 * How platform tests get past security without saying so: every {@link EmbeddedPlatformTest} context has a test
 * admin and a test viewer (user and API token each), and its {@link TestRestTemplate} sends the admin token unless
 * a request sets its own {@code Authorization} header. Browser tests sign in with {@link #ADMIN} /
 * {@link #PASSWORD}; the CLI finds the server's own token file through the data dir (see EmbeddedPlatformTest).
 *
 * <p>Deliberately without {@code @TestConfiguration}: it lies in the application's package, where component scanning
 * of an application started outside the test framework (ScratchPlatform, SpringApplicationBuilder in tests) would
 * pick an annotated class up. Tests name it as a source.
 */
public class PlatformTestAccess {

    public static final String ADMIN = "test-admin";
    public static final String VIEWER = "test-viewer";
    /** Test contexts only, each with a fresh database. */
    public static final String PASSWORD = "platform-test-password";

    /** The test users' API tokens. */
    public record Tokens(String admin, String viewer) {
    }

    /** Made after the first-start admin (which needs an empty user table), so that one exists in tests too. */
    @Bean
    Tokens platformTestTokens(UserAccounts users, ApiTokens tokens, InitialAdmin firstStartAdminCreated) {
        users.create(ADMIN, PASSWORD, Role.ADMIN);
        users.create(VIEWER, PASSWORD, Role.VIEWER);
        return new Tokens(tokens.create("platform tests (admin)", Role.ADMIN).secret(),
                tokens.create("platform tests (viewer)", Role.VIEWER).secret());
    }

    /** The token is looked up at the first request, not here: a post-processor must not pull in the database early. */
    @Bean
    static BeanPostProcessor adminTokenForTestRestTemplate(ObjectProvider<Tokens> tokens) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof TestRestTemplate http) {
                    ClientHttpRequestInterceptor admin = (request, body, execution) -> {
                        if (!request.getHeaders().containsKey(HttpHeaders.AUTHORIZATION)) {
                            request.getHeaders().setBearerAuth(tokens.getObject().admin());
                        }
                        return execution.execute(request, body);
                    };
                    var interceptors = new ArrayList<>(http.getRestTemplate().getInterceptors());
                    interceptors.add(admin);
                    http.getRestTemplate().setInterceptors(interceptors);
                }
                return bean;
            }
        };
    }
}
