package io.moescope.dashboard.login;

import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.login.LoginForm;
import com.vaadin.flow.component.login.LoginI18n;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.web.WebAttributes;

/** Sign-in: Vaadin's login form posting to Spring Security's form login at {@code /login}. */
@Route("login")
@PageTitle("Sign in | moescope")
@AnonymousAllowed
public class LoginView extends VerticalLayout implements BeforeEnterObserver {

    private final LoginForm form = new LoginForm();

    public LoginView() {
        setId("login-view");
        setSizeFull();
        setAlignItems(Alignment.CENTER);
        setJustifyContentMode(JustifyContentMode.CENTER);
        form.setAction("login");
        form.setForgotPasswordButtonVisible(false);
        var firstStart = new Paragraph("First start? The admin password is printed once in the server log.");
        firstStart.getStyle().set("color", "var(--lumo-secondary-text-color)");
        add(new H1("moescope"), form, firstStart);
    }

    /**
     * Spring Security sends a failed sign-in back here with {@code ?error}; a throttled one says why and for how
     * long (the exception Spring Security keeps in the session), instead of "wrong password".
     */
    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        boolean failed = event.getLocation().getQueryParameters().getParameters().containsKey("error");
        form.setError(failed);
        if (failed && VaadinSession.getCurrent() != null
                && VaadinSession.getCurrent().getSession().getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION)
                instanceof LockedException locked) {
            var i18n = LoginI18n.createDefault();
            i18n.getErrorMessage().setTitle("Sign-in paused");
            i18n.getErrorMessage().setMessage(locked.getMessage());
            form.setI18n(i18n);
        }
    }
}
