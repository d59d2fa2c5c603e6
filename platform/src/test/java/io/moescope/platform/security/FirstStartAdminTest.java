package io.moescope.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.platform.MoescopeApplication;
import io.moescope.platform.security.InitialAdmin;
import io.moescope.platform.security.UserAccounts;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * No default password: the first start on an empty database creates one admin with a random password, printed once;
 * a second start on the same data dir creates nobody and prints nothing. Two real starts of the platform.
 */
@ExtendWith(OutputCaptureExtension.class)
class FirstStartAdminTest {

    private static final Pattern PASSWORD = Pattern.compile("password: (\\S+)");
    private static final String BANNER = "moescope first start: created the admin user";

    @TempDir
    Path dataDir;

    @Test
    void theFirstStartCreatesOneAdminWhosePrintedPasswordSignsInAndTheSecondStartCreatesNobody(
            CapturedOutput output) {
        String password;
        try (var first = start()) {
            assertThat(count(output.getOut(), BANNER)).isEqualTo(1);
            Matcher printed = PASSWORD.matcher(output.getOut());
            assertThat(printed.find()).isTrue();
            password = printed.group(1);

            assertThat(users(first)).containsExactly(Map.of("username", "admin", "role", "ADMIN"));
            String hash = first.getBean(JdbcTemplate.class)
                    .queryForObject("SELECT password_hash FROM app_user", String.class);
            assertThat(hash).startsWith("{bcrypt}$2a$").doesNotContain(password);
            assertThat(signIn(first, InitialAdmin.USERNAME, password).getAuthorities())
                    .extracting(GrantedAuthority::getAuthority).contains("ROLE_ADMIN");
        }
        int printedSoFar = output.getOut().length();

        try (var second = start()) {
            String secondStart = output.getOut().substring(printedSoFar);
            assertThat(secondStart).contains("Embedded PostgreSQL at").doesNotContain(BANNER)
                    .doesNotContain(password);
            assertThat(users(second)).containsExactly(Map.of("username", "admin", "role", "ADMIN"));
            assertThat(signIn(second, InitialAdmin.USERNAME, password).isAuthenticated()).isTrue();
        }
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(MoescopeApplication.class).run("--moescope.data-dir=" + dataDir,
                "--moescope.embedded.kafka-port=0", "--moescope.embedded.postgres-port=0",
                "--moescope.demo.enabled=false", "--server.port=0");
    }

    private static List<Map<String, Object>> users(ConfigurableApplicationContext context) {
        return context.getBean(JdbcTemplate.class).queryForList("SELECT username, role FROM app_user");
    }

    /** Spring Security's password check, as the login form's POST runs it. */
    private static Authentication signIn(ConfigurableApplicationContext context, String user, String password) {
        var provider = new DaoAuthenticationProvider(context.getBean(UserAccounts.class));
        provider.setPasswordEncoder(context.getBean(PasswordEncoder.class));
        return provider.authenticate(UsernamePasswordAuthenticationToken.unauthenticated(user, password));
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }
}
